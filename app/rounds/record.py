"""Reading rounds: the public record of completed rounds and each state's own view of its rounds."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts.models import Account
from app.errors import NotFound
from app.invitations.models import Invitation
from app.rounds.models import Round, RoundStatus


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


def issued_in_year(session: Session, year: int) -> dict[str, int]:
    """Invitations issued by completed rounds in calendar `year` (UTC), per state that issued any.

    Only completed rounds count: scheduled rounds are not announced, so what they reserve of a
    state's ceiling is not public either (`scheduling.invitations_planned` counts both, for officials).
    """
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.exec(select(Round.state_code, func.coalesce(func.sum(Round.invited), 0))
                        .where(Round.status == RoundStatus.COMPLETED, Round.scheduled_at >= start,
                               Round.scheduled_at < end).group_by(Round.state_code)).all()
    return {state: int(issued) for state, issued in rows}


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

