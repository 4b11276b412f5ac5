"""Scheduling invitation rounds, and reading them: the public record and the officials' view.

An official schedules a round for their own state: when (to the minute, in the future), how many
invitations (at most what is left of the state's annual ceiling once this year's completed and
scheduled rounds are counted), optionally a category of theirs and a minimum score. The round
keeps a copy of the category as it was, so editing the category later cannot change a scheduled
or published round.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from app import clock
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Account, Category, Invitation, MemberState, Round, RoundStatus
from app.services import audit


MAX_DAYS_AHEAD = 400


def round_key(state: str, moment: datetime) -> str:
    """`20261122T1000Z-DE`: sortable by time, readable, unique per state and minute."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%MZ}-{state}"


def to_minute(moment: datetime) -> datetime:
    """Rounds run at whole minutes, so rounds meant for the same moment really coincide."""
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


def schedule(session: Session, official: Account, state: MemberState, data: dict) -> Round:
    """Create a scheduled round after checking time, ceiling and category."""
    moment = to_minute(data["scheduled_at"])
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
        row = session.exec(select(Category).where(Category.state_code == state.code,
                                                  Category.key == data["category"])).first()
        if row is None:
            raise InvalidInput(f"{state.code} has no category {data['category']!r}.",
                               {"json": {"category": ["No such category of this state."]}})
        category = {"key": row.key, "title": row.title, "definition": row.definition}
    key = round_key(state.code, moment)
    if session.exec(select(Round.id).where(Round.key == key)).first() is not None:
        raise Conflict(f"{state.code} already has a round at {moment:%Y-%m-%d %H:%M} UTC ({key}).")
    round_ = Round(key=key, state_code=state.code, scheduled_at=moment, size=data["invitations"],
                   category_key=category["key"] if category else None, category=category,
                   min_score=data.get("min_score"), created_at=now, created_by=official.id)
    session.add(round_)
    session.flush()
    audit.record(session, official, "round.schedule", f"round:{key}", state_code=state.code,
                 details={"scheduled_at": moment.isoformat(), "invitations": round_.size,
                          "category": round_.category_key, "min_score": round_.min_score})
    session.commit()
    return round_


def cancel(session: Session, official: Account, state: MemberState, key: str) -> None:
    """Remove a round that has not run (a process working on it right now makes this a 409)."""
    round_ = of_state(session, state.code, key)
    if round_.status != RoundStatus.SCHEDULED:
        raise Conflict(f"Round {key} has already run; a completed round stays on record.")
    if round_.lease_owner is not None and round_.lease_expires_at and round_.lease_expires_at > clock.now():
        raise Conflict(f"Round {key} is being run right now.")
    audit.record(session, official, "round.cancel", f"round:{key}", state_code=state.code,
                 details={"scheduled_at": round_.scheduled_at.isoformat(), "invitations": round_.size})
    session.delete(round_)
    session.commit()


def of_state(session: Session, state: str, key: str) -> Round:
    """One of the state's rounds (another state's round is simply not found)."""
    round_ = session.exec(select(Round).where(Round.key == key, Round.state_code == state)).first()
    if round_ is None:
        raise NotFound(f"{state} has no round {key!r}.")
    return round_


def state_rounds(session: Session, state: str) -> list[Round]:
    """All of a state's rounds, scheduled and completed, newest first."""
    return list(session.exec(select(Round).where(Round.state_code == state)
                             .order_by(Round.scheduled_at.desc())).all())


def invitees(session: Session, round_: Round) -> list[tuple[Invitation, str]]:
    """The round's invitations in rank order, each with the candidate's pseudonymous reference."""
    rows = session.exec(select(Invitation, Account.reference).join(Account, Account.id == Invitation.candidate_id)
                        .where(Invitation.round_id == round_.id).order_by(Invitation.rank, Invitation.id)).all()
    return [(invitation, reference) for invitation, reference in rows]


def published(session: Session, state: str | None = None):
    """The statement behind the public round history: completed rounds, newest first."""
    statement = select(Round).where(Round.status == RoundStatus.COMPLETED)
    if state:
        statement = statement.where(Round.state_code == state)
    return statement.order_by(Round.scheduled_at.desc(), Round.key)


def published_round(session: Session, key: str) -> Round:
    """One completed round, or 404 (scheduled rounds are not announced)."""
    round_ = session.exec(select(Round).where(Round.key == key, Round.status == RoundStatus.COMPLETED)).first()
    if round_ is None:
        raise NotFound(f"There is no completed round {key!r}.")
    return round_


def view(round_: Round) -> dict:
    """A round as the API shows it (the schemas pick the fields each audience may see)."""
    return {
        "key": round_.key, "state": round_.state_code, "status": round_.status,
        "scheduled_at": round_.scheduled_at, "invitations": round_.size, "category": round_.category,
        "min_score": round_.min_score, "completed_at": round_.completed_at, "drawn_with": round_.draw_states,
        "quota": round_.quota, "invited": round_.invited, "eligible_pool": round_.eligible_pool,
        "cutoff": {"score": round_.cutoff_score, "submitted_at": round_.cutoff_submitted_at},
        "ranking_run": round_.ranking_run_id, "input_hash": round_.input_hash,
        "rule_versions": round_.rule_versions,
    }
