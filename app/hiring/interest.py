"""An employer's interest in a matched candidate for one vacancy, and the candidate's answer.

The employer names the candidate by the match's reference (`matches.reference`), never by an
id, and only among its vacancy's stored matches, so it can reach only candidates who chose to be
found and meet the vacancy. The candidate is told (outbox mail in their language, which is also
their page of events) and accepts — consenting to share their e-mail address and profile with that
employer only, the consent's time recorded — or declines. Only after an acceptance does
`contact` give that employer anything more than the pseudonymous match.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.employers import membership
from app.employers.models import Employer, EmployerStatus, Vacancy, VacancyStatus
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.hiring import findability, matches
from app.hiring.models import Interest, InterestStatus
from app.notifications import outbox
from app.profiles.models import Profile

NO_VACANCY = "Your organisation has no vacancy {id}."
NO_MATCH = "No candidate {reference} among this vacancy's matches."
NO_INTEREST = "You have no interest {id} from an employer."
NOT_VERIFIED = "Your organisation is {status}: only a verified employer can contact candidates."
NOT_PUBLISHED = "This vacancy is {status}; only a published vacancy's matches can be contacted."
ANSWERED = "This interest is {status} already."
ALREADY = "You expressed interest in this candidate for this vacancy already."
CONSENT_NEEDED = "To accept, consent to share your e-mail address and profile with this employer."


def own_vacancy(session: Session, account: Account, vacancy_id: int) -> tuple[Employer, Vacancy]:
    """The employer `account` acts for and its vacancy `vacancy_id` (404 for another employer's)."""
    employer = membership.employer_of(session, account)
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.employer_id != employer.id:
        raise NotFound(NO_VACANCY.format(id=vacancy_id))
    return employer, vacancy


def express(session: Session, account: Account, vacancy_id: int, match_reference: str, message: str) -> Interest:
    """Express interest, with `message`, in the match `match_reference` of the employer's vacancy."""
    employer, vacancy = own_vacancy(session, account, vacancy_id)
    if employer.status != EmployerStatus.VERIFIED:
        raise Forbidden(NOT_VERIFIED.format(status=employer.status))
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise Conflict(NOT_PUBLISHED.format(status=vacancy.status))
    message = message.strip()
    if not message:
        raise InvalidInput("Write a message to the candidate.", {"json": {"message": ["Required."]}})
    match = matches.by_reference(session, vacancy, match_reference)
    if match is None or not findability.is_findable(findability.of(session, match.candidate_id)):
        raise NotFound(NO_MATCH.format(reference=match_reference))
    if session.exec(select(Interest).where(Interest.vacancy_id == vacancy.id,
                                           Interest.candidate_id == match.candidate_id)).first() is not None:
        raise Conflict(ALREADY)
    interest = Interest(vacancy_id=vacancy.id, employer_id=employer.id, candidate_id=match.candidate_id,
                        message=message, created_at=clock.now())
    session.add(interest)
    session.flush()
    candidate = session.get(Account, match.candidate_id)
    trail.record(session, account, "interest.express", f"interest:{interest.id}", state_code=vacancy.state_code,
                 details={"vacancy": vacancy.reference, "match": match.reference})
    tell_candidate(session, candidate, "interest_received", employer=employer.name, title=vacancy.title,
                   state=vacancy.state_code, message=message)
    return interest


def tell_candidate(session: Session, candidate: Account, kind: str, **context) -> None:
    """Mail the candidate (in their language; the message is also on their page of events)."""
    if candidate is None or candidate.email is None:
        return
    outbox.enqueue(session, kind=kind, recipient=candidate.email, language=candidate.language,
                   account_id=candidate.id, context=context)


def _own(session: Session, account: Account, interest_id: int) -> Interest:
    interest = session.get(Interest, interest_id)
    if interest is None or interest.candidate_id != account.id:
        raise NotFound(NO_INTEREST.format(id=interest_id))
    return interest


def _pending(interest: Interest) -> None:
    if interest.status != InterestStatus.PENDING:
        raise Conflict(ANSWERED.format(status=interest.status))


def accept(session: Session, account: Account, interest_id: int, *, consent_to_share: bool) -> Interest:
    """Accept, sharing the e-mail address and profile with this employer only (422 without consent)."""
    interest = _own(session, account, interest_id)
    _pending(interest)
    if consent_to_share is not True:
        raise InvalidInput(CONSENT_NEEDED, {"json": {"consent_to_share": [CONSENT_NEEDED]}})
    now = clock.now()
    interest.status, interest.answered_at, interest.contact_shared_at = InterestStatus.ACCEPTED.value, now, now
    session.add(interest)
    trail.record(session, account, "interest.accept", f"interest:{interest.id}",
                 state_code=session.get(Vacancy, interest.vacancy_id).state_code, details={"consent_to_share": True})
    return interest


def decline(session: Session, account: Account, interest_id: int) -> Interest:
    interest = _own(session, account, interest_id)
    _pending(interest)
    interest.status, interest.answered_at = InterestStatus.DECLINED.value, clock.now()
    session.add(interest)
    trail.record(session, account, "interest.decline", f"interest:{interest.id}",
                 state_code=session.get(Vacancy, interest.vacancy_id).state_code)
    return interest


def of_candidate(session: Session, candidate_id: int) -> list[tuple[Interest, Vacancy, Employer]]:
    """The candidate's interests, newest first, with their vacancies and employers."""
    return list(session.exec(
        select(Interest, Vacancy, Employer).join(Vacancy, Vacancy.id == Interest.vacancy_id)
        .join(Employer, Employer.id == Interest.employer_id)
        .where(Interest.candidate_id == candidate_id).order_by(Interest.id.desc())).all())


def candidate_view(interest: Interest, vacancy: Vacancy, employer: Employer) -> dict:
    return {"id": interest.id, "status": interest.status, "message": interest.message,
            "created_at": interest.created_at, "answered_at": interest.answered_at,
            "contact_shared_at": interest.contact_shared_at, "employer": employer.name,
            "vacancy": {"reference": vacancy.reference, "title": vacancy.title, "state": vacancy.state_code,
                        "occupation": vacancy.occupation, "location": vacancy.location}}


def of_vacancy(session: Session, vacancy: Vacancy) -> dict[int, Interest]:
    """{candidate id: interest} of one vacancy."""
    return {row.candidate_id: row for row in session.exec(select(Interest).where(Interest.vacancy_id == vacancy.id))}


def contact(session: Session, interest: Interest) -> dict | None:
    """What the employer sees once the candidate accepted: e-mail address and profile; else None."""
    if interest.status != InterestStatus.ACCEPTED or interest.contact_shared_at is None:
        return None
    candidate = session.get(Account, interest.candidate_id)
    profile = session.exec(select(Profile).where(Profile.account_id == interest.candidate_id)).first()
    if candidate is None or candidate.email is None:
        return None  # erased since
    return {"email": candidate.email, "profile": profile.document if profile else None}


def employer_view(session: Session, vacancy: Vacancy) -> list[dict]:
    """The vacancy's matches as its employer sees them: pseudonymous until the candidate accepts."""
    stored = matches.of_vacancy(session, vacancy)
    interests = of_vacancy(session, vacancy)
    meets = matches.what_they_meet(session, vacancy, [row.candidate_id for row in stored])
    out = []
    for row in stored:
        interest = interests.get(row.candidate_id)
        out.append({"reference": row.reference, "rank": row.rank, "fit": row.fit,
                    "meets": meets.get(row.candidate_id), "computed_at": row.computed_at,
                    "interest": None if interest is None else {
                        "id": interest.id, "status": interest.status, "created_at": interest.created_at,
                        "answered_at": interest.answered_at, "contact": contact(session, interest)}})
    return out
