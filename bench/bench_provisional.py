"""Benchmark of the provisional standing: one profile response's rank at each chosen state.

    python bench/bench_provisional.py [--pool 1000000] [--requests 2000] [--database URL]

Against a ranked database: `--database` (say, the load benchmark's), or a fresh SQLite file
seeded with `flask demo seed --candidates N` and ranked once (timed apart as "setup"). Each
request places one candidate, half of them in the run and half new, choosing 1 to 3 states with
totals drawn from the run's own (so most of them tie with somebody), exactly as a profile
response does (`provisional_standing.of_candidate`: the latest run, the candidate's own entry,
the counts, the tie groups). Reported: the first request of a process (it reads the run's counts),
p50/p99 wall and CPU time of the others, the counts' memory (what a worker keeps) and the largest
tie group's keys (what one request reads at most per state), and both extrapolated to 10M.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import numpy as np  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.ranking_runs import provisional_standing, run_counts, run_entries  # noqa: E402
from app.ranking_runs.models import RankingTieGroup  # noqa: E402
from app.states.grid import state_codes  # noqa: E402
from app.storage import engines  # noqa: E402


def seeded(folder: Path, pool: int) -> str:
    url = f"sqlite:///{folder}/provisional.sqlite3"
    env = {**os.environ, "TALENTPOOL_DATABASE_URL": url, "TALENTPOOL_SECRET_KEY": "bench-" + "x" * 40}
    for args in (["db", "upgrade"], ["demo", "seed", "--candidates", str(pool)], ["pool", "rerank", "--only-rank"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    return url


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def run(url: str, requests: int, seed: int) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40, "TESTING": True})
    rng = random.Random(seed)
    codes = state_codes()
    with app.app_context(), engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        groups = RankingTieGroup.__table__
        stats = connection.execute(select(func.count(), func.max(groups.c.size), func.sum(groups.c.size))
                                   .where(groups.c.run_id == run.id)).one()
        totals = [t for (t,) in connection.execute(select(groups.c.total).where(groups.c.run_id == run.id))]
        known = [(int(c), int(f)) for c, f in connection.execute(
            select(run_entries.RankingEntry.candidate_id, run_entries.RankingEntry.first_submitted_us)
            .where(run_entries.RankingEntry.run_id == run.id).limit(5000))]
        asks = []
        for i in range(requests + 1):
            candidate, first_us = known[rng.randrange(len(known))] if i % 2 else (10**8 + i, 2 * 10**15)
            states = np.array(rng.sample(range(len(codes)), rng.randint(1, 3)))
            asks.append((candidate, first_us, states, np.array([rng.choice(totals) for _ in states])))
        run_counts.forget()
        walls, cpus = [], []
        for candidate, first_us, states, chosen_totals in asks:
            wall, cpu = time.perf_counter(), time.process_time()
            provisional_standing.of_candidate(connection, candidate, first_us, states, chosen_totals, codes)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        counts = run_counts.of_run(connection, run, len(codes))
    memory = sum(a.nbytes for a in (counts.states, counts.totals, counts.sizes, counts.starts, counts.above))
    scale = 10_000_000 / max(run.candidates, 1)
    print(f"run {run.id}: {run.candidates} candidates, {stats[0]} tie groups over {stats[2]} ranked preferences")
    print(f"first request (reads the run's counts): {walls[0] * 1000:.1f} ms wall, {cpus[0] * 1000:.1f} ms CPU")
    print(f"{requests} requests: p50 {percentile(walls[1:], 50):.2f} ms, p99 {percentile(walls[1:], 99):.2f} ms wall; "
          f"CPU p50 {percentile(cpus[1:], 50):.2f} ms, p99 {percentile(cpus[1:], 99):.2f} ms")
    print(f"kept per worker: {memory / 1e3:.0f} KB of counts (bounded by states x totals, not by the pool); "
          f"largest tie group {stats[1]} candidates = {stats[1] * 12 / 1e3:.0f} KB read per state at most "
          f"(about {stats[1] * 12 * scale / 1e6:.1f} MB at 10M, read per request, never kept)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database", help="a ranked database to use instead of seeding one")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.database:
        run(args.database, args.requests, args.seed)
        return
    with tempfile.TemporaryDirectory(prefix="talentpool-provisional-") as tmp:
        started = time.perf_counter()
        url = seeded(Path(tmp), args.pool)
        print(f"setup: {args.pool} candidates seeded and ranked in {time.perf_counter() - started:.0f} s")
        run(url, args.requests, args.seed)


if __name__ == "__main__":
    main()
