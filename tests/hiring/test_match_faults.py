"""The nightly matches killed with `kill -9` half-way through their chunked write: readers keep
seeing yesterday's matches, exactly, and the next night clears the half-written generation and
writes today's whole (in the style of tests/rounds/test_rerank_faults.py)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Integer, cast, func, insert, literal, select
from sqlmodel import Session

from app import clock
from app.accounts.models import Account, Role
from app.hiring import match_generations, matches
from app.hiring.models import CandidateMatch, Findability, MatchGeneration, VacancyMatch
from app.storage import engines

ROOT = Path(__file__).resolve().parents[2]


def everything_seen(app) -> dict:
    """Every open vacancy's matches as readers get them: {vacancy id: [(reference, rank, fit)]}."""
    with app.app_context(), Session(engines.reader()) as session:
        return {vacancy.id: [(m.reference, m.rank, m.fit) for m in matches.of_vacancy(session, vacancy)]
                for vacancy in matches.open_vacancies(session)}


def make_the_rest_findable(app) -> None:
    """The demonstration made every other candidate findable; now all of them: tonight differs."""
    accounts, table = Account.__table__, Findability.__table__
    with app.app_context(), engines.writer().begin() as connection:
        connection.execute(insert(table).from_select(
            ["account_id", "given_at", "any_state"],
            select(accounts.c.id, literal(clock.now(), table.c.given_at.type), cast(accounts.c.id % 3 == 0, Integer) == 1)
            .where(accounts.c.role == Role.CANDIDATE.value, accounts.c.id.not_in(select(table.c.account_id)))))


def test_matches_killed_half_way_leave_yesterdays_and_are_cleared_and_written_again(app, runner, database_url):
    seeded = runner.invoke(args=["demo", "seed", "--candidates", "400", "--seed", "5"])
    assert seeded.exit_code == 0, seeded.output
    yesterday = everything_seen(app)
    assert sum(map(len, yesterday.values())) > 100, "too few matches to cut a write short"
    make_the_rest_findable(app)
    env = {**os.environ, "TALENTPOOL_DATABASE_URL": database_url, "TALENTPOOL_RERANK_CHUNK_ROWS": "10"}
    chance = random.Random(20261202)
    postgresql = database_url.startswith("postgresql")
    for _attempt in range(2):
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "pool", "matches"], cwd=ROOT,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # On SQLite its first chunks are committed before it dies; PostgreSQL's one COPY is not.
        assert wait_for_an_incomplete_generation(app, process, with_rows=not postgresql), \
            "the store never started writing"
        # Hold the write lock (PostgreSQL: the tables) so the writer is certainly stuck half-way when it dies.
        with app.app_context(), engines.writer().begin() as lock:
            if postgresql:
                lock.exec_driver_sql("LOCK TABLE vacancy_match, candidate_match IN ACCESS EXCLUSIVE MODE")
                assert wait_for_a_blocked_writer(app, process), "the store never came to its COPY"
            time.sleep(chance.uniform(0.05, 0.3))
            process.send_signal(signal.SIGKILL)
            process.communicate()
        assert everything_seen(app) == yesterday, "readers saw something of the half-written generation"

    with app.app_context():
        report = matches.store_nightly()
    today = everything_seen(app)
    assert today != yesterday and sum(map(len, today.values())) == report.matches
    with app.app_context(), engines.reader().connect() as connection:
        generations = connection.execute(select(MatchGeneration.__table__)).all()
        counts = [connection.execute(select(table.c.generation, func.count()).group_by(table.c.generation)).all()
                  for table in (VacancyMatch.__table__, CandidateMatch.__table__)]
        current = connection.execute(select(match_generations.current())).scalar()
    assert [(row.id, row.completed_at is not None, row.retired_at) for row in generations] == \
        [(report.generation, True, None)] and current == report.generation
    assert counts == [[(report.generation, report.matches)]] * 2, "rows of a cleared generation remain"


def wait_for_an_incomplete_generation(app, process, *, with_rows: bool, timeout: float = 180.0) -> bool:
    generations, table = MatchGeneration.__table__, VacancyMatch.__table__
    statement = select(func.count()).select_from(generations).where(generations.c.completed_at.is_(None))
    if with_rows:
        statement = statement.join(table, table.c.generation == generations.c.id)
    return _until(process, timeout, lambda connection: connection.execute(statement).scalar_one() > 0, app)


def wait_for_a_blocked_writer(app, process, timeout: float = 180.0) -> bool:
    blocked = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    return _until(process, timeout, lambda connection: connection.exec_driver_sql(blocked).scalar_one() > 0, app)


def _until(process, timeout: float, condition, app) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with app.app_context(), engines.reader().connect() as connection:
            if condition(connection):
                return True
        time.sleep(0.02)
    return False
