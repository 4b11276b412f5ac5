"""The published measure of whether the pool works: per round and per state, how many invitations
became acceptances, applications and approvals.

Counts under `SMALL_COUNT` (10) are published as "fewer than 10", never as the number: a round
of a small state with two approvals would otherwise come close to naming them. "accepted" counts
every acceptance, also those withdrawn later; "lodged" every application recorded, whatever came
of it; a pending invitation is in "invited" only.
"""
from __future__ import annotations

from sqlalchemy import case, func
from sqlmodel import Session, select

from app.handoff.models import Application, ApplicationStatus
from app.invitations.models import Invitation, InvitationStatus
from app.rounds.models import Round, RoundStatus

SMALL_COUNT = 10
MEASURES = ("invited", "accepted", "declined", "expired", "lodged", "approved")


def published(count: int) -> dict:
    """A count as published: `{"count": n}`, or `{"count": None, "fewer_than": 10}` when small."""
    return {"count": None, "fewer_than": SMALL_COUNT} if count < SMALL_COUNT else {"count": count, "fewer_than": None}


def _counts(session: Session, *conditions) -> dict[str, int]:
    def having(*statuses):
        return func.coalesce(func.sum(case((Invitation.status.in_(statuses), 1), else_=0)), 0)

    row = session.exec(select(
        func.count(Invitation.id),
        having(InvitationStatus.ACCEPTED.value, InvitationStatus.WITHDRAWN.value),
        having(InvitationStatus.DECLINED.value),
        having(InvitationStatus.EXPIRED.value),
        func.count(Application.id),
        func.coalesce(func.sum(case((Application.status == ApplicationStatus.APPROVED.value, 1), else_=0)), 0),
    ).select_from(Invitation).join(Round, Round.id == Invitation.round_id)
        .join(Application, Application.invitation_id == Invitation.id, isouter=True)
        .where(Round.status == RoundStatus.COMPLETED.value, *conditions)).one()
    return dict(zip(MEASURES, (int(value or 0) for value in row)))


def of_round(session: Session, round_: Round) -> dict:
    """The published outcome of one completed round."""
    return {"round": round_.key, "state": round_.state_code,
            **{name: published(n) for name, n in _counts(session, Round.id == round_.id).items()}}


def of_state(session: Session, state_code: str) -> dict:
    """The published outcome of every completed round of one state."""
    return {"round": None, "state": state_code,
            **{name: published(n) for name, n in _counts(session, Round.state_code == state_code).items()}}
