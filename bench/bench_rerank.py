"""Benchmark of the nightly re-rank end to end: read the pool from the database, score it for 27
states, rank, write the run back and switch to it.

    python bench/bench_rerank.py [--sizes 100000 1000000] [--postgres 1000000] [--repeat 3]

Each size gets a fresh database (a SQLite file in a temporary directory; PostgreSQL in a
throwaway cluster started the way the test fixtures start one) filled with synthetic candidates
(`flask demo seed --candidates N`, timed apart as "setup"). Every repeat ranks a new date, so nothing is skipped
or replaced. Reported: median wall time, the median split into database reading, scoring (grid,
ranks, input hash) and database writing, and the peak resident memory added during one run
(sampled from /proc every 5 ms: numpy's buffers and the driver's rows both count). Beside the
wall times, the CPU seconds of this process and of the SQLite helper process (`cpu`, `helper`;
the PostgreSQL server's are not counted) and the load average when the size was done: on a
shared machine the wall times say little without them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import create_engine, text  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.ranking_runs import nightly  # noqa: E402
from app.storage import columnar, engines  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE


class PeakMemory:
    """Peak resident memory above the level at entry, sampled by a thread."""

    def __enter__(self):
        self.base = self.peak = resident_bytes()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, resident_bytes())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @property
    def added(self) -> int:
        return self.peak - self.base


@contextmanager
def postgres_database():
    """A fresh database in a throwaway cluster (or in TALENTPOOL_TEST_POSTGRES_URL's server)."""
    from conftest import ThrowawayCluster, _server_binaries

    cluster = None
    admin = os.environ.get("TALENTPOOL_TEST_POSTGRES_URL")
    if not admin:
        binaries = _server_binaries()
        if binaries is None:
            raise SystemExit("no PostgreSQL server binaries here; set TALENTPOOL_TEST_POSTGRES_URL")
        cluster = ThrowawayCluster(binaries)
        admin = cluster.start()
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    name = f"bench_rerank_{os.getpid()}"
    try:
        with engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()
        if cluster:
            cluster.stop()


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory(prefix="bench-rerank-") as folder:
        yield f"sqlite:///{folder}/bench.sqlite3"


def filled_app(url: str, count: int):
    """The app on a migrated database holding `count` synthetic candidates."""
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["demo", "seed", "--candidates", str(count)])
        if result.exit_code:
            raise SystemExit(result.output + repr(result.exception))
        with engines.writer().begin() as connection:  # committed: PostgreSQL's statistics are transactional
            connection.exec_driver_sql("ANALYZE")
        print(f"  (setup: {count:,} synthetic candidates in {time.perf_counter() - started:.0f} s, "
              f"load {os.getloadavg()[0]:.1f})", flush=True)
    return app


def helper_cpu_seconds() -> float:
    """CPU seconds used so far by this process's SQLite helper process (0 if there is none)."""
    process = columnar._sqlite.process if columnar._sqlite is not None else None
    if process is None or process.poll() is not None:
        return 0.0
    with open(f"/proc/{process.pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def measure(app, repeat: int) -> list[dict]:
    runs = []
    with app.app_context():
        first = clock.today() + dt.timedelta(days=1)
        for i in range(repeat):
            with PeakMemory() as memory:
                helper, cpu, started = helper_cpu_seconds(), time.process_time(), time.perf_counter()
                report = nightly.rank(first + dt.timedelta(days=i))
                seconds = time.perf_counter() - started
                cpu, helper = time.process_time() - cpu, max(helper_cpu_seconds() - helper, 0.0)
            runs.append({"seconds": seconds, "read": report.seconds_reading, "score": report.seconds_scoring,
                         "write": report.seconds_writing, "peak": memory.added, "candidates": report.candidates,
                         "lock": report.longest_write_transaction, "cpu": cpu, "helper": helper})
    return runs


def summary(label: str, count: int, runs: list[dict]) -> str:
    keys = ("seconds", "read", "score", "write", "cpu", "helper")
    median = {key: statistics.median(run[key] for run in runs) for key in keys}
    database = median["read"] + median["write"]
    total = median["seconds"]
    return (f"{label:<10} {count:>10,} {total:>8.2f} s {median['read']:>7.2f} {median['score']:>7.2f} "
            f"{median['write']:>7.2f} {database / total:>6.0%} {max(r['peak'] for r in runs) / 2**20:>8.0f} "
            f"{max(r['lock'] for r in runs):>10.2f} {median['cpu']:>6.2f} {median['helper']:>6.2f} "
            f"{os.getloadavg()[0]:>5.1f}")


HEADER = (f"{'database':<10} {'candidates':>10} {'median':>10} {'read':>7} {'score':>7} {'write':>7} "
          f"{'db %':>6} {'peak MiB':>8} {'longest tx':>10} {'cpu':>6} {'helper':>6} {'load':>5}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000], help="SQLite sizes")
    parser.add_argument("--postgres", type=int, nargs="*", default=[1_000_000], help="PostgreSQL sizes")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(HEADER, flush=True)
    for count in args.sizes:
        with sqlite_database() as url:
            print(summary("sqlite", count, measure(filled_app(url, count), args.repeat)), flush=True)
    for count in args.postgres:
        with postgres_database() as url:
            app = filled_app(url, count)
            print(summary("postgresql", count, measure(app, args.repeat)), flush=True)
            app.extensions["talentpool.engine"].dispose()


if __name__ == "__main__":
    main()
