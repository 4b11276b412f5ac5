"""What the inviting state's officials see of the candidates who accepted: everything, and no one else's.

An invitee's full profile (the document they submitted) and e-mail address are shown only to the
officials of the state whose invitation they accepted, only with the consent recorded at the
acceptance, and only until it ends: when the candidate withdraws (the record then says
"withdrawn", without the data) or when the retention after the final outcome deletes the shared
data. Every other state, and the public, see the pseudonymous reference at most.
"""
from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import Account
from app.errors import NotFound
from app.handoff.models import Application
from app.invitations.models import Invitation, InvitationStatus
from app.profiles.models import Profile
from app.rounds.models import Round

AFTER_ACCEPTANCE = (InvitationStatus.ACCEPTED.value, InvitationStatus.WITHDRAWN.value)


def _rows(session: Session, state_code: str, invitation_id: int | None = None):
    statement = (select(Invitation, Round.key, Account, Application, Profile)
                 .join(Round, Round.id == Invitation.round_id)
                 .join(Account, Account.id == Invitation.candidate_id)
                 .join(Application, Application.invitation_id == Invitation.id, isouter=True)
                 .join(Profile, Profile.account_id == Invitation.candidate_id, isouter=True)
                 .where(Invitation.state_code == state_code, Invitation.status.in_(AFTER_ACCEPTANCE))
                 .order_by(Invitation.responded_at.desc(), Invitation.id.desc()))
    if invitation_id is not None:
        statement = statement.where(Invitation.id == invitation_id)
    return session.exec(statement).all()


def shares_data(invitation: Invitation, account: Account, application: Application | None) -> bool:
    """Whether the state may see this invitee's profile and address now."""
    return (invitation.status == InvitationStatus.ACCEPTED and invitation.consent_at is not None
            and account.erased_at is None
            and (application is None or application.shared_data_deleted_at is None))


def view(invitation: Invitation, round_key: str, account: Account, application: Application | None,
         profile: Profile | None) -> dict:
    """An invitee as their inviting state sees them."""
    shared = shares_data(invitation, account, application)
    return {
        "invitation": invitation.id, "round": round_key, "candidate": account.reference,
        "status": invitation.status, "score": invitation.score, "rank": invitation.rank,
        "accepted_at": invitation.responded_at, "consent_at": invitation.consent_at,
        "withdrawn_at": invitation.withdrawn_at,
        "email": account.email if shared else None,
        "profile": profile.document if shared and profile is not None else None,
        "application": None if application is None else {
            "status": application.status, "lodged_on": application.lodged_on,
            "decided_on": application.decided_on, "updated_at": application.updated_at,
            "shared_until": application.shared_until},
    }


def invitees(session: Session, state_code: str) -> list[dict]:
    """The state's invitees who accepted (newest first), with what the state may see of each."""
    return [view(*row) for row in _rows(session, state_code)]


def invitee(session: Session, state_code: str, invitation_id: int) -> dict:
    """One of the state's invitees who accepted, or 404 (another state's is simply not found)."""
    rows = _rows(session, state_code, invitation_id)
    if not rows:
        raise NotFound(f"{state_code} has no invitee who accepted the invitation {invitation_id}.")
    return view(*rows[0])
