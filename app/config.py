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
    # Database connections each process keeps open, and how many more it may open at a peak
    # (app/db.py). Keep the first at gunicorn's threads per process (TALENTPOOL_THREADS, 32): with
    # fewer, the threads beyond it opened and closed a connection per request. On PostgreSQL,
    # max_connections must exceed processes × (size + overflow) plus the scheduler's.
    "DATABASE_POOL_SIZE": 32,
    "DATABASE_POOL_OVERFLOW": 8,
    # A `Server-Timing` header and a log line per request with its time in the app, in SQL and on
    # the CPU (app/request_timing.py); for the load benchmark, off in production.
    "SERVER_TIMING": False,
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
    # Two-factor codes of officials and administrators (app/accounts/two_factor.py): wrong codes on
    # one account from one address are limited as passwords are (SIGN_IN_PAIR_LIMIT, growing
    # delays); on one account from anywhere this many, then the same growing delays (a 6-digit code
    # must not be guessable from many addresses). The web's second step must follow the password
    # within this many seconds.
    "SECOND_FACTOR_ACCOUNT_LIMIT": 10,
    "SECOND_FACTOR_WAIT_SECONDS": 300,
    "PROFILE_VALIDITY_MONTHS": 12,
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 64 * 1024,
    "ARGON2_PARALLELISM": 4,
    # Hashes run on this many threads per process, at this much lower CPU priority (Linux "nice"),
    # with at most this many waiting or running; beyond that a sign-in gets 429 (app/accounts/passwords.py).
    "PASSWORD_HASH_THREADS": 2,
    "PASSWORD_HASH_NICE": 10,
    "PASSWORD_HASH_QUEUE": 16,
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
    # Each web worker loads the newest ranking run at start and looks for a newer one this often
    # (seconds; 0: never, the first request that needs it loads it), at this lower CPU priority
    # (app/ranking_runs/warm_up.py).
    "RUN_WARM_UP_SECONDS": 60,
    "RUN_WARM_UP_NICE": 10,
    # Ranking runs kept besides those a round was allocated from (those are kept for verification).
    "RANKING_RUNS_KEPT": 7,
    # Ranking entries per write transaction of the re-rank (and per delete of an old run): on
    # SQLite each chunk holds the write lock. Through Arrow, 100,000 entries are ingested in about
    # 0.11 s and deleted in 0.055 s (10M pool, quiet machine): a margin of four under 0.5 s for a
    # busy one. Each chunk is followed by a pause for waiting writers (at least 10 ms,
    # `sqlite_arrow_process.GAP_SECONDS`): 25,000 a chunk spent 4 s of a 10M re-rank in pauses.
    "RERANK_CHUNK_ROWS": 100_000,
    # Withdrawn or expired profiles are deleted this many days later (the account row stays).
    "PROFILE_RETENTION_DAYS": 365,
    # Revoked or expired bearer tokens and failed sign-ins are deleted this many days later.
    "SESSION_RETENTION_DAYS": 30,
    # A process that claimed due rounds holds them this long; after that another may take over.
    "ROUND_LEASE_SECONDS": 300,
    # The scheduler starts a due round this long after its time at the latest, or skips to the next check.
    "SCHEDULER_MISFIRE_SECONDS": 3600,
    # Who runs this installation and how to reach them about personal data (name, address, data
    # protection officer), shown on the privacy notice; empty until the operator sets it.
    "PRIVACY_CONTACT": "",
    # Width of the score buckets of the public pool distribution.
    "DISTRIBUTION_BUCKET": 50,
    # Outgoing mail (app/notifications/delivery.py). No host: production refuses to start
    # (`require_production_mail`); `make run` points these at the development mail server.
    "MAIL_HOST": None,
    "MAIL_PORT": 587,
    # "starttls" (upgrade a plain connection, port 587), "tls" (implicit TLS, port 465), or "none"
    # (only for a server on this machine: the development mail server, the tests').
    "MAIL_SECURITY": "starttls",
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    # A PEM file of the certificate authorities to trust for the mail server, instead of the
    # system's (a relay with a certificate from a private CA); the host name is checked either way.
    "MAIL_CA_FILE": None,
    "MAIL_FROM": "EU Talent Pool <no-reply@talentpool.example.eu>",
    "MAIL_TIMEOUT_SECONDS": 30,
    # Tries per message, then it is dead (logged); the wait after the first failure, doubling.
    "MAIL_MAX_ATTEMPTS": 6,
    "MAIL_RETRY_FIRST_SECONDS": 60,
    # A message found `sending` this long after its claim was cut off by a crash (see delivery.py).
    "MAIL_SENDING_LEASE_SECONDS": 600,
    # Messages per `flask mail send` or scheduler run at most (the rest wait for the next minute).
    "MAIL_BATCH": 200,
    # Sent and dead messages are deleted this many days after they were created.
    "MAIL_RETENTION_DAYS": 90,
    # Where the development mail server listens (`make run`) and keeps messages (instance folder).
    "DEV_MAIL_PORT": 8025,
    # Links in messages: the public address of the pages (no trailing slash).
    "PUBLIC_URL": "http://127.0.0.1:5000",
    # Single-use links mailed to a candidate: how long each stays valid.
    "VERIFICATION_TTL_HOURS": 72,
    "PASSWORD_RESET_TTL_MINUTES": 60,
    # Account mails one address may ask for (reset, resend), then the growing delays.
    "ACCOUNT_MAIL_LIMIT": 5,
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


