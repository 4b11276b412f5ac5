"""The right of access: everything the service holds about one candidate or one employer's person, in one document.

An employer's person also gets the organisation they act for (its record as its state's officials
see it: the organisation's data, not theirs, but what they gave and what is done in their name)."""
from __future__ import annotations

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account, LoginFailure, Token
from app.employers.models import Employer, EmployerMember
from app.handoff import misrepresentation
from app.hiring import findability, interest, matches, offers
from app.invitations import lifecycle as invitations
from app.notifications import outbox
from app.profiles import lifecycle as profiles
from app.profiles.models import Profile


def collect(session: Session, account: Account) -> dict:
    """The account, the profile (withdrawn too), the sessions, the failed sign-ins on record, and every
    message written to the account (sent or waiting), as the candidate received or will receive it."""
    profile = session.exec(select(Profile).where(Profile.account_id == account.id)).first()
    tokens = session.exec(select(Token).where(Token.account_id == account.id).order_by(Token.id)).all()
    failures = session.exec(
        select(LoginFailure).where(LoginFailure.email == account.email).order_by(LoginFailure.id)).all()
    return {
        "exported_at": clock.now(),
        "account": account,
        "profile": {**profiles.view(session, profile), "withdrawn_at": profile.withdrawn_at} if profile else None,
        "tokens": tokens,
        "failed_sign_ins": failures,
        "invitations": invitation_records(session, account),
        "misrepresentations": misrepresentation.of_candidate(session, account.id),
        "messages": outbox.for_account(session, account.id),
        "employer": employer_record(session, account),
        "hiring": hiring_records(session, account),
    }


def hiring_records(session: Session, account: Account) -> dict:
    """Findability with its dates, employers' interest and its answers, job offers, stored matches."""
    stored = matches.of_candidate(session, account.id)
    return {
        "findability": findability.view(findability.of(session, account.id)),
        "interests": [interest.candidate_view(*row) for row in interest.of_candidate(session, account.id)],
        "offers": [offers.view(*row) for row in offers.of_candidate(session, account.id)],
        "matches": [{"vacancy": vacancy.reference, "reference": match.reference, "rank": match.rank,
                     "fit": match.fit, "computed_at": match.computed_at} for match, vacancy in stored],
    }


def employer_record(session: Session, account: Account) -> dict | None:
    """The organisation `account` acts for, and since when; None for everyone else."""
    row = session.exec(select(Employer, EmployerMember).join(EmployerMember, EmployerMember.employer_id == Employer.id)
                       .where(EmployerMember.account_id == account.id)).first()
    return None if row is None else {"organisation": row[0], "added_at": row[1].added_at}


def invitation_records(session: Session, account: Account) -> list[dict]:
    """The candidate's invitations with their rounds (kept after erasure, pseudonymised)."""
    return [invitations.view(*row) for row in invitations.of_candidate(session, account)]
