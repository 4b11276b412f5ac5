"""A web worker's (and the scheduler's) background load of the newest run (`app.ranking_runs.warm_up`) and the one-load-
at-a-time rule of `run_entries.of_run`, on both databases."""
from __future__ import annotations

import datetime as dt
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from rounds_helpers import add_pool, rank

from app import clock
from app.ranking_runs import run_entries, run_pool, warm_up
from app.storage import engines

ROOT = Path(__file__).resolve().parents[2]


def _until(condition, seconds: float = 60) -> bool:
    """Whether `condition()` became true within `seconds` (a bound for a slow machine, not a measure)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _rows(app, run_id):
    with app.app_context(), engines.reader().connect() as connection:
        return run_entries.read(connection, run_id)


def test_warm_loads_the_newest_complete_run_with_its_decoded_columns(app):
    run_entries.forget()
    assert warm_up.warm(app) is None and run_entries.cached_run_id() is None
    add_pool(app, 120, seed=11)
    first = rank(app).run_id
    run_entries.forget()  # the re-rank keeps what it wrote: this process must read the run back
    assert warm_up.warm(app) == first == run_entries.cached_run_id()
    with app.app_context(), engines.reader().connect() as connection:
        held = run_entries.of_run(connection, run_entries.latest_complete(connection))
    expected = _rows(app, first)  # the entry rows, read apart from the chunks the warm-up used
    np.testing.assert_array_equal(held.matrix, expected.matrix)
    for column in ("preferences", "scores", "ranks"):
        assert column in held.__dict__  # decoded by the warm-up, not by the first request
        np.testing.assert_array_equal(getattr(held, column), getattr(expected, column))
    second = rank(app, clock.today() + dt.timedelta(days=1)).run_id
    run_entries.forget()
    assert warm_up.warm(app) == second == run_entries.cached_run_id()


def test_the_thread_loads_a_new_run_within_its_interval(app):
    add_pool(app, 60, seed=12)
    first = rank(app).run_id
    run_entries.forget()
    app.config["RUN_WARM_UP_SECONDS"] = 0.05
    stop = warm_up.start(app)
    try:
        assert _until(lambda: run_entries.cached_run_id() == first)
        second = rank(app, clock.today() + dt.timedelta(days=1)).run_id
        run_entries.forget()
        assert _until(lambda: run_entries.cached_run_id() == second)
    finally:
        stop.set()


def test_no_thread_when_turned_off(app):
    app.config["RUN_WARM_UP_SECONDS"] = 0
    before = {thread.name for thread in threading.enumerate()}
    assert warm_up.start(app) is None
    assert "run-warm-up" not in {thread.name for thread in threading.enumerate()} - before


def test_requests_at_once_read_a_run_once(app, monkeypatch):
    add_pool(app, 80, seed=13)
    rank(app)
    run_entries.forget()
    reads, real = [], run_pool.read_entries

    def slow_read(connection, run):
        reads.append(run.id)
        time.sleep(0.2)  # a long read, as at scale: the others arrive while it runs
        return real(connection, run)

    monkeypatch.setattr(run_pool, "read_entries", slow_read)
    got, ready = [], threading.Barrier(8)

    def request():
        with app.app_context(), engines.reader().connect() as connection:
            run = run_entries.latest_complete(connection)
            ready.wait()
            got.append(run_entries.of_run(connection, run))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1
    assert len(got) == 8 and all(entries is got[0] for entries in got)


def test_gunicorn_starts_the_warm_up_in_each_worker(app):
    add_pool(app, 40, seed=14)
    run_id = rank(app).run_id
    run_entries.forget()
    app.config["RUN_WARM_UP_SECONDS"] = 0.05
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    started = []
    real_start = warm_up.start
    try:
        warm_up.start = lambda application: started.append(real_start(application)) or started[-1]
        settings["post_worker_init"](SimpleNamespace(wsgi=app))  # what gunicorn hands the hook
    finally:
        warm_up.start = real_start
    try:
        assert _until(lambda: run_entries.cached_run_id() == run_id)
    finally:
        started[0].set()


def test_the_scheduler_loads_the_newest_run_when_it_starts(app, database_url):
    """A real `flask scheduler run`: its first round in the process must not pay for reading the run."""
    add_pool(app, 40, seed=15)
    run_id = rank(app).run_id
    env = {**os.environ, "TALENTPOOL_DATABASE_URL": database_url, "TALENTPOOL_MAIL_HOST": "127.0.0.1"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        loaded = _until(lambda: any(f"ranking run {run_id} loaded" in line for line in lines), seconds=90)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=10)
        process.stdout.close()
    assert loaded, "".join(lines)
    assert not any("catching up the nightly job" in line for line in lines), "".join(lines)
