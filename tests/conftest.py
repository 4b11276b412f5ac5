"""Fixtures in the style of Flask's tutorial (`app`, `client`, `runner`), over real databases.

Every test that touches the database runs twice: on SQLite and on PostgreSQL. PostgreSQL comes
from `TALENTPOOL_TEST_POSTGRES_URL` (a server where we may create databases) or, failing that, a
throwaway cluster started in a temporary directory from the server binaries on this machine
(as the `postgres` user when we are root: PostgreSQL refuses to run as root). Without either the
PostgreSQL half is skipped and the run ends by saying so.

Each test gets a fresh database copied from one migrated once per run (a file copy on SQLite,
`CREATE DATABASE ... TEMPLATE` on PostgreSQL), so no test sees another's rows.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import clock, create_app, db
from app.migrate import upgrade

TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test",
    # The cheapest argon2id: the suite hashes hundreds of passwords.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    # Long enough that tests moving the clock by months keep their signed-in users.
    "TOKEN_TTL_SECONDS": 2 * 366 * 24 * 3600,
}
POSTGRES_SKIPPED: list[str] = []
# Set by .ci/run: there, PostgreSQL not running is a failure rather than a skip.
REQUIRE_POSTGRES = bool(os.environ.get("TALENTPOOL_REQUIRE_POSTGRES"))
_database_numbers = itertools.count()


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_binaries() -> Path | None:
    candidates = [shutil.which("initdb")] + sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    for initdb in filter(None, candidates):
        folder = Path(initdb).resolve().parent
        if (folder / "pg_ctl").exists():
            return folder
    return None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary directory, listening on a free loopback port."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.directory = Path(tempfile.mkdtemp(prefix="talentpool-pg-"))
        self.port = free_port()

    def start(self) -> str:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")  # KeyError: no such user -> caller skips
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        data = self.directory / "data"
        subprocess.run(_as_server_user([str(self.binaries / "initdb"), "-D", str(data), "-U", "postgres",
                                        "-A", "trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(_as_server_user([str(self.binaries / "pg_ctl"), "-D", str(data), "-o", options,
                                        "-l", str(self.directory / "server.log"), "-w", "start"]),
                       check=True, capture_output=True)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(_as_server_user([str(self.binaries / "pg_ctl"), "-D", str(self.directory / "data"),
                                        "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin_url():
    """A URL of a PostgreSQL database with the right to create databases, or a skip."""
    if os.environ.get("TALENTPOOL_TEST_POSTGRES") == "off":
        _skip_postgres("TALENTPOOL_TEST_POSTGRES=off")
    url = os.environ.get("TALENTPOOL_TEST_POSTGRES_URL")
    if url:
        yield db.normalise_url(url)
        return
    binaries = _server_binaries()
    if binaries is None:
        reason = "no TALENTPOOL_TEST_POSTGRES_URL and no PostgreSQL server binaries (initdb, pg_ctl) here"
        _skip_postgres(reason)
    cluster = ThrowawayCluster(binaries)
    try:
        url = cluster.start()
    except (OSError, KeyError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        reason = f"could not start a throwaway cluster from {binaries}: {error} {detail.decode(errors='replace')}"
        cluster.stop()
        _skip_postgres(reason.strip())
    yield url
    cluster.stop()


def _skip_postgres(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required (TALENTPOOL_REQUIRE_POSTGRES) but {reason}", pytrace=False)
    POSTGRES_SKIPPED.append(reason)
    pytest.skip(f"PostgreSQL run skipped: {reason}")


def _admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url):
    """A database migrated to the latest schema, copied for every test."""
    name = f"talentpool_template_{os.getpid()}"
    _admin(postgres_admin_url, f"DROP DATABASE IF EXISTS {name}")
    _admin(postgres_admin_url, f"CREATE DATABASE {name}")
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": _with_database(postgres_admin_url, name)})
    with app.app_context():
        upgrade()
    app.extensions["talentpool.engine"].dispose()
    yield name
    _admin(postgres_admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated to the latest schema, copied for every test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    app = create_app({**TEST_SETTINGS, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
    app.extensions["talentpool.engine"].dispose()
    return path


def fresh_database(request, kind: str, folder: Path):
    """A new migrated database of `kind` (a generator: drops it afterwards)."""
    if kind == "sqlite":
        path = folder / "talentpool.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_template")
    name = f"talentpool_test_{os.getpid()}_{next(_database_numbers)}"
    _admin(admin_url, f"CREATE DATABASE {name} TEMPLATE {template}")
    yield _with_database(admin_url, name)
    _admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, migrated database of each kind, for one test."""
    yield from fresh_database(request, request.param, tmp_path)


