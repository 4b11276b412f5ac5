"""A re-rank killed with `kill -9` half-way through its chunked write leaves an incomplete run,
which nobody reads and the next re-rank clears and writes again."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from rounds_helpers import add_pool, rank
from sqlalchemy import func, select

from app.ranking_runs import run_entries
from app.ranking_runs.models import RankingEntry, RankingRun, RankingTieGroup
from app.storage import engines

ROOT = Path(__file__).resolve().parents[2]


def test_a_rerank_killed_half_way_is_cleared_and_done_again(app, database_url):
    add_pool(app, 2_000, seed=8)
    env = {**os.environ, "TALENTPOOL_DATABASE_URL": database_url, "TALENTPOOL_RERANK_CHUNK_ROWS": "10"}
    chance = random.Random(20261123)
    for _attempt in range(2):
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "pool", "rerank", "--only-rank"],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert wait_for_incomplete_run(app, process), "the re-rank never started writing"
        # Hold the write lock so the re-rank is certainly stuck half-way when it dies (on a quiet
        # machine its whole write can take less than a poll), then kill it while it waits.
        with app.app_context(), engines.writer().begin() as lock:
            if lock.dialect.name == "postgresql":
                lock.exec_driver_sql("LOCK TABLE ranking_entry IN ACCESS EXCLUSIVE MODE")
            time.sleep(chance.uniform(0.05, 0.3))
            process.send_signal(signal.SIGKILL)
            process.communicate()
        with app.app_context(), engines.reader().connect() as connection:
            assert run_entries.latest_complete(connection) is None, "the write should have been cut short"
            written = connection.execute(select(func.count()).select_from(RankingEntry.__table__)).scalar_one()
        assert 0 <= written < 2_000
    report = rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        runs = connection.execute(select(RankingRun.__table__)).all()
        entries = connection.execute(select(func.count()).select_from(RankingEntry.__table__)).scalar_one()
        stray = connection.execute(select(func.count()).select_from(RankingTieGroup.__table__)
                                   .where(RankingTieGroup.__table__.c.run_id != report.run_id)).scalar_one()
        assert run_entries.latest_complete(connection).id == report.run_id
    assert len(runs) == 1 and runs[0].completed_at is not None
    assert entries == runs[0].candidates == 2_000
    assert stray == 0, "tie groups of a cleared run remain"


def wait_for_incomplete_run(app, process, timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with app.app_context(), engines.reader().connect() as connection:
            table = RankingRun.__table__
            if connection.execute(select(table.c.id).where(table.c.completed_at.is_(None))).first() is not None:
                return True
        time.sleep(0.02)
    return False
