"""A candidate's consent to be found by employers: off until given, revocable at once, dated.

Giving it (again) sets `given_at` and clears `withdrawn_at`; withdrawing it sets `withdrawn_at`,
takes the candidate out of every stored match at once and withdraws the interest they have not
answered (an employer who saw them cannot reach them any more). Interest already accepted stays:
the candidate chose to share their contact with that employer, and ends it by erasing their data.
Each change is audited (a consent record, as the GDPR asks for).
"""
from __future__ import annotations

from sqlmodel import Session, select, update

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict
from app.hiring import match_generations
from app.hiring.models import Findability, Interest, InterestStatus

NOT_FINDABLE = "You are not findable by employers; there is nothing to withdraw."


def of(session: Session, account_id: int) -> Findability | None:
    return session.get(Findability, account_id)


def is_findable(row: Findability | None) -> bool:
    return row is not None and row.withdrawn_at is None


def view(row: Findability | None) -> dict:
    """As the API and the pages show it (never given: not findable, no dates)."""
    return {"findable": is_findable(row), "any_state": bool(row and row.any_state),
            "given_at": row.given_at if row else None, "withdrawn_at": row.withdrawn_at if row else None}


def give(session: Session, account: Account, *, any_state: bool) -> Findability:
    """Consent to be found (by employers of the chosen states, or with `any_state` of every state)."""
    now = clock.now()
    row = of(session, account.id)
    if row is None:
        row = Findability(account_id=account.id, given_at=now, any_state=any_state)
    else:
        if row.withdrawn_at is not None:
            row.given_at, row.withdrawn_at = now, None
        row.any_state = any_state
    session.add(row)
    trail.record(session, account, "findability.give", f"candidate:{account.reference}",
                 details={"any_state": any_state})
    return row


def withdraw(session: Session, account: Account) -> Findability:
    """Stop being findable, at once: out of every stored match, unanswered interest withdrawn."""
    row = of(session, account.id)
    if not is_findable(row):
        raise Conflict(NOT_FINDABLE)
    now = clock.now()
    row.withdrawn_at = now
    session.add(row)
    match_generations.forget(session, account.id)
    session.exec(update(Interest).where(Interest.candidate_id == account.id,
                                        Interest.status == InterestStatus.PENDING.value)
                 .values(status=InterestStatus.WITHDRAWN.value, answered_at=now))
    trail.record(session, account, "findability.withdraw", f"candidate:{account.reference}")
    return row
