"""Throttling of failed sign-ins, per e-mail address, counted in the database.

Kept in the database rather than in process memory because gunicorn runs several workers: an
attacker spreading attempts over them must still hit one shared count.
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlmodel import Session, delete, func, select

from app import clock
from app.accounts.models import LoginFailure
from app.errors import TooManyAttempts


def check(session: Session, email: str) -> None:
    """Refuse (429, with Retry-After) while `email` has too many recent failures."""
    window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    since = clock.now() - window
    count, oldest = session.exec(
        select(func.count(), func.min(LoginFailure.failed_at)).where(
            LoginFailure.email == email, LoginFailure.failed_at > since
        )
    ).one()
    if count >= current_app.config["LOGIN_MAX_FAILURES"]:
        retry_after = max(1, math.ceil((oldest + window - clock.now()).total_seconds()))
        raise TooManyAttempts(
            f"Too many failed sign-ins for this account; try again in {retry_after} seconds.", retry_after
        )


def record_failure(session: Session, email: str) -> None:
    """Count one failed sign-in (in the caller's unit of work, which keeps it although it refuses)."""
    session.add(LoginFailure(email=email, failed_at=clock.now()))


def clear(session: Session, email: str) -> None:
    """Forget the failures of `email` (after a successful sign-in, or erasure)."""
    session.exec(delete(LoginFailure).where(LoginFailure.email == email))
