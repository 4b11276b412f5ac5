"""Crashes and races: `kill -9` at random points, and processes racing for the same rounds.

Each process is a real `flask rounds run --due` (or `flask scheduler run`) on the test's database.
`ROUNDS_PHASE_DELAY` widens the windows between claiming, allocating and committing, so random
kills land inside them rather than only during start-up. Afterwards every round must have been
completed once, every candidate invited at most once, each draw must equal textbook deferred
acceptance given the earlier draws, and `flask rounds verify` must agree.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from rounds_helpers import add_pool, due_rounds, invitations, rank, rounds_by_key, textbook

ROOT = Path(__file__).resolve().parents[2]
DRAWS = ({"DE": 7, "FR": 5, "NL": 3}, {"DE": 6, "IE": 4}, {"FR": 5, "PL": 4, "NL": 2})


def flask(database_url: str, *args: str, delay: float = 0.3) -> subprocess.Popen:
    env = {**os.environ, "TALENTPOOL_DATABASE_URL": database_url, "TALENTPOOL_ROUNDS_PHASE_DELAY": str(delay),
           "TALENTPOOL_MAIL_HOST": "127.0.0.1"}  # the scheduler refuses to start without one (nothing is sent)
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def schedule_draws(app) -> list[list[str]]:
    add_pool(app, 300, seed=21)
    rank(app)
    return [due_rounds(app, sizes, minutes_ago=len(DRAWS) - n) for n, sizes in enumerate(DRAWS)]


def check_exactly_once(app, runner, draws: list[list[str]]) -> None:
    stored = invitations(app)
    assert len({i.candidate_id for i in stored}) == len(stored), "a candidate was invited twice"
    rounds = rounds_by_key(app, [key for keys in draws for key in keys])
    assert all(r.status == "completed" for r in rounds.values())
    earlier: set[int] = set()
    for keys, sizes in zip(draws, DRAWS):
        ids = {rounds[key].id for key in keys}
        got = {i.candidate_id: i.state_code for i in stored if i.round_id in ids}
        for key in keys:
            assert rounds[key].invited == sum(1 for i in stored if i.round_id == rounds[key].id)
        assert got == textbook(app, 1, sizes, excluded=earlier)
        earlier |= set(got)
        result = runner.invoke(args=["rounds", "verify", keys[0]])
        assert result.exit_code == 0, result.output


def test_killing_the_round_process_at_random_points_leaves_each_round_done_once(app, runner, database_url):
    draws = schedule_draws(app)
    chance = random.Random(20261122)
    kills = 0
    for _attempt in range(6):
        process = flask(database_url, "rounds", "run", "--due")
        try:
            process.wait(timeout=chance.uniform(0.8, 3.5))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.communicate()
    final = flask(database_url, "rounds", "run", "--due", delay=0)
    output, _ = final.communicate(timeout=120)
    assert final.returncode == 0, output
    assert kills >= 2, "the random kills should interrupt several runs"
    check_exactly_once(app, runner, draws)


def test_processes_racing_for_the_same_rounds_complete_each_once(app, runner, database_url):
    draws = schedule_draws(app)
    racers = [flask(database_url, "rounds", "run", "--due", delay=0.2) for _ in range(3)]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert all(racer.returncode == 0 for racer in racers), outputs
    check_exactly_once(app, runner, draws)


def test_two_schedulers_started_at_once_run_one_round_per_key(app, runner, database_url):
    draws = schedule_draws(app)
    schedulers = [flask(database_url, "scheduler", "run", delay=0.2) for _ in range(2)]
    try:
        deadline = time.monotonic() + 90
        keys = [key for keys in draws for key in keys]
        while time.monotonic() < deadline:
            if all(r.status == "completed" for r in rounds_by_key(app, keys).values()):
                break
            time.sleep(0.5)
    finally:
        for scheduler in schedulers:
            scheduler.send_signal(signal.SIGTERM)
        logs = [scheduler.communicate(timeout=30)[0] for scheduler in schedulers]
    assert all(s.returncode == 0 for s in schedulers), logs
    check_exactly_once(app, runner, draws)
