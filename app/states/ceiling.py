"""The annual invitation ceiling: how many invitations a state issues at most per calendar year.

A ceiling below what the year's completed and scheduled rounds already need is refused, with the
rounds to change first: accepting it would leave rounds scheduled that the ceiling forbids (the
issue's "ceiling 10 below a scheduled round of 36").
"""
from __future__ import annotations

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict
from app.rounds.models import Round, RoundStatus
from app.rounds.scheduling import invitations_planned
from app.states import administration
from app.states.models import MemberState


def view(state: MemberState) -> dict:
    """The state's ceiling as the API shows it."""
    return {"state": state.code, "annual_invitation_ceiling": state.annual_invitation_ceiling,
            "updated_at": state.ceiling_updated_at}


def rounds_over(session: Session, code: str, value: int) -> list[dict]:
    """The scheduled rounds of each year whose planned invitations would exceed `value`."""
    scheduled = session.exec(select(Round).where(Round.state_code == code, Round.status == RoundStatus.SCHEDULED)
                             .order_by(Round.scheduled_at)).all()
    over = []
    for year in sorted({round_.scheduled_at.year for round_ in scheduled}):
        in_year = [round_ for round_ in scheduled if round_.scheduled_at.year == year]
        planned = invitations_planned(session, code, in_year[0].scheduled_at)
        if planned > value:
            over += [{"key": round_.key, "scheduled_at": round_.scheduled_at.isoformat(), "invitations": round_.size,
                      "year": year, "planned_that_year": planned} for round_ in in_year]
    return over


def save(session: Session, official: Account, state: MemberState, value: int | None) -> dict:
    """Set the ceiling (None: not set), unless scheduled rounds need more; audited."""
    administration.lock(session, state.code)  # no round scheduled between the check and the change
    if value is not None:
        over = rounds_over(session, state.code, value)
        if over:
            years = sorted({item["year"] for item in over})
            raise Conflict(
                f"A ceiling of {value} is below what {state.code}'s rounds already need in "
                f"{', '.join(map(str, years))}: change or cancel these scheduled rounds first: "
                f"{', '.join(item['key'] for item in over)}.",
                {"json": {"annual_invitation_ceiling": [
                    f"At least {max(item['planned_that_year'] for item in over)}."]},
                 "rounds": over})
    before = state.annual_invitation_ceiling
    state.annual_invitation_ceiling = value
    state.ceiling_updated_at = clock.now()
    session.add(state)
    trail.record(session, official, "ceiling.update", f"ceiling:{state.code}", state_code=state.code,
                 details={"from": before, "to": value})
    return view(state)