def is_development(app) -> bool:
    """Debug, testing or `TALENTPOOL_ENV=development` (which `make run` sets): not production."""
    return bool(app.debug or app.testing or app.config.get("ENV") == "development")


class ConfigurationError(RuntimeError):
    """A setting the service cannot run with; the message says how to fix it."""


def require_production_mail(app) -> None:
    """Refuse to run without a mail server outside development: accounts depend on mail
    (verification, password reset), and an outbox nobody empties only grows.

    Called where the web service starts (`wsgi.py`) and where mail is sent (`flask mail send`,
    `flask scheduler run`)."""
    if app.debug or app.testing or app.config.get("ENV") == "development":
        return
    if not app.config.get("MAIL_HOST"):
        raise ConfigurationError(
            "MAIL_HOST is not set; production needs an SMTP server for account and invitation mail. "
            "Set TALENTPOOL_MAIL_HOST (and MAIL_PORT, MAIL_SECURITY, MAIL_USERNAME, MAIL_PASSWORD) or "
            "`MAIL_HOST = \"...\"` in instance/config.toml, or TALENTPOOL_ENV=development on a developer's machine.")
    if app.config.get("MAIL_SECURITY") not in ("starttls", "tls", "none"):
        raise ConfigurationError(f"MAIL_SECURITY is {app.config.get('MAIL_SECURITY')!r}; use starttls, tls or none.")


def require_production_secret(app) -> None:
    """Refuse to serve with the development `SECRET_KEY` (or a short one) outside development.

    Called where the web service starts (`wsgi.py`), not in CLI commands, which sign nothing. Debug,
    testing and `TALENTPOOL_ENV=development` (which `make run` sets) may use the development key.
    """
    if is_development(app):
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < SECRET_KEY_MIN_LENGTH:
        raise ConfigurationError(
            f"SECRET_KEY is {'the development default' if key == DEVELOPMENT_SECRET_KEY else 'missing or too short'}; "
            f"production needs a random one of at least {SECRET_KEY_MIN_LENGTH} characters. Set one with "
            "`export TALENTPOOL_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')` "
            "or `SECRET_KEY = \"...\"` in instance/config.toml (keep it out of version control), "
            "or set TALENTPOOL_ENV=development on a developer's machine.")
