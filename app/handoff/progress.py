"""The application's progress, as the inviting state's official records it: lodged, approved, refused, withdrawn.

One `Application` per accepted invitation, created when the state first records it. Dates are the
state's own (the day lodged, the day decided) and cannot lie in the future; a decision needs the
day it was lodged. Reaching a final outcome starts the retention of the shared data
(`SHARED_DATA_RETENTION_DAYS`, then `privacy.retention` deletes it); going back to "lodged" (a
correction) stops it. Every change is audited with what changed, and the candidate is told.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account, Role
from app.audit import trail
from app.config import setting
from app.errors import InvalidInput, NotFound
from app.handoff.models import FINAL_OUTCOMES, Application, ApplicationStatus
from app.handoff.sharing import AFTER_ACCEPTANCE
from app.invitations.models import Invitation
from app.notifications.candidate_notices import enqueue_all, notice


def _check_dates(status: str, lodged_on: date | None, decided_on: date | None, today: date) -> None:
    errors = {}
    if lodged_on is None and status != ApplicationStatus.WITHDRAWN:
        errors["lodged_on"] = ["Give the day the application was lodged."]
    if status in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED) and decided_on is None:
        errors["decided_on"] = ["Give the day of the decision."]
    for name, day in (("lodged_on", lodged_on), ("decided_on", decided_on)):
        if day is not None and day > today:
            errors[name] = ["This day has not come yet."]
    if lodged_on and decided_on and decided_on < lodged_on:
        errors["decided_on"] = ["The decision cannot come before the application was lodged."]
    if status == ApplicationStatus.LODGED and decided_on is not None:
        errors["decided_on"] = ["A lodged application has no decision yet; choose its outcome."]
    if errors:
        raise InvalidInput("The application's progress is not consistent.", {"json": errors})


def record(session: Session, official: Account, invitation_id: int, status: str, lodged_on: date | None,
           decided_on: date | None) -> Application:
    """Record (or correct) the application that followed the invitation; audited, and the candidate told."""
    invitation = session.get(Invitation, invitation_id)
    if (invitation is None or official.role != Role.OFFICIAL or invitation.state_code != official.state_code
            or invitation.status not in AFTER_ACCEPTANCE):
        raise NotFound(f"Your state has no invitee who accepted the invitation {invitation_id}.")
    now = clock.now()
    _check_dates(status, lodged_on, decided_on, now.date())
    application = session.exec(select(Application).where(Application.invitation_id == invitation_id)).first()
    before = None
    if application is None:
        application = Application(invitation_id=invitation.id, candidate_id=invitation.candidate_id,
                                  state_code=invitation.state_code, status=status, updated_at=now)
    else:
        before = {"status": application.status, "lodged_on": str(application.lodged_on),
                  "decided_on": str(application.decided_on)}
    was_final = before is not None and before["status"] in FINAL_OUTCOMES
    application.status, application.lodged_on, application.decided_on = status, lodged_on, decided_on
    application.updated_at = now
    if status in FINAL_OUTCOMES and not was_final:
        application.shared_until = now + timedelta(days=setting("SHARED_DATA_RETENTION_DAYS"))
    elif status not in FINAL_OUTCOMES:
        application.shared_until = None
    session.add(application)
    session.flush()
    after = {"status": status, "lodged_on": str(lodged_on), "decided_on": str(decided_on)}
    trail.record(session, official, "application.progress", f"invitation:{invitation.id}",
                 state_code=invitation.state_code,
                 details=trail.diff(before or {}, after) if before else {"recorded": after})
    enqueue_all(session.connection(), "application_progress", [notice(
        invitation.candidate_id, f"application:{application.id}:{status}:{lodged_on}:{decided_on}",
        state=invitation.state_code, status=status)])
    return application
