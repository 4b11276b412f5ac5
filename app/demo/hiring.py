"""Demonstration findability: half the synthetic candidates consent to be found (a quarter of them by
employers of any state); `flask demo seed` then stores every published vacancy's matches, so a newcomer
signing in as a demonstration employer sees matches without waiting for the nightly job."""
from __future__ import annotations

from sqlalchemy import Integer, cast, insert, literal, select
from sqlmodel import Session

from app import clock
from app.accounts.models import Account, Role
from app.hiring.models import Findability


def add_findability(session: Session) -> int:
    """How many candidates were made findable (one statement); commit before `matches.store_nightly`,
    which reads the pool and the consents in bulk and writes on connections of its own."""
    accounts = Account.__table__
    chosen = select(accounts.c.id, literal(clock.now(), Findability.__table__.c.given_at.type),
                    cast(accounts.c.id % 4 == 0, Integer) == 1).where(
        accounts.c.role == Role.CANDIDATE.value, accounts.c.id % 2 == 0)
    findable = session.execute(insert(Findability).from_select(["account_id", "given_at", "any_state"], chosen)
                               ).rowcount
    return findable
