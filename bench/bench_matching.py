"""Matching (issue 13): one vacancy against the pool, one candidate against every vacancy, the nightly top k.

    python bench/bench_matching.py [--pool 10000000] [--vacancies 100000] [--k 100] [--repeat 5]

The pool is drawn as records by the demonstration generator (`app.demo.synthetic_pool.records`,
no database), with findability beside it (`--findable` of them consented to be found, a third
of those accepting any state). The vacancies are drawn as the app's documents and built with
`vacancies_from_documents`: occupations mostly among the pool's common ones, requirements of
every kind (docs/matching.md, "Benchmark"). Targets (issue 13, this 2-core machine): one vacancy
<= 200 ms, one candidate <= 50 ms, the nightly top 100 <= 5 minutes and <= 4 GB peak. Times
are medians, wall and CPU (`time.process_time`, steadier on a shared machine); the peak is the
process's maximum resident set (`resource.getrusage`) and tracemalloc's peak of the nightly run.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ranking  # noqa: E402
from app.demo.synthetic_pool import OCCUPATIONS, records  # noqa: E402
from bench_scoring import median_times  # noqa: E402
from ranking import matching  # noqa: E402

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
# Languages employers ask for beside English, roughly by how often (the larger states' first).
ASKED = ("de", "fr", "nl", "es", "it", "pl", "sv", "pt", "cs", "da", "fi", "el", "ro", "hu")


DRAW_CHUNK = 500_000  # the generator's own temporaries grow with what it draws at once


def synthetic_pool(grid, n: int, findable_share: float, seed: int = 11) -> matching.Pool:
    pool_records = np.concatenate([records(grid, min(DRAW_CHUNK, n - start), seed=seed + start)
                                   for start in range(0, n, DRAW_CHUNK)]) if n else records(grid, 0, seed=seed)
    rng = np.random.default_rng(seed + 1)
    ids = np.arange(1, n + 1, dtype=np.int64) * 3  # ids with gaps, as accounts have
    findable = rng.random(n) < findable_share
    any_state = rng.random(n) < 1 / 3
    pool = matching.pool_from_records(grid, pool_records, ids, findable, any_state)
    del pool_records
    return pool


def synthetic_vacancy_documents(grid, n: int, seed: int = 12) -> list[dict]:
    """`n` vacancies as the app stores them: state, ISCO-08 occupation, requirements."""
    rng = np.random.default_rng(seed)
    states = grid.codes("preferences")
    state_weights = rng.pareto(1.5, len(states)) + 1
    state_pick = rng.choice(len(states), n, p=state_weights / state_weights.sum())
    common = rng.random(n) < 0.85
    occupations = np.where(common, OCCUPATIONS[rng.integers(0, len(OCCUPATIONS), n)],
                           rng.integers(1000, 9700, n))
    documents = []
    for i in range(n):
        languages = []
        first = "en" if rng.random() < 0.6 else ASKED[min(int(rng.exponential(3)), len(ASKED) - 1)]
        for code in [first] + (["de" if first != "de" else "en"] if rng.random() < 0.2 else []):
            if rng.random() < 0.9:
                floor = int(rng.choice([2, 3, 4]))
                languages.append({"language": code, **{skill: (None if rng.random() < 0.25 else
                                                               CEFR[min(floor + int(rng.integers(0, 2)), 5)])
                                                        for skill in matching.SKILLS}})
        documents.append({
            "id": 100_000 + 7 * i, "state_code": states[state_pick[i]], "occupation": f"{occupations[i]:04d}",
            "requirements": {
                "education_level": None if rng.random() < 0.2 else int(rng.integers(3, 8)),
                "languages": languages,
                "experience_years": None if rng.random() < 0.3 else int(rng.integers(1, 9)),
                "experience_scope": "group" if rng.random() < 0.5 else "occupation"}})
    return documents


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=10_000_000)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--findable", type=float, default=1.0, help="share of the pool that is findable")
    parser.add_argument("--skip-nightly", action="store_true")
    args = parser.parse_args(argv)
    grid = ranking.load_grid("eu")
    start = time.perf_counter()
    pool = synthetic_pool(grid, args.pool, args.findable)
    vacancies = matching.vacancies_from_documents(grid, synthetic_vacancy_documents(grid, args.vacancies))
    print(f"pool {len(pool):,} candidates ({pool.findable.mean():.0%} findable), {len(vacancies):,} vacancies, "
          f"drawn in {time.perf_counter() - start:.1f} s; RSS {peak_rss_mb():.0f} MB", flush=True)

    sample = np.random.default_rng(5).choice(len(vacancies), size=min(args.repeat * 4, len(vacancies)), replace=False)
    walls, cpus = [], []
    for row in sample:
        wall, cpu = median_times(lambda: matching.matches_for_vacancy(pool, vacancies.take([row]), args.k), 1)
        walls.append(wall)
        cpus.append(cpu)
    print(f"one vacancy against {len(pool):,}: median {np.median(walls) * 1e3:.0f} ms wall, "
          f"{np.median(cpus) * 1e3:.0f} ms CPU; worst {max(walls) * 1e3:.0f} ms wall ({len(sample)} vacancies)",
          flush=True)

    rows = np.random.default_rng(6).choice(len(pool), size=args.repeat * 4, replace=False)
    walls, cpus = [], []
    for row in rows:
        one = pool.take([row])
        one = one.with_findability(True, one.any_state)  # a candidate sees their matches, findable or not
        wall, cpu = median_times(lambda: matching.matches_for_candidate(one, vacancies, 50), 1)
        walls.append(wall)
        cpus.append(cpu)
    print(f"one candidate against {len(vacancies):,}: median {np.median(walls) * 1e3:.1f} ms wall, "
          f"{np.median(cpus) * 1e3:.1f} ms CPU; worst {max(walls) * 1e3:.1f} ms wall ({len(rows)} candidates)",
          flush=True)

    if args.skip_nightly:
        return
    tracemalloc.start()
    start, start_cpu = time.perf_counter(), time.process_time()
    top = matching.top_matches_for_all(pool, vacancies, k=args.k)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    filled = np.bincount(top.vacancy, minlength=len(vacancies))
    print(f"nightly top {args.k} of {len(vacancies):,} vacancies over {len(pool):,}: {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU; {len(top.candidate):,} matches ({(filled == args.k).mean():.0%} of vacancies full, "
          f"{(filled == 0).mean():.0%} empty); traced peak {traced:.0f} MB, process peak RSS {peak_rss_mb():.0f} MB",
          flush=True)


if __name__ == "__main__":
    main()
