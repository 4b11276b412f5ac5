"""Benchmark of one round simulation over a large pool, with every other state's round due at the same moment.

    python bench/bench_simulation.py [--sizes 1000000] [--postgres] [--share 0.01] [--repeat 3]

The pool is made and ranked once (as in bench_rerank.py, not timed); every state but Germany gets
a round at one moment, with quotas summing to `share` of the pool (in proportion to how many
candidates each state ranks, as in bench_round.py); then Germany's official simulates a round of
its proportional size at that moment, `repeat` times, each in a request's unit of work (rolled
back, so every repeat sees the same pool). Timed end to end (`simulation.simulate`): the checks,
the joint draw exactly as `execution.compute` runs it (the ranking run's entries from the process's
kept copy after the first repeat, which reads it from its pool chunks; who is still in the pool), the draw of Germany alone, the
invitees' records and their counts, and the kept row. Targets (issue 11): 1 s at 1M, 5 s at 10M.
Printed per size: median, min and max wall time, the median CPU time (`time.process_time`: wall
time on a shared machine is only indicative), the target met or missed by the median, the peak
resident memory the simulation added (sampled, as in bench_rerank.py), who was invited and how
many of Germany's own draw went to another state in the joint one. Then the service's preview of
a change to Germany's minimum score, end to end, on the same pool (`measure_preview`).
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
from app.accounts import registration  # noqa: E402
from app.accounts.models import Role  # noqa: E402
from app.ranking_runs import nightly, run_entries, warm_up  # noqa: E402
from app.rounds import simulation  # noqa: E402
from app.rounds.models import Round  # noqa: E402
from app.rounds.scheduling import round_key, to_minute  # noqa: E402
from app.states import grid as grids  # noqa: E402
from app.states.models import MemberState  # noqa: E402
from app.storage import engines  # noqa: E402

STATE = "DE"
# Issue 11's targets: seconds for a simulation at a pool of at least this size.
TARGETS = ((10_000_000, 5.0), (1_000_000, 1.0))


def prepare(app, share: float) -> tuple[dt.datetime, int, int]:
    """Rank, set ceilings, schedule the other states' rounds; (moment, Germany's size, official id)."""
    with app.app_context():
        nightly.rank(clock.today())
        with engines.reader().connect() as connection:
            run = run_entries.latest_complete(connection)
            entries = run_entries.of_run(connection, run)
        ranked = entries.preferences[entries.ranks > 0]
        codes = grids.state_codes()
        counts = [int((ranked == s).sum()) for s in range(len(codes))]
        sizes = {code: max(1, round(share * run.candidates * counts[i] / max(1, sum(counts))))
                 for i, code in enumerate(codes)}
        moment = to_minute(clock.now()) + dt.timedelta(hours=1)
        with db.unit_of_work() as session:
            for code in codes:
                state = session.get(MemberState, code)
                state.annual_invitation_ceiling = 10 * sizes[code] + 10
                session.add(state)
                if code != STATE:
                    session.add(Round(key=round_key(code, moment), state_code=code, scheduled_at=moment,
                                      size=sizes[code], created_at=clock.now()))
            official = registration.create(session, "bench.official@example.eu", "x", Role.OFFICIAL, STATE)
            session.flush()
            official_id = official.id
    return moment, sizes[STATE], official_id


def measure(app, moment: dt.datetime, size: int, official_id: int, repeat: int) -> list[dict]:
    from app.accounts.models import Account

    results = []
    run_entries.forget()  # the first repeat reads the run, as a web worker's first simulation after a night does
    for _ in range(repeat):
        with app.test_request_context("/", method="POST"):
            session = db.session()
            official, state = session.get(Account, official_id), session.get(MemberState, STATE)
            with PeakMemory() as memory:
                started, cpu_started = time.perf_counter(), time.process_time()
                kept = simulation.simulate(session, official, state, {"scheduled_at": moment, "invitations": size,
                                                                      "category": None, "min_score": None})
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            results.append({"seconds": seconds, "cpu": cpu, "peak": memory.added, "invited": kept.result["invited"],
                            "drawn_away": kept.result["drawn_away"]})
            session.rollback()
    return results


def measure_preview(app, repeat: int) -> list[dict]:
    """The service's preview of a minimum-score change at Germany, end to end (`previews.overlay_preview`:
    the run's records read from its pool chunks, scored at Germany before and after, then counted):
    what an official waits for on the overlay editor, of which bench_preview.py times the counting."""
    from app.states import previews

    results = []
    for _ in range(repeat):
        with app.test_request_context("/"):
            session = db.session()
            started, cpu_started = time.perf_counter(), time.process_time()
            result = previews.overlay_preview(session, STATE, {"min_total": 300})
            results.append({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu_started,
                            "candidates": result["candidates"]})
            session.rollback()
    return results


def measure_warm_up(app) -> float:
    """Seconds a web worker's warm-up thread takes to load the run (`warm_up.warm`, from its pool
    chunks, with the decoded columns): what the first request of a worker no longer waits for."""
    run_entries.forget()
    started = time.perf_counter()
    warm_up.warm(app)
    return time.perf_counter() - started


def _timing(label: str, count: int, runs: list[dict]) -> str:
    """Size, median, min and max wall seconds, median CPU seconds and the target's verdict."""
    seconds = [r["seconds"] for r in runs]
    median = statistics.median(seconds)
    wanted = next((limit for size, limit in TARGETS if count >= size), None)
    verdict = "-" if wanted is None else f"{wanted:g} s {'ok' if median <= wanted else 'MISS'}"
    return (f"{label:<18} {count:>10,} {median:>8.2f} s {min(seconds):>7.2f} {max(seconds):>7.2f} "
            f"{statistics.median(r['cpu'] for r in runs):>7.2f} {verdict:>8}")


def preview_summary(label: str, count: int, runs: list[dict]) -> str:
    return f"{_timing(label + ' preview', count, runs)}  ({runs[0]['candidates']:,} chose {STATE})"


def summary(label: str, count: int, runs: list[dict]) -> str:
    return (f"{_timing(label, count, runs)} "
            f"{max(r['peak'] for r in runs) / 2**30:>8.2f} {runs[0]['invited']:>8,} {runs[0]['drawn_away']:>8,}"
            f"  (first, reading the run: {runs[0]['seconds']:.2f} s)")


HEADER = (f"{'database':<18} {'candidates':>10} {'median':>10} {'min':>7} {'max':>7} {'cpu s':>7} {'target':>8} "
          f"{'peak GiB':>8} {'invited':>8} {'away':>8}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000], help="SQLite sizes")
    parser.add_argument("--postgres", type=int, nargs="*", default=[], help="PostgreSQL sizes")
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    for label, sizes, database in (("sqlite", args.sizes, sqlite_database),
                                   ("postgresql", args.postgres, postgres_database)):
        for count in sizes:
            with database() as url:
                app = filled_app(url, count)
                runs = measure(app, *prepare(app, args.share), args.repeat)
                print(summary(label, count, runs), flush=True)
                print(preview_summary(label, count, measure_preview(app, args.repeat)), flush=True)
                print(f"{label:<18} {count:>10,} loading the run as a worker's warm-up does: "
                      f"{measure_warm_up(app):.2f} s", flush=True)
                app.extensions["talentpool.engine"].dispose()
    print("the first repeat reads the ranking run from its pool chunks; later ones use the process's kept copy "
          "(a web worker's warm-up thread loads it before any request: the first figure is then the median's); "
          "a preview reads the run's records from its chunks every time")


if __name__ == "__main__":
    main()
