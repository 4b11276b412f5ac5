"""Settings of the nightly job, the rounds and the scheduler, with their defaults.

They live beside the service's settings in `app.config` (so `instance/config.toml` and
`TALENTPOOL_*` variables set them the same way); the defaults are filled in here only where
nothing else gave a value.
"""
from __future__ import annotations

from flask import current_app

DEFAULTS = {
    # How long a candidate has to answer an invitation.
    "INVITATION_DAYS": 60,
    # When the nightly re-rank runs, "HH:MM" in UTC.
    "RERANK_AT": "02:00",
    # Ranking runs kept besides those a round was allocated from (those are kept for verification).
    "RANKING_RUNS_KEPT": 7,
    # Withdrawn or expired profiles are deleted this many days later (the account row stays).
    "PROFILE_RETENTION_DAYS": 365,
    # Revoked or expired bearer tokens and failed sign-ins are deleted this many days later.
    "SESSION_RETENTION_DAYS": 30,
    # A process that claimed due rounds holds them this long; after that another may take over.
    "ROUND_LEASE_SECONDS": 300,
    # The scheduler starts a due round this long after its time at the latest, or skips to the next check.
    "SCHEDULER_MISFIRE_SECONDS": 3600,
    # Width of the score buckets of the public pool distribution.
    "DISTRIBUTION_BUCKET": 50,
}


def init_app(app) -> None:
    """Fill in the defaults the configuration did not set."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)


def setting(name: str):
    """The current application's value of `name`."""
    return current_app.config[name]
