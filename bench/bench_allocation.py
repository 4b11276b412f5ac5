"""Benchmark of `ranking.allocate` on synthetic EU rounds, beside one `np.lexsort` of the pool.

    python bench/bench_allocation.py [--sizes 1000000 10000000] [--repeat 5]

27 states with unequal popularity, 1–5 distinct preferences per candidate, scores that share a
base across states (as the common grid does) plus a per-state addition, first submissions
spread over two years in microseconds (so (score, time, id) does not fit in 64 bits), and quotas
summing to about 1 % and 10 % of the pool. Reported per case: median wall time over the repeats,
peak memory allocated during one call (tracemalloc sees numpy's buffers) and the ratio to the
median of `np.lexsort((submitted_at, -score))` over the same number of keys, timed in the same run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this tree's `ranking`, whatever is installed

import numpy as np  # noqa: E402
from ranking.allocation import NO_SCORE, allocate  # noqa: E402

STATES = 27
MAX_PREFERENCES = 5
TWO_YEARS_US = 2 * 365 * 24 * 3600 * 10**6


def synthetic_round(count: int, share: float, seed: int = 0):
    """Arrays for one round: (scores, preferences, submitted_at, ids, quotas)."""
    rng = np.random.default_rng(seed)
    popularity = rng.pareto(1.5, STATES) + 1
    popularity /= popularity.sum()
    lengths = rng.integers(1, MAX_PREFERENCES + 1, count)
    preferences = np.full((count, MAX_PREFERENCES), -1, dtype=np.int8)
    for slot in range(MAX_PREFERENCES):
        rows = np.flatnonzero(lengths > slot)
        # Redraw the few rows that picked a state they already listed (loop over slots, not rows).
        while rows.size:
            preferences[rows, slot] = rng.choice(STATES, rows.size, p=popularity)
            repeated = (preferences[rows, :slot] == preferences[rows, slot : slot + 1]).any(axis=1)
            rows = rows[repeated]
    base = np.clip(rng.normal(450, 90, count), 0, 1000).astype(np.int32)
    scores = base[:, None] + rng.integers(0, 150, (count, MAX_PREFERENCES), dtype=np.int32)
    scores[preferences < 0] = NO_SCORE
    submitted_at = 1_767_225_600 * 10**6 + rng.integers(0, TWO_YEARS_US, count)
    ids = rng.permutation(count).astype(np.int64)
    quotas = np.maximum(1, np.round(popularity * share * count)).astype(np.int64)
    return scores, preferences, submitted_at, ids, quotas


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_bytes(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.01, 0.10])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"{'candidates':>11} {'quota':>6} {'median':>9} {'peak MiB':>9} {'lexsort':>9} {'ratio':>6} "
          f"{'rounds':>6} {'invited':>9}")
    for count in args.sizes:
        lexsort_time = None
        for share in args.shares:
            scores, preferences, submitted_at, ids, quotas = synthetic_round(count, share)
            if lexsort_time is None:
                keys = (submitted_at, -scores[:, 0])
                lexsort_time = median_seconds(lambda: np.lexsort(keys), max(1, args.repeat // 2))
            call = lambda: allocate(scores, preferences, submitted_at, ids, quotas)  # noqa: E731
            result = call()
            seconds = median_seconds(call, args.repeat)
            peak = peak_bytes(call)
            print(f"{count:>11,} {share:>6.0%} {seconds * 1000:>7.0f}ms {peak / 2**20:>9.0f} "
                  f"{lexsort_time * 1000:>7.0f}ms {seconds / lexsort_time:>6.2f} {result.iterations:>6} "
                  f"{int(result.invited.sum()):>9,}", flush=True)


if __name__ == "__main__":
    main()
