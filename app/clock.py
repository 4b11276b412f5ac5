"""The one place the service asks for the time, so tests can move it (monkeypatch `now`)."""
from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC: the date ages are computed at."""
    return now().date()
