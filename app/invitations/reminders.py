"""Reminders of a pending invitation, 14 and 3 days before its deadline (`INVITATION_REMINDER_DAYS`).

A nightly step. Each invitation gets each reminder once (the dedupe key names the invitation and
the day count); when two are due at once (the job did not run for a while) only the nearer is
sent, and a reminder whose day came before the invitation was issued (a validity shorter than
14 days) is not sent at all: it would only repeat the invitation.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.config import setting
from app.invitations.models import Invitation, InvitationStatus
from app.notifications.candidate_notices import enqueue_all, notice


def remind(session: Session, now: datetime) -> int:
    """Enqueue the reminders due now; returns how many were new."""
    table = Invitation.__table__
    days = sorted(setting("INVITATION_REMINDER_DAYS"))
    limit = setting("UNANSWERED_INVITATIONS_LIMIT")
    added = 0
    for position, count in enumerate(days):
        nearer = days[position - 1] if position else 0
        window = (table.c.status == InvitationStatus.PENDING.value) & (table.c.expires_at > now) & \
            (table.c.expires_at <= now + timedelta(days=count)) & \
            (table.c.expires_at > now + timedelta(days=nearer))
        rows = [row for row in session.exec(select(table.c.id, table.c.candidate_id, table.c.state_code,
                                                   table.c.issued_at, table.c.expires_at).where(window))
                if row.expires_at - row.issued_at > timedelta(days=count)]
        added += enqueue_all(session.connection(), "invitation_reminder", [
            notice(row.candidate_id, f"invitation-reminder-{count}:{row.id}", state=row.state_code,
                   deadline=row.expires_at, days=count, limit=limit) for row in rows])
    return added
