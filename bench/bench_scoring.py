"""Scoring throughput: `crs` and `eu` (27 states) over synthetic pools, and one-profile latency.

    python bench/bench_scoring.py [--sizes 1000000 10000000] [--repeat 3] [--grids crs eu]

Columns are generated directly (not through JSON), as the nightly re-rank builds them from the
database. The yardstick is one `np.copy` of the same input columns measured in the same run:
scoring cannot be faster than reading its input once, so "× copy" says how far from the memory
bandwidth limit the engine is, whatever the machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this tree's `ranking`, whatever is installed

import numpy as np  # noqa: E402
import ranking  # noqa: E402
from ranking.grid.engine import Grid  # noqa: E402

AS_OF = dt.date(2026, 11, 22)


def synthetic_columns(grid: Grid, n: int, seed: int = 7) -> dict[str, np.ndarray]:
    """Plausible pools: list slots filled from the left, a few items each; codes within range."""
    rng = np.random.default_rng(seed)
    columns = {}
    for name, column in grid.columns.items():
        scalar = column.scalar
        shape = (n, *column.shape_suffix)
        if scalar.kind == "date":
            years = rng.integers(1960, 2006, size=n)
            values = years * 10000 + rng.integers(1, 13, size=n) * 100 + rng.integers(1, 29, size=n)
        elif scalar.kind == "code":
            values = rng.integers(1000, 10**scalar.digits, size=shape)
        elif scalar.kind == "enum":
            values = rng.integers(scalar.first_code, scalar.first_code + len(scalar.labels), size=shape)
        elif scalar.kind == "bool":
            values = rng.random(size=shape) < 0.3
        else:
            values = rng.integers(scalar.minimum, scalar.maximum + 1, size=shape)
        columns[name] = values.astype(scalar.dtype)
    _fill_lists_from_the_left(grid, columns, rng)
    return columns


def _fill_lists_from_the_left(grid: Grid, columns: dict[str, np.ndarray], rng) -> None:
    lists: dict[str, list[str]] = {}
    for name, column in grid.columns.items():
        if column.slots:
            lists.setdefault(name.split(".")[0], []).append(name)
    for names in lists.values():
        slots = grid.columns[names[0]].slots
        n = len(columns[names[0]])
        used = rng.integers(1, min(slots, 3) + 1, size=n) if names[0] != "preferences" else rng.integers(1, slots + 1, size=n)
        empty = np.arange(slots)[None, :] >= used[:, None]
        for name in names:
            columns[name][empty] = grid.columns[name].scalar.absent
        if names[0] == "preferences":  # distinct states per candidate: a random permutation's first K
            states = np.argsort(rng.random((n, len(grid.state_codes))), axis=1)[:, :slots].astype(np.int8)
            columns[name] = np.where(empty, -1, states).astype(np.int8)


def median_seconds(action, repeat: int) -> float:
    return median_times(action, repeat)[0]


def median_times(action, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of `repeat` runs.

    The CPU time (this process only) is the steadier figure on a machine shared with other
    work: wall-clock time also counts the time other processes held the cores.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def bench_pool(name: str, n: int, repeat: int) -> dict:
    grid = ranking.load_grid(name)
    columns = synthetic_columns(grid, n)
    grid.score({k: v[:1000] for k, v in columns.items()}, as_of=AS_OF)  # warm caches and lazy compiles
    copy_time = median_seconds(lambda: [np.copy(a) for a in columns.values()], max(repeat, 5))
    score_time, score_cpu = median_times(lambda: grid.score(columns, as_of=AS_OF), repeat)
    tracemalloc.start()
    grid.score(columns, as_of=AS_OF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    input_bytes = sum(a.nbytes for a in columns.values())
    return {"grid": name, "n": n, "seconds": score_time, "cpu": score_cpu, "per_second": n / score_time, "copy": copy_time,
            "ratio": score_time / copy_time, "input_mb": input_bytes / 2**20, "peak_mb": peak / 2**20}


def bench_one_profile(name: str, profile: dict, repeat: int = 2000) -> float:
    grid = ranking.load_grid(name)
    grid.score(grid.encode([profile], as_of=AS_OF), as_of=AS_OF)
    return median_seconds(lambda: grid.score(grid.encode([profile], as_of=AS_OF), as_of=AS_OF), repeat)


ONE = {
    "crs": {"age": 29, "education": "bachelors",
            "first_language": {"test_language": "en", "speaking": 9, "listening": 9, "reading": 8, "writing": 8},
            "second_language": None, "canadian_work_years": 1, "foreign_work_years": 3,
            "certificate_of_qualification": False, "canadian_education": "none", "sibling_in_canada": False,
            "provincial_nomination": False, "spouse": None},
    "eu": {"date_of_birth": "1994-05-17", "education_level": 6,
           "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"},
                         {"language": "de", "listening": "B1", "reading": "B2", "speaking": "A2", "writing": "A2"}],
           "experience": [{"occupation": "2512", "years": 4}], "job_offer": {"state": "DE", "occupation": "2512"},
           "eu_study": False, "eu_work": False, "talent_partnership": True, "preferences": ["DE", "NL", "IE"]},
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--grids", nargs="+", default=["crs", "eu"])
    args = parser.parse_args(argv)
    print("grid  candidates   median s    cpu s   cand/s      copy s   x copy  input MB  peak MB")
    for n in args.sizes:
        for name in args.grids:
            r = bench_pool(name, n, args.repeat)
            print(f"{r['grid']:<5} {r['n']:>10,} {r['seconds']:>9.3f} {r['cpu']:>8.3f} {r['per_second']:>10,.0f} "
                  f"{r['copy']:>9.4f} {r['ratio']:>7.1f} {r['input_mb']:>9.0f} {r['peak_mb']:>8.0f}", flush=True)
    for name, profile in ONE.items():
        print(f"one {name} profile encoded and scored: {bench_one_profile(name, profile) * 1e3:.3f} ms (median)")


if __name__ == "__main__":
    main()
