"""Where settings come from, in order: defaults, `instance/config.toml` (or `.py`), `TALENTPOOL_*` variables.

A test passes its own mapping instead of the last two, so a developer's instance folder or shell
environment can never leak into the suite.
"""
from __future__ import annotations

import tomllib

from flask import current_app

DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
SECRET_KEY_MIN_LENGTH = 32

DEFAULTS = {
    # "development" (TALENTPOOL_ENV=development, as `make run` sets) accepts the development secret.
    "ENV": "production",
    "SECRET_KEY": DEVELOPMENT_SECRET_KEY,
    # None means: the SQLite file `talentpool.sqlite3` in the instance folder.
    "DATABASE_URL": None,
    "SQLITE_BUSY_TIMEOUT_MS": 10_000,
    # Request bodies above this many bytes are refused with 413 before they are parsed.
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "TOKEN_TTL_SECONDS": 24 * 3600,
    # Sign-in and registration limits (app/accounts/throttle.py; README "Limits"). Attempts on one
    # account from one address, then one per growing delay (first delay, doubling, up to the max):
    "SIGN_IN_PAIR_LIMIT": 5,
    # ... from one address on any accounts (password spraying), then the same growing delays:
    "SIGN_IN_ADDRESS_LIMIT": 30,
    # ... on one account from anywhere, then one attempt per spacing: slowed, never locked out.
    "SIGN_IN_ACCOUNT_LIMIT": 100,
    "SIGN_IN_ACCOUNT_SPACING_SECONDS": 2,
    # Registrations from one address, then the growing delays.
    "REGISTRATION_ADDRESS_LIMIT": 10,
    "THROTTLE_FIRST_DELAY_SECONDS": 30,
    "THROTTLE_MAX_DELAY_SECONDS": 15 * 60,
    # A count starts again after this long without an attempt.
    "THROTTLE_WINDOW_SECONDS": 15 * 60,
    "PROFILE_VALIDITY_MONTHS": 12,
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 64 * 1024,
    "ARGON2_PARALLELISM": 4,
    "DEMO_CANDIDATES": 3000,
    "DEMO_PASSWORD": "demo-password-2026",
    "API_TITLE": "Talent Pool",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    # Swagger UI's files come from the pinned `swagger-ui-bundle` package, served by `app.swagger_ui`.
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
    # Behind a reverse proxy, the number of proxies whose X-Forwarded-For/-Proto to believe (0: none).
    "TRUSTED_PROXIES": 0,
    # How long a candidate has to answer an invitation.
    "INVITATION_DAYS": 60,
    # After this many invitations expired unanswered (since the profile's last entry) it leaves the pool.
    "UNANSWERED_INVITATIONS_LIMIT": 2,
    # Reminders of a pending invitation, this many days before its deadline.
    "INVITATION_REMINDER_DAYS": (14, 3),
    # A candidate is told this many days before their profile expires.
    "PROFILE_EXPIRY_NOTICE_DAYS": 30,
    # The profile and address shared with a state are deleted this many days after the final outcome.
    "SHARED_DATA_RETENTION_DAYS": 180,
    # A false claim found by a state bars the candidate from the pool for this many years.
    "MISREPRESENTATION_BAR_YEARS": 5,
    # When the nightly re-rank runs, "HH:MM" in UTC.
    "RERANK_AT": "02:00",
    # Ranking runs kept besides those a round was allocated from (those are kept for verification).
    "RANKING_RUNS_KEPT": 7,
    # Ranking entries per write transaction of the re-rank (and per delete of an old run): on
    # SQLite each chunk holds the write lock: 50,000 took 0.3-0.6 s in the spike and up to 1.55 s
    # with the machine ~8x oversubscribed, so half that, for a margin under 0.5 s.
    "RERANK_CHUNK_ROWS": 25_000,
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


def load(app, test_config: dict | None) -> None:
    """Fill `app.config` from every source, later sources winning."""
    app.config.from_mapping(DEFAULTS)
    if test_config is not None:
        app.config.from_mapping(test_config)
    else:
        app.config.from_file("config.toml", load=tomllib.load, text=False, silent=True)
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("TALENTPOOL")
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{app.instance_path}/talentpool.sqlite3"


def setting(name: str):
    """The current application's value of `name`."""
    return current_app.config[name]

class ConfigurationError(RuntimeError):
    """A setting the service cannot run with; the message says how to fix it."""


def require_production_secret(app) -> None:
    """Refuse to serve with the development `SECRET_KEY` (or a short one) outside development.

    Called where the web service starts (`wsgi.py`), not in CLI commands, which sign nothing. Debug,
    testing and `TALENTPOOL_ENV=development` (which `make run` sets) may use the development key.
    """
    if app.debug or app.testing or app.config.get("ENV") == "development":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < SECRET_KEY_MIN_LENGTH:
        raise ConfigurationError(
            f"SECRET_KEY is {'the development default' if key == DEVELOPMENT_SECRET_KEY else 'missing or too short'}; "
            f"production needs a random one of at least {SECRET_KEY_MIN_LENGTH} characters. Set one with "
            "`export TALENTPOOL_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')` "
            "or `SECRET_KEY = \"...\"` in instance/config.toml (keep it out of version control), "
            "or set TALENTPOOL_ENV=development on a developer's machine.")
