"""The privacy notice (`/privacy`): what the pool keeps about a candidate, why, for how long, who
sees it, and how each right of GDPR arts. 13-22 is used here.

Every period is read from the configuration the service runs with (`app.config`, the same values
`privacy.retention` and the token and throttle code use), never written into the text, so the
notice cannot promise one period while the nightly job applies another.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template

from app.web import languages

blp = Blueprint("privacy", __name__)


@dataclass(frozen=True)
class Periods:
    """The retention periods, in the units the notice speaks of."""

    profile_months: int            # a profile stays in the pool this long unless renewed
    profile_days_after: int        # a withdrawn or expired profile is deleted this many days later
    session_hours: int             # a sign-in lasts this long
    session_days_after: int        # ended sessions and failed sign-ins are deleted this many days later
    throttle_minutes: int          # a count of sign-in attempts starts again after this long
    invitation_days: int           # the time to answer an invitation
    rankings_kept: int             # nightly rankings kept besides those a round used
    language_cookie_days: int      # the language choice is remembered this long


def periods(config) -> Periods:
    return Periods(
        profile_months=config["PROFILE_VALIDITY_MONTHS"],
        profile_days_after=config["PROFILE_RETENTION_DAYS"],
        session_hours=max(1, config["TOKEN_TTL_SECONDS"] // 3600),
        session_days_after=config["SESSION_RETENTION_DAYS"],
        throttle_minutes=max(1, config["THROTTLE_WINDOW_SECONDS"] // 60),
        invitation_days=config["INVITATION_DAYS"],
        rankings_kept=config["RANKING_RUNS_KEPT"],
        language_cookie_days=languages.COOKIE_MAX_AGE // (24 * 3600),
    )


@blp.get("/privacy")
def notice():
    config = current_app.config
    return render_template("public/privacy.html", periods=periods(config), contact=config.get("PRIVACY_CONTACT") or "")
