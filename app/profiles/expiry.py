"""A profile's validity running out: the warning 30 days before, and the expiry itself, each with its notice.

Both are nightly steps (`ranking_runs.nightly`). The warning's dedupe key names the expiry date it
warns of, so a renewed profile is warned again before its next expiry, and a job run twice warns once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.config import setting
from app.notifications.candidate_notices import enqueue_all, notice
from app.profiles.models import Profile, ProfileStatus


def warn(session: Session, now: datetime) -> int:
    """Tell every active profile expiring within `PROFILE_EXPIRY_NOTICE_DAYS` (once per expiry date)."""
    profiles = Profile.__table__
    soon = session.exec(select(profiles.c.id, profiles.c.account_id, profiles.c.expires_at).where(
        profiles.c.status == ProfileStatus.ACTIVE.value, profiles.c.expires_at > now,
        profiles.c.expires_at <= now + timedelta(days=setting("PROFILE_EXPIRY_NOTICE_DAYS")))).all()
    return enqueue_all(session.connection(), "profile_expiring", [
        notice(row.account_id, f"profile-expiring:{row.id}:{row.expires_at:%Y%m%d%H%M%S}", expires=row.expires_at.date())
        for row in soon])


def expire(session: Session, now: datetime) -> int:
    """Mark active profiles past their validity (12 months after the last confirmation) as expired, and tell them."""
    profiles = Profile.__table__
    due = (profiles.c.status == ProfileStatus.ACTIVE.value) & (profiles.c.expires_at <= now)
    lapsed = session.exec(select(profiles.c.id, profiles.c.account_id, profiles.c.expires_at).where(due)).all()
    if not lapsed:
        return 0
    expired = session.exec(profiles.update().where(due, profiles.c.id.in_([row.id for row in lapsed]))
                           .values(status=ProfileStatus.EXPIRED.value)).rowcount
    enqueue_all(session.connection(), "profile_expired", [
        notice(row.account_id, f"profile-expired:{row.id}:{row.expires_at:%Y%m%d%H%M%S}") for row in lapsed])
    return expired
