"""When a rule change may take effect: on the date of a nightly ranking not yet run, or later.

The nightly ranking of day D scores the pool with the rules in force on D, and rounds allocate
from it. A change taking effect on a day whose ranking is already done (or on a past day) would
make the rules "in force" that day differ from those the day's ranking and rounds used, so such
dates are refused; the default is the next ranking's date.
"""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from app import clock
from app.config import setting
from app.errors import InvalidInput
from app.ranking_runs.models import RankingRun


def next_ranking_date(session: Session) -> dt.date:
    """The date of the next nightly ranking: today if today's has not run (nor its time passed), else tomorrow."""
    now = clock.now()
    hour, minute = (int(part) for part in str(setting("RERANK_AT")).split(":"))
    today = now.date()
    ranked_today = session.exec(select(RankingRun.id).where(RankingRun.run_date == today)).first() is not None
    if ranked_today or now.time() >= dt.time(hour, minute):
        return today + dt.timedelta(days=1)
    return today


def check(session: Session, effective_from: dt.date | None, field: str = "effective_from") -> dt.date:
    """`effective_from`, or the next ranking's date if None; 422 if it is before that date."""
    earliest = next_ranking_date(session)
    if effective_from is None:
        return earliest
    if effective_from < earliest:
        raise InvalidInput(
            f"A change can take effect from {earliest.isoformat()} (the next nightly ranking) at the earliest.",
            {"json": {field: [f"Must be {earliest.isoformat()} or later."]}})
    return effective_from
