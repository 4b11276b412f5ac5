"""Which member states take part in the pool, on which day: data with an effective date.

Taking part is voluntary, and Denmark does not take part in measures under Title V TFEU
(Protocol 22), so the list is rows of `StateParticipation`, never code. The administrator
changes it; a change takes effect on its date, at the earliest the next nightly ranking's, so the
ranking of a day and the rules of that day always agree.
"""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.states import grid as grids
from app.states import effective_dates
from app.states.models import StateParticipation


def in_force(session: Session, day: dt.date) -> dict[str, StateParticipation]:
    """Each state's participation row in force on `day` (states without one take part)."""
    rows = session.exec(select(StateParticipation).where(StateParticipation.effective_from <= day)
                        .order_by(StateParticipation.state_code, StateParticipation.effective_from,
                                  StateParticipation.id)).all()
    return {row.state_code: row for row in rows}  # the last of each state's rows wins


def taking_part(session: Session, day: dt.date) -> tuple[str, ...]:
    """The codes of the states taking part on `day`, in the grid's order."""
    rows = in_force(session, day)
    return tuple(code for code in grids.state_codes() if code not in rows or rows[code].taking_part)


def not_taking_part(session: Session, day: dt.date) -> frozenset[str]:
    """The codes of the states not taking part on `day`."""
    return frozenset(grids.state_codes()) - frozenset(taking_part(session, day))


def departures(session: Session, today: dt.date, codes: list[str]) -> list[tuple[str, dt.date]]:
    """(state, date) for each of `codes` taking part today that is recorded to stop taking part later."""
    present = set(taking_part(session, today)) & set(codes)
    rows = session.exec(select(StateParticipation).where(StateParticipation.effective_from > today,
                                                         StateParticipation.state_code.in_(sorted(present)))
                        .order_by(StateParticipation.effective_from, StateParticipation.id)).all()
    left = {}
    for row in rows:
        if not row.taking_part:
            left.setdefault(row.state_code, row.effective_from)
    return sorted(left.items(), key=lambda item: (item[1], item[0]))


def refused_choices(session: Session, today: dt.date) -> frozenset[str]:
    """The states a candidate cannot choose today: not taking part, or recorded to stop taking part."""
    later = session.exec(select(StateParticipation).where(StateParticipation.effective_from > today)
                         .order_by(StateParticipation.effective_from, StateParticipation.id)).all()
    newest = {row.state_code: row.taking_part for row in later}
    return not_taking_part(session, today) | {code for code, taking in newest.items() if not taking}


def status(session: Session, code: str, day: dt.date | None = None) -> dict:
    """Whether `code` takes part on `day` (default today), since when, and what is scheduled after."""
    day = day or clock.today()
    row = in_force(session, day).get(code)
    upcoming = session.exec(select(StateParticipation).where(StateParticipation.state_code == code,
                                                             StateParticipation.effective_from > day)
                            .order_by(StateParticipation.effective_from, StateParticipation.id)).all()
    return {"state": code, "taking_part": row is None or row.taking_part,
            "since": row.effective_from if row else None, "reason": row.reason if row else "",
            "upcoming": [{"taking_part": later.taking_part, "effective_from": later.effective_from,
                          "reason": later.reason} for later in upcoming]}


def change(session: Session, admin: Account, code: str, taking_part_: bool, effective_from: dt.date | None,
           reason: str) -> dict:
    """Record that `code` takes part (or not) from `effective_from` (default: the next ranking's date)."""
    effective_from = effective_dates.check(session, effective_from)
    before = status(session, code, effective_from)
    row = StateParticipation(state_code=code, taking_part=taking_part_, effective_from=effective_from,
                             reason=reason, created_at=clock.now(), created_by=admin.id)
    session.add(row)
    session.flush()
    trail.record(session, admin, "participation.update", f"participation:{code}", state_code=code,
                 details={"taking_part": {"from": before["taking_part"], "to": taking_part_},
                          "effective_from": effective_from.isoformat(), "reason": reason})
    return status(session, code)
