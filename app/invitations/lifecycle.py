"""An invitation's life: pending for a fixed time, then accepted, declined or expired.

Accepting takes the candidate out of the pool (the member state's own application procedure
follows) and needs their explicit consent to share their profile and address with that state's
authority, recorded with the acceptance; declining or letting it expire puts them back in with
their original first-submission time, so they keep their place in the queue. But unanswered
invitations are not free: each used a place under the state's ceiling, so after
`UNANSWERED_INVITATIONS_LIMIT` of them expired (since the profile last entered the pool) the
profile is removed from it, with a notice (Australia removes an expression of interest after two).
Every change is a conditional UPDATE on the invitation's current status, so a double click, two
tabs or the nightly expiry racing a late answer change it once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, update
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.config import setting
from app.errors import Conflict, InvalidInput, NotFound
from app.handoff.models import Application
from app.invitations.models import Invitation, InvitationStatus
from app.notifications.candidate_notices import enqueue_all, notice
from app.profiles.models import Profile, ProfileStatus, RemovalReason
from app.rounds.models import Round
from app.storage.planner_hints import not_indexed

NOT_YOURS = "You have no invitation with the id {id}."
CONSENT_NEEDED = ("To accept, consent to sharing your profile and e-mail address with the authority of the inviting "
                  "state: it needs them for its procedure.")


def effective_status(invitation: Invitation, now: datetime | None = None) -> str:
    """The status, counting a pending invitation past its validity as expired (the nightly job writes it)."""
    if invitation.status == InvitationStatus.PENDING and invitation.expires_at <= (now or clock.now()):
        return InvitationStatus.EXPIRED
    return invitation.status


def view(invitation: Invitation, round_: Round, application: Application | None = None) -> dict:
    """An invitation as its candidate sees it (in the API and in their data export), with the
    application's progress as the state recorded it."""
    progress = None if application is None else {
        "status": application.status, "lodged_on": application.lodged_on, "decided_on": application.decided_on,
        "updated_at": application.updated_at}
    return {"id": invitation.id, "round": round_.key, "state": invitation.state_code, "score": invitation.score,
            "rank": invitation.rank, "status": effective_status(invitation),
            "issued_at": invitation.issued_at, "expires_at": invitation.expires_at,
            "responded_at": invitation.responded_at, "consent_at": invitation.consent_at,
            "withdrawn_at": invitation.withdrawn_at, "application": progress}


def of_candidate(session: Session, account: Account) -> list[tuple[Invitation, Round, Application | None]]:
    """The candidate's invitations, newest first, each with its round and its application (if any)."""
    rows = session.exec(select(Invitation, Round, Application).join(Round, Round.id == Invitation.round_id)
                        .join(Application, Application.invitation_id == Invitation.id, isouter=True)
                        .where(Invitation.candidate_id == account.id).order_by(Invitation.id.desc())).all()
    return [(invitation, round_, application) for invitation, round_, application in rows]


