"""Scheduling invitation rounds, and cancelling them before they run (the reads are in `app.rounds.record`).

An official schedules a round for their own state: when (a whole minute, in the future), how many
invitations (at most what is left of the state's annual ceiling once this year's completed and
scheduled rounds are counted), optionally a category of theirs and a minimum score. The round
keeps a copy of the category as it was, so editing the category later cannot change a scheduled
or published round.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from app import clock, db
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict, InvalidInput
from app.rounds.models import Round, RoundStatus
from app.rounds.record import issued_in_year, of_state
from app.states import administration
from app.states.models import MemberState

MAX_DAYS_AHEAD = 400


def round_key(state: str, moment: datetime) -> str:
    """`20261122T1000Z-DE`: sortable by time, readable, unique per state and minute."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%MZ}-{state}"


def to_minute(moment: datetime) -> datetime:
    """The whole minute `moment` falls in (for times the service picks itself, such as the demo's;
    an official's time is refused if not whole, `on_the_minute`)."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def year_bounds(moment: datetime) -> tuple[datetime, datetime]:
    start = datetime(moment.year, 1, 1, tzinfo=UTC)
    return start, start.replace(year=moment.year + 1)


def invitations_planned(session: Session, state: str, moment: datetime, *, exclude: int | None = None) -> int:
    """This calendar year's invitations of `state`: issued by completed rounds, reserved by scheduled ones."""
    start, end = year_bounds(moment)
    completed = session.exec(select(func.coalesce(func.sum(Round.invited), 0)).where(
        Round.state_code == state, Round.status == RoundStatus.COMPLETED, Round.scheduled_at >= start,
        Round.scheduled_at < end)).one()
    scheduled = select(func.coalesce(func.sum(Round.size), 0)).where(
        Round.state_code == state, Round.status == RoundStatus.SCHEDULED, Round.scheduled_at >= start,
        Round.scheduled_at < end)
    if exclude is not None:
        scheduled = scheduled.where(Round.id != exclude)
    return int(completed) + int(session.exec(scheduled).one())


def on_the_minute(moment: datetime) -> datetime:
    """`moment` in UTC if it is a whole minute; otherwise a 422 naming the field.

    Rounds run at whole minutes, so rounds meant for the same moment really coincide. A time with
    seconds is refused rather than moved: 10:00:30 silently kept as 10:00:00 would run a round half
    a minute before the official asked.
    """
    moment = moment.astimezone(UTC)
    if moment.second or moment.microsecond:
        raise InvalidInput("Rounds run at whole minutes (UTC): give a time without seconds.",
                           {"json": {"scheduled_at": [f"Not a whole minute: {moment:%H:%M:%S}. "
                                                      f"Use {moment:%H:%M} or {moment + timedelta(minutes=1):%H:%M}."]}})
    return moment


def checked_request(session: Session, state: MemberState, data: dict) -> tuple[datetime, dict | None]:
    """The moment and the category copy of a round asked for, after the checks a schedule and a
    simulation share: a whole minute in the future (within MAX_DAYS_AHEAD), within what is left of
    the ceiling, a category of this state."""
    moment = on_the_minute(data["scheduled_at"])
    now = clock.now()
    if moment <= now:
        raise InvalidInput("A round must be scheduled in the future (rounds run at whole minutes, UTC).",
                           {"json": {"scheduled_at": [f"Must be after {now:%Y-%m-%dT%H:%M}Z."]}})
    if moment > now + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput(f"Rounds can be scheduled at most {MAX_DAYS_AHEAD} days ahead.",
                           {"json": {"scheduled_at": [f"Must be before {now + timedelta(days=MAX_DAYS_AHEAD):%Y-%m-%d}."]}})
    if state.annual_invitation_ceiling is None:
        raise Conflict(f"Set {state.code}'s annual invitation ceiling before scheduling rounds.")
    left = state.annual_invitation_ceiling - invitations_planned(session, state.code, moment)
    if data["invitations"] > left:
        raise InvalidInput(
            f"{state.code} has {max(left, 0)} invitations left under its ceiling of "
            f"{state.annual_invitation_ceiling} for {moment.year}.",
            {"json": {"invitations": [f"At most {max(left, 0)}."]}})
    category = None
    if data.get("category"):
        # The revision in force on the round's day; the draw uses the one in force on its ranking's date.
        category = administration.category_in_force(session, state.code, data["category"], moment.date())
        if category is None:
            raise InvalidInput(f"{state.code} has no category {data['category']!r}.",
                               {"json": {"category": ["No such category of this state."]}})
    return moment, category


def schedule(session: Session, official: Account, state: MemberState, data: dict) -> Round:
    """Create a scheduled round after checking time, ceiling and category."""
    administration.lock(session, state.code)  # the ceiling check and the insert, one state at a time
    session.refresh(state)
    moment, category = checked_request(session, state, data)
    now = clock.now()
    key = round_key(state.code, moment)
    taken = Conflict(f"{state.code} already has a round at {moment:%Y-%m-%d %H:%M} UTC ({key}).")
    if session.exec(select(Round.id).where(Round.key == key)).first() is not None:
        raise taken
    round_ = Round(key=key, state_code=state.code, scheduled_at=moment, size=data["invitations"],
                   category_key=category["key"] if category else None, category=category,
                   min_score=data.get("min_score"), created_at=now, created_by=official.id)
    db.add_or_conflict(session, round_, taken)
    trail.record(session, official, "round.schedule", f"round:{key}", state_code=state.code,
                 details={"scheduled_at": moment.isoformat(), "invitations": round_.size,
                          "category": round_.category_key, "min_score": round_.min_score})
    return round_


def cancel(session: Session, official: Account, state: MemberState, key: str) -> None:
    """Remove a round that has not run (a process working on it right now makes this a 409)."""
    round_ = of_state(session, state.code, key)
    if round_.status != RoundStatus.SCHEDULED:
        raise Conflict(f"Round {key} has already run; a completed round stays on record.")
    if round_.lease_owner is not None and round_.lease_expires_at and round_.lease_expires_at > clock.now():
        raise Conflict(f"Round {key} is being run right now.")
    trail.record(session, official, "round.cancel", f"round:{key}", state_code=state.code,
                 details={"scheduled_at": round_.scheduled_at.isoformat(), "invitations": round_.size})
    session.delete(round_)


def ceiling_use(session: Session, state: MemberState, year: int) -> dict:
    """The state's annual ceiling for `year`: issued by completed rounds, reserved by scheduled ones, left.

    `left` is None without a ceiling (no round can be scheduled then). For the state's own officials:
    what scheduled rounds reserve is not public (`issued_in_year`)."""
    moment = datetime(year, 1, 1, tzinfo=UTC)
    issued = issued_in_year(session, year).get(state.code, 0)
    planned = invitations_planned(session, state.code, moment)
    ceiling = state.annual_invitation_ceiling
    return {"year": year, "ceiling": ceiling, "issued": issued, "reserved": planned - issued,
            "left": None if ceiling is None else max(ceiling - planned, 0)}
