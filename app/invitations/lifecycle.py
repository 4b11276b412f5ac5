"""An invitation's life: pending for a fixed time, then accepted, declined or expired.

Accepting takes the candidate out of the pool for good (the member state's own application
procedure follows); declining or letting it expire puts them back in with their original
first-submission time, so they keep their place in the queue. Every change is a conditional
UPDATE on the invitation's current status, so a double click, two tabs or the nightly expiry
racing a late answer change it once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, update
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.errors import Conflict, NotFound
from app.invitations.models import Invitation, InvitationStatus
from app.profiles.models import Profile, ProfileStatus
from app.rounds.models import Round

NOT_YOURS = "You have no invitation with the id {id}."


def effective_status(invitation: Invitation, now: datetime | None = None) -> str:
    """The status, counting a pending invitation past its validity as expired (the nightly job writes it)."""
    if invitation.status == InvitationStatus.PENDING and invitation.expires_at <= (now or clock.now()):
        return InvitationStatus.EXPIRED
    return invitation.status


def view(invitation: Invitation, round_: Round) -> dict:
    """An invitation as its candidate sees it (in the API and in their data export)."""
    return {"id": invitation.id, "round": round_.key, "state": invitation.state_code, "score": invitation.score,
            "rank": invitation.rank, "status": effective_status(invitation),
            "issued_at": invitation.issued_at, "expires_at": invitation.expires_at,
            "responded_at": invitation.responded_at}


def of_candidate(session: Session, account: Account) -> list[tuple[Invitation, Round]]:
    """The candidate's invitations, newest first, each with its round."""
    rows = session.exec(select(Invitation, Round).join(Round, Round.id == Invitation.round_id)
                        .where(Invitation.candidate_id == account.id).order_by(Invitation.id.desc())).all()
    return [(invitation, round_) for invitation, round_ in rows]


def _own(session: Session, account: Account, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.candidate_id != account.id:
        raise NotFound(NOT_YOURS.format(id=invitation_id))
    return invitation


def _answerable(invitation: Invitation, now: datetime) -> None:
    status = effective_status(invitation, now)
    if status == InvitationStatus.EXPIRED:
        raise Conflict(f"This invitation expired on {invitation.expires_at:%Y-%m-%d %H:%M} UTC.")
    if status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation was already {status}.")


def _transition(session: Session, invitation: Invitation, to: InvitationStatus, now: datetime) -> None:
    table = Invitation.__table__
    changed = session.exec(update(table).where(
        table.c.id == invitation.id, table.c.status == InvitationStatus.PENDING.value, table.c.expires_at > now,
    ).values(status=to.value, responded_at=now)).rowcount
    if changed != 1:
        raise Conflict("This invitation was answered or expired meanwhile; reload it.")


def _move_profile(session: Session, candidate_id: int, to: ProfileStatus) -> int:
    table = Profile.__table__
    return session.exec(update(table).where(
        table.c.account_id == candidate_id, table.c.status == ProfileStatus.INVITED.value,
    ).values(status=to.value)).rowcount


def accept(session: Session, account: Account, invitation_id: int) -> tuple[Invitation, Round]:
    """Accept: the candidate leaves the pool; the member state's application procedure follows."""
    invitation = _own(session, account, invitation_id)
    now = clock.now()
    _answerable(invitation, now)
    _transition(session, invitation, InvitationStatus.ACCEPTED, now)
    if _move_profile(session, account.id, ProfileStatus.ACCEPTED) != 1:
        raise Conflict("Your expression of interest is no longer in the pool, so the invitation cannot be accepted.")
    return _reloaded(session, invitation_id)


def decline(session: Session, account: Account, invitation_id: int) -> tuple[Invitation, Round]:
    """Decline: the candidate is back in the pool with their original place in the queue."""
    invitation = _own(session, account, invitation_id)
    now = clock.now()
    _answerable(invitation, now)
    _transition(session, invitation, InvitationStatus.DECLINED, now)
    _move_profile(session, account.id, ProfileStatus.ACTIVE)
    return _reloaded(session, invitation_id)


def _reloaded(session: Session, invitation_id: int) -> tuple[Invitation, Round]:
    session.expire_all()
    invitation = session.get(Invitation, invitation_id)
    return invitation, session.get(Round, invitation.round_id)


def expire(session: Session, now: datetime) -> int:
    """Expire every pending invitation past its validity and return those candidates to the pool."""
    invitations, profiles = Invitation.__table__, Profile.__table__
    overdue = and_(invitations.c.status == InvitationStatus.PENDING.value, invitations.c.expires_at <= now)
    session.exec(update(profiles).where(
        profiles.c.status == ProfileStatus.INVITED.value,
        profiles.c.account_id.in_(select(invitations.c.candidate_id).where(overdue)),
    ).values(status=ProfileStatus.ACTIVE.value))
    expired = session.exec(update(invitations).where(overdue).values(status=InvitationStatus.EXPIRED.value)).rowcount
    return expired