def _own(session: Session, account: Account, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.candidate_id != account.id:
        raise NotFound(NOT_YOURS.format(id=invitation_id))
    return invitation


def refuse_unless_own(session: Session, account: Account, invitation_id: int) -> None:
    """404 unless the invitation is the candidate's. An answer checks this first, under a read
    transaction (`db.reads_first`), so that a wrong id is refused without waiting for SQLite's one
    write lock; the answer itself reads the invitation again once it holds the lock."""
    _own(session, account, invitation_id)


def _answerable(invitation: Invitation, now: datetime) -> None:
    status = effective_status(invitation, now)
    if status == InvitationStatus.EXPIRED:
        raise Conflict(f"This invitation expired on {invitation.expires_at:%Y-%m-%d %H:%M} UTC.")
    if status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation was already {status}.")


def _transition(session: Session, invitation: Invitation, to: InvitationStatus, now: datetime, **values) -> None:
    table = Invitation.__table__
    changed = session.exec(update(table).where(
        table.c.id == invitation.id, table.c.status == InvitationStatus.PENDING.value, table.c.expires_at > now,
    ).values(status=to.value, responded_at=now, **values)).rowcount
    if changed != 1:
        raise Conflict("This invitation was answered or expired meanwhile; reload it.")


def _move_profile(session: Session, candidate_id: int, to: ProfileStatus) -> int:
    table = Profile.__table__
    return session.exec(update(table).where(
        table.c.account_id == candidate_id, table.c.status == ProfileStatus.INVITED.value,
    ).values(status=to.value)).rowcount


def accept(session: Session, account: Account, invitation_id: int, *, consent_to_share: bool = False
           ) -> tuple[Invitation, Round, Application | None]:
    """Accept, consenting to share the profile and address with the inviting state (422 without):
    the candidate leaves the pool; the member state's application procedure follows."""
    invitation = _own(session, account, invitation_id)
    now = clock.now()
    _answerable(invitation, now)
    if consent_to_share is not True:
        raise InvalidInput(CONSENT_NEEDED, {"json": {"consent_to_share": [CONSENT_NEEDED]}})
    _transition(session, invitation, InvitationStatus.ACCEPTED, now, consent_at=now)
    if _move_profile(session, account.id, ProfileStatus.ACCEPTED) != 1:
        raise Conflict("Your expression of interest is no longer in the pool, so the invitation cannot be accepted.")
    return _reloaded(session, invitation_id)


def decline(session: Session, account: Account, invitation_id: int) -> tuple[Invitation, Round, Application | None]:
    """Decline: the candidate is back in the pool with their original place in the queue."""
    invitation = _own(session, account, invitation_id)
    now = clock.now()
    _answerable(invitation, now)
    _transition(session, invitation, InvitationStatus.DECLINED, now)
    _move_profile(session, account.id, ProfileStatus.ACTIVE)
    return _reloaded(session, invitation_id)


def _reloaded(session: Session, invitation_id: int) -> tuple[Invitation, Round, Application | None]:
    session.expire_all()
    invitation = session.get(Invitation, invitation_id)
    application = session.exec(select(Application).where(Application.invitation_id == invitation_id)).first()
    return invitation, session.get(Round, invitation.round_id), application


def withdraw_acceptance(session: Session, candidate_id: int, now: datetime) -> Invitation | None:
    """Mark the candidate's accepted invitation withdrawn (their consent to share ends with it).

    The invitation then no longer holds the candidate (`HOLDING_STATUSES`), so a new profile is
    ranked and invitable like any other, while the state's record says "withdrawn", not "accepted".
    Returns the invitation withdrawn, or None if there was no acceptance.
    """
    accepted = session.exec(select(Invitation).where(Invitation.candidate_id == candidate_id,
                                                     Invitation.status == InvitationStatus.ACCEPTED)).first()
    if accepted is None:
        return None
    accepted.status = InvitationStatus.WITHDRAWN
    accepted.withdrawn_at = now
    session.add(accepted)
    return accepted


def expire(session: Session, now: datetime) -> int:
    """Expire every pending invitation past its validity: those candidates return to the pool, or
    leave it if this was one unanswered invitation too many. Each is told, in this transaction."""
    invitations, profiles = Invitation.__table__, Profile.__table__
    overdue = and_(invitations.c.status == InvitationStatus.PENDING.value, invitations.c.expires_at <= now)
    lapsed = session.exec(select(invitations.c.id, invitations.c.candidate_id, invitations.c.state_code)
                          .where(overdue)).all()
    if not lapsed:
        return 0
    session.exec(update(profiles).where(
        not_indexed(profiles.c.status) == ProfileStatus.INVITED.value,
        profiles.c.account_id.in_(select(invitations.c.candidate_id).where(overdue)),
    ).values(status=ProfileStatus.ACTIVE.value))
    expired = session.exec(update(invitations).where(
        invitations.c.id.in_([row.id for row in lapsed]), invitations.c.status == InvitationStatus.PENDING.value,
    ).values(status=InvitationStatus.EXPIRED.value)).rowcount
    limit = setting("UNANSWERED_INVITATIONS_LIMIT")
    removed = _remove_unanswering(session, {row.candidate_id for row in lapsed}, limit, now)
    connection = session.connection()
    enqueue_all(connection, "invitation_expired", [
        notice(row.candidate_id, f"invitation-expired:{row.id}", state=row.state_code, limit=limit)
        for row in lapsed if row.candidate_id not in removed])
    enqueue_all(connection, "pool_removal", [
        notice(candidate, f"pool-removal:{candidate}:{first_us}", reason=RemovalReason.UNANSWERED.value, limit=limit)
        for candidate, first_us in removed.items()])
    return expired


def _remove_unanswering(session: Session, candidates: set[int], limit: int, now: datetime) -> dict[int, int]:
    """Remove from the pool the active profiles among `candidates` with `limit` or more invitations
    expired since they last entered it; returns {candidate: their queue place} of those removed."""
    invitations, profiles = Invitation.__table__, Profile.__table__
    unanswered = (select(func.count()).select_from(invitations).where(
        invitations.c.candidate_id == profiles.c.account_id, invitations.c.status == InvitationStatus.EXPIRED.value,
        invitations.c.issued_at >= profiles.c.first_submitted_at).scalar_subquery())
    over = session.exec(select(profiles.c.account_id, profiles.c.first_submitted_us).where(
        profiles.c.account_id.in_(candidates), not_indexed(profiles.c.status) == ProfileStatus.ACTIVE.value,
        unanswered >= limit)).all()
    if over:
        session.exec(update(profiles).where(profiles.c.account_id.in_([row.account_id for row in over]),
                                            not_indexed(profiles.c.status) == ProfileStatus.ACTIVE.value)
                     .values(status=ProfileStatus.REMOVED.value, removed_at=now,
                             removal_reason=RemovalReason.UNANSWERED.value))
    return {row.account_id: row.first_submitted_us for row in over}
