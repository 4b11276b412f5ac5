"""Benchmark of one invitation draw over a large pool: 27 states' rounds due at the same moment.

    python bench/bench_round.py [--sizes 1000000] [--postgres 1000000] [--share 0.01] [--repeat 3]

The pool is made and ranked once (as in bench_rerank.py, not timed); then each repeat schedules
a round for every state at a new moment, with quotas summing to `share` of the pool (in
proportion to how many candidates each state ranks), and times the draw end to end: claim the
leases, read the ranking run's entries and who is still in the pool, allocate by deferred
acceptance, and commit results, invitations and profile changes in one transaction. Earlier
repeats' invitees sit out later ones, as they would.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rerank import PeakMemory, filled_app, postgres_database, sqlite_database  # noqa: E402

from app import clock, db  # noqa: E402
from app.ranking_runs import nightly, run_entries  # noqa: E402
from app.rounds import execution  # noqa: E402
from app.rounds.models import Round  # noqa: E402
from app.rounds.scheduling import round_key, to_minute  # noqa: E402
from app.states import grid as grids  # noqa: E402
from app.storage import engines  # noqa: E402


def schedule_all_states(share: float, minutes_ago: int) -> dt.datetime:
    with engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        entries = run_entries.read(connection, run.id)
    ranked = entries.preferences[entries.ranks > 0]
    codes = grids.state_codes()
    counts = [int((ranked == s).sum()) for s in range(len(codes))]
    total_quota = share * run.candidates
    moment = to_minute(clock.now()) - dt.timedelta(minutes=minutes_ago)
    session = db.session(write=True)
    for index, code in enumerate(codes):
        size = max(1, round(total_quota * counts[index] / max(1, sum(counts))))
        session.add(Round(key=round_key(code, moment), state_code=code, scheduled_at=moment, size=size,
                          created_at=clock.now()))
    session.commit()
    session.close()
    return moment




def measure(app, share: float, repeat: int, *, cold: bool, first_minute: int) -> list[dict]:
    """`cold`: read the ranking run from the database each time (a fresh `flask rounds run --due`);
    otherwise use the copy the process kept from the re-rank (the scheduler process)."""
    results = []
    with app.app_context():
        if first_minute == 0:
            nightly.rank(clock.today())
        for i in range(repeat):
            moment = schedule_all_states(share, 2 * repeat + 2 - first_minute - i)
            owner = execution.owner_id()
            if cold:
                run_entries.forget()
            with PeakMemory() as memory:
                started = time.perf_counter()
                rounds = execution.claim(moment, owner, clock.now())
                claimed = time.perf_counter()
                outcome = execution.compute(rounds, clock.now())
                computed = time.perf_counter()
                invited = execution.commit(outcome, owner, clock.now())
                done = time.perf_counter()
            results.append({"seconds": done - started, "claim": claimed - started, "compute": computed - claimed,
                            "commit": done - computed, "invited": invited, "peak": memory.added,
                            "iterations": outcome.allocation.iterations})
    return results


def both(app, share: float, repeat: int) -> tuple[list[dict], list[dict]]:
    warm = measure(app, share, repeat, cold=False, first_minute=0)
    return warm, measure(app, share, repeat, cold=True, first_minute=repeat)


def summary(label: str, count: int, runs: list[dict]) -> str:
    median = {key: statistics.median(run[key] for run in runs) for key in ("seconds", "claim", "compute", "commit")}
    return (f"{label:<11} {count:>10,} {median['seconds']:>8.2f} s {median['claim']:>7.2f} {median['compute']:>8.2f} "
            f"{median['commit']:>7.2f} {int(statistics.median(r['invited'] for r in runs)):>8,} "
            f"{max(r['peak'] for r in runs) / 2**20:>8.0f}")


HEADER = (f"{'database':<11} {'candidates':>10} {'median':>10} {'claim':>7} {'compute':>8} {'commit':>7} "
          f"{'invited':>8} {'peak MiB':>8}")


FOOTNOTE = "* cold: the ranking run read from the database (a fresh process); others: the scheduler's kept copy"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000], help="SQLite sizes")
    parser.add_argument("--postgres", type=int, nargs="*", default=[1_000_000], help="PostgreSQL sizes")
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    for count in args.sizes:
        with sqlite_database() as url:
            warm, cold = both(filled_app(url, count), args.share, args.repeat)
            print(summary("sqlite", count, warm), flush=True)
            print(summary("sqlite*", count, cold), flush=True)
    for count in args.postgres:
        with postgres_database() as url:
            app = filled_app(url, count)
            warm, cold = both(app, args.share, args.repeat)
            print(summary("postgresql", count, warm), flush=True)
            print(summary("postgresql*", count, cold), flush=True)
            app.extensions["talentpool.engine"].dispose()
    print(FOOTNOTE)


if __name__ == "__main__":
    main()