@pytest.fixture
def app(database_url):
    """The application on a fresh database, with cheap password hashing."""
    application = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url})
    yield application
    application.extensions["talentpool.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pytest_addoption(parser):
    parser.addoption(
        "--time-of-day", metavar="HH:MM",
        help="run with the service's clock shifted to this UTC time of day today (e.g. 00:30, before the "
             "nightly ranking), to find tests that only pass at some hours. Processes the suite starts, "
             "migrations and the TOTP codes tests compute keep the real time, so the few tests that "
             "compare those with the service's clock fail under it")


def pytest_configure(config):
    """Shift `app.clock.now` for the whole run when `--time-of-day` asks for it."""
    wanted = config.getoption("--time-of-day")
    if not wanted:
        return
    from datetime import UTC, datetime, time

    real_now = clock.now
    start = real_now()
    offset = start - datetime.combine(start.date(), time.fromisoformat(wanted), UTC)
    clock.now = lambda: real_now() - offset


class Clock:
    """A clock tests move by hand; starts at the (possibly shifted) time of the service's clock."""

    def __init__(self):
        self.moment = clock.now()

    def now(self):
        return self.moment

    def advance(self, **delta):
        from datetime import timedelta

        self.moment += timedelta(**delta)


@pytest.fixture
def frozen_clock(monkeypatch):
    """Replace `app.clock.now` with a clock the test moves."""
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake.now)
    return fake


def pytest_unconfigure(config):
    """Say it on the run's last line, not only among the skips, when PostgreSQL did not run."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if POSTGRES_SKIPPED and reporter is not None:
        reporter.write_line(f"PostgreSQL run skipped: {POSTGRES_SKIPPED[0]}", yellow=True, bold=True)


PASSWORD = "correct horse battery staple"
# Officials and administrators made by `make_account` come enrolled in two-factor sign-in with this.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def second_factor_code(app, email: str) -> str:
    """A two-factor code the service accepts now for `email` and has not seen (tests sign in often)."""
    from app.accounts import two_factor
    from app.accounts.models import Account
    from sqlmodel import select

    with app.app_context(), db.unit_of_work() as session:
        account = session.exec(select(Account).where(Account.email == email)).one()
        return two_factor.unused_code(session, account)


@pytest.fixture
def make_account(app):
    """Create an account and a token for it; returns what a test needs to act as that person."""
    from app.accounts import registration, tokens, two_factor
    from app.accounts.models import Role
    from app.accounts.passwords import hash_password

    numbers = itertools.count(1)

    def make(role: str = "candidate", state: str | None = None, email: str | None = None,
             verified: bool = True) -> dict:
        email = email or f"{role}{next(numbers)}{('.' + state.lower()) if state else ''}@example.eu"
        with app.test_request_context("/", method="POST"):
            account = registration.create(db.session(), email, hash_password(PASSWORD), Role(role), state,
                                          verified=verified)
            if two_factor.applies(account):
                two_factor.enrol_with_secret(db.session(), account.id, TOTP_SECRET)
            db.session().commit()
            code = second_factor_code(app, email) if two_factor.applies(account) else None
            raw, _ = tokens.issue(email, PASSWORD, "fixture", otp=code)
            db.session().commit()
        return {"id": account.id, "email": email, "role": role, "state": state, "otp_secret": TOTP_SECRET,
                "headers": {"Authorization": f"Bearer {raw}"}}

    return make


@pytest.fixture
def candidate(make_account):
    return make_account()


def sample_profile(**changes) -> dict:
    """The issue's example expression of interest, with `changes` applied."""
    profile = {
        "date_of_birth": "1994-05-17",
        "education_level": 6,
        "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}],
        "experience": [{"occupation": "2512", "years": 4}],
        "job_offer": None,
        "eu_study": False, "eu_work": False, "talent_partnership": False,
        "preferences": ["DE", "NL", "IE"],
    }
    profile.update(changes)
    return profile
