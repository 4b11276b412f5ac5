"""Benchmark of one invitation draw over a large pool: 27 states' rounds due at the same moment.

    python bench/bench_round.py [--sizes 1000000] [--postgres 1000000] [--share 0.01] [--repeat 3]

The pool is made and ranked once (as in bench_rerank.py, not timed); then each repeat schedules
a round for every state at a new moment, with quotas summing to `share` of the pool (in
proportion to how many candidates each state ranks), and times the draw end to end: claim the
leases, read the ranking run's entries and who is still in the pool, allocate by deferred
acceptance, and commit results, invitations and profile changes in one transaction. Earlier
repeats' invitees sit out later ones, as they would.

Three ways, each its own line: warm (the scheduler process, which keeps the run it ranked), cold
(the same process after dropping that copy: the run's entries read from the database), and
fresh: a new interpreter that does what `flask rounds run --due` does (import the application,
create it, claim, allocate, commit), timed from before it starts to its exit, with its own
split (imports, app creation, claim, compute, commit). Wall and CPU seconds (this process's, or
the fresh child's) are both given: on a shared machine the CPU figure is the steadier one.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __name__ == "__main__" and sys.argv[1:2] == ["--fresh-child"]:  # before any import of the application
    FRESH_STARTED = (time.perf_counter(), time.process_time())

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rerank import ROOT, PeakMemory, filled_app, postgres_database, sqlite_database  # noqa: E402

from app import clock, create_app, db  # noqa: E402
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
                times = draw_once(moment, owner)
            results.append({**times, "peak": memory.added})
    return results


def draw_once(moment: dt.datetime, owner: str) -> dict:
    """Claim, compute and commit the draw at `moment`; wall seconds of each step, CPU seconds of all."""
    started, started_cpu = time.perf_counter(), time.process_time()
    rounds = execution.claim(moment, owner, clock.now())
    claimed = time.perf_counter()
    outcome = execution.compute(rounds, clock.now())
    computed = time.perf_counter()
    invited = execution.commit(outcome, owner, clock.now())
    done = time.perf_counter()
    return {"seconds": done - started, "cpu": time.process_time() - started_cpu, "claim": claimed - started,
            "compute": computed - claimed, "commit": done - computed, "invited": invited,
            "iterations": outcome.allocation.iterations}


def measure_fresh(app, url: str, share: float, repeat: int, first_minute: int) -> list[dict]:
    """Each repeat in a new interpreter (`--fresh-child`), as `flask rounds run --due` runs."""
    results = []
    for i in range(repeat):
        with app.app_context():
            moment = schedule_all_states(share, 2 * repeat + 2 - first_minute - i)
        started = time.perf_counter()
        child = subprocess.run([sys.executable, __file__, "--fresh-child", url, moment.isoformat()],
                               capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        seconds = time.perf_counter() - started
        if child.returncode:
            raise SystemExit(f"the fresh draw failed:\n{child.stdout}{child.stderr}")
        times = json.loads(child.stdout.strip().splitlines()[-1])
        results.append({**times, "seconds": seconds, "peak": times["peak"]})
    return results


def fresh_child(url: str, moment: str) -> None:
    """The child of `measure_fresh`: one draw from a cold start; its split as one line of JSON."""
    imports_started, cpu_started = FRESH_STARTED
    imported = time.perf_counter()  # this module's imports (the application's) are done
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    created = time.perf_counter()
    with app.app_context(), PeakMemory() as memory:
        times = draw_once(dt.datetime.fromisoformat(moment), execution.owner_id())
    print(json.dumps({**times, "imports": imported - imports_started, "app": created - imported,
                      "cpu": time.process_time() - cpu_started, "peak": memory.added}))


def runs_of(app, url: str, share: float, repeat: int) -> dict[str, list[dict]]:
    return {"warm": measure(app, share, repeat, cold=False, first_minute=0),
            "cold": measure(app, share, repeat, cold=True, first_minute=repeat),
            "fresh": measure_fresh(app, url, share, repeat, first_minute=2 * repeat)}


def summary(label: str, count: int, runs: list[dict]) -> str:
    keys = ("seconds", "cpu", "imports", "app", "claim", "compute", "commit")
    median = {key: statistics.median(run.get(key, 0.0) for run in runs) for key in keys}
    return (f"{label:<17} {count:>10,} {median['seconds']:>8.2f} s {median['cpu']:>7.2f} {median['imports']:>7.2f} "
            f"{median['app']:>7.2f} {median['claim']:>7.2f} {median['compute']:>8.2f} {median['commit']:>7.2f} "
            f"{int(statistics.median(r['invited'] for r in runs)):>8,} {max(r['peak'] for r in runs) / 2**20:>8.0f}")


HEADER = (f"{'database, way':<17} {'candidates':>10} {'median':>10} {'cpu s':>7} {'imports':>7} {'app':>7} {'claim':>7} "
          f"{'compute':>8} {'commit':>7} {'invited':>8} {'peak MiB':>8}")


FOOTNOTE = ("warm: the scheduler's kept copy of the run; cold: the run's entries read from the database; fresh: a new\n"
            "interpreter from start to exit (median: the parent's clock; imports, app: the child's own split)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000], help="SQLite sizes")
    parser.add_argument("--postgres", type=int, nargs="*", default=[1_000_000], help="PostgreSQL sizes")
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    for database, sizes, make in (("sqlite", args.sizes, sqlite_database), ("postgresql", args.postgres,
                                                                              postgres_database)):
        for count in sizes:
            with make() as url:
                app = filled_app(url, count)
                for way, runs in runs_of(app, url, args.share, args.repeat).items():
                    print(summary(f"{database}, {way}", count, runs), flush=True)
                app.extensions["talentpool.engine"].dispose()
    print(FOOTNOTE)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fresh-child"]:
        fresh_child(*sys.argv[2:4])
    else:
        main()
