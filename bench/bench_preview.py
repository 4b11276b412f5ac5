"""The preview of a rule change at one state (`ranking.preview`) over large pools.

    python bench/bench_preview.py [--sizes 1000000 10000000] [--repeat 3] [--round 1000]

Targets (issue 11): at most 1 s at a 1M pool, 5 s at 10M. The inputs are what the service hands
the engine: for every candidate who chose the state, the total there before and after the change
(about a fifth not eligible, a tenth of the rest moved by up to 40 points, a few percent gaining
or losing eligibility), first submissions with many ties, and ids. Timed: the whole preview
(counts, both histograms, a round of `--round` before and after). Printed per size: median and
best wall time, median CPU time (`time.process_time`: wall time on a shared machine is only
indicative), the target and whether the median meets it, and the process's peak resident memory.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ranking.constants import NO_SCORE  # noqa: E402
from ranking.preview import preview  # noqa: E402

# Issue 11's targets: seconds for a preview at a pool of at least this size.
TARGETS = ((10_000_000, 5.0), (1_000_000, 1.0))


def target(n: int) -> float | None:
    """The target for a pool of `n` (that of the largest size it reaches), or None below 1M."""
    return next((seconds for size, seconds in TARGETS if n >= size), None)


def peak_memory_gib() -> float:
    """The process's peak resident memory so far (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def synthetic(n: int, seed: int = 11) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    before = rng.normal(380, 70, size=n).astype(np.int64).clip(0, 900)
    before[rng.random(n) < 0.2] = NO_SCORE
    after = before.copy()
    moved = (rng.random(n) < 0.1) & (before != NO_SCORE)
    after[moved] += rng.integers(-40, 41, size=int(moved.sum()))
    after[rng.random(n) < 0.02] = NO_SCORE
    gained = (rng.random(n) < 0.02) & (before == NO_SCORE)
    after[gained] = rng.integers(300, 500, size=int(gained.sum()))
    submitted = 1_700_000_000_000_000 + rng.integers(0, 86_400, size=n) * 1_000_000  # to the second: ties
    ids = rng.permutation(n).astype(np.int64) + 1
    return before, after, submitted, ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--round", type=int, default=1000)
    args = parser.parse_args()
    print(f"{'pool':>12} {'median s':>9} {'best s':>8} {'cpu s':>7} {'target':>8} {'peak GiB':>9}"
          f"  cut-off before -> after")
    for n in args.sizes:
        arrays = synthetic(n)
        times, cpu = [], []
        for _ in range(args.repeat):
            tick, cpu_tick = time.perf_counter(), time.process_time()
            result = preview(*arrays, round_size=args.round)
            times.append(time.perf_counter() - tick)
            cpu.append(time.process_time() - cpu_tick)
        wanted = target(n)
        verdict = "-" if wanted is None else f"{wanted:g} s {'ok' if statistics.median(times) <= wanted else 'MISS'}"
        print(f"{n:>12,} {statistics.median(times):>9.3f} {min(times):>8.3f} {statistics.median(cpu):>7.3f} "
              f"{verdict:>8} {peak_memory_gib():>9.2f}  "
              f"{result.before.cutoff_total} -> {result.after.cutoff_total} "
              f"(gain {result.gain_eligibility:,}, lose {result.lose_eligibility:,})", flush=True)
        del arrays, result
    return 0


if __name__ == "__main__":
    sys.exit(main())
