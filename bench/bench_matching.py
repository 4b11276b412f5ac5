"""Matching (issue 13): one vacancy against the pool, one candidate against every vacancy, the nightly top k,
and the nightly store of the matches in a database.

    python bench/bench_matching.py [--pool 10000000] [--vacancies 100000] [--k 100] [--repeat 5]
    python bench/bench_matching.py --store [--store-pool 1000000] [--store-vacancies 10000 100000]
                                   [--databases sqlite postgresql]

The pool is drawn as records by the demonstration generator (`app.demo.synthetic_pool.records`,
no database), with findability beside it (`--findable` of them consented to be found, a third
of those accepting any state). The vacancies are drawn as the app's documents and built with
`vacancies_from_documents`: occupations mostly among the pool's common ones, requirements of
every kind (docs/matching.md, "Benchmark"). Targets (issue 13, this 2-core machine): one vacancy
<= 200 ms, one candidate <= 50 ms, the nightly top 100 <= 5 minutes and <= 4 GB peak. Times
are medians, wall and CPU (`time.process_time`, steadier on a shared machine); the peak is the
process's maximum resident set (`resource.getrusage`) and tracemalloc's peak of the nightly run.

`--store` measures `hiring.matches.store_nightly` alone on a real database (a SQLite file, and
PostgreSQL in a throwaway cluster, as `bench_rerank.py` makes them): a pool seeded by `flask demo
seed --candidates N` (half of it findable), the vacancies above inserted as published, then the
store run twice; the second, which also deletes the first's generation, is reported: the compute
(pool and vacancies read, top k), the write (both tables through Arrow, the switch in the last
transaction) in matches per second (two rows each, one per table), the clearing of the previous generation, the longest write
transaction (on SQLite: the longest the write lock was held) and how many there were.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ranking  # noqa: E402
from bench_rerank import filled_app, postgres_database, sqlite_database  # noqa: E402
from bench_scoring import median_times  # noqa: E402
from ranking import matching  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app import clock  # noqa: E402
from app.demo.synthetic_pool import OCCUPATIONS, records  # noqa: E402
from app.employers.models import Employer, Vacancy, VacancyStatus  # noqa: E402
from app.hiring import matches  # noqa: E402
from app.storage import engines  # noqa: E402

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
# Languages employers ask for beside English, roughly by how often (the larger states' first).
ASKED = ("de", "fr", "nl", "es", "it", "pl", "sv", "pt", "cs", "da", "fi", "el", "ro", "hu")


DRAW_CHUNK = 500_000  # the generator's own temporaries grow with what it draws at once
# matches/s: matches written per second of the write (each is two rows, one per table); all m/s: per
# second of compute and write together.
STORE_HEADER = (f"{'database':<10} {'pool':>9} {'vacancies':>9} {'matches':>10} {'compute s':>9} {'write s':>8} "
                f"{'matches/s':>9} {'all m/s':>10} {'clear s':>8} {'longest tx':>10} {'tx':>5} {'load':>5}")


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
    parser.add_argument("--store", action="store_true", help="measure the nightly store in databases instead")
    parser.add_argument("--store-pool", type=int, default=1_000_000)
    parser.add_argument("--store-vacancies", type=int, nargs="*", default=[100_000])
    parser.add_argument("--databases", nargs="*", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    if args.store:
        store_benchmark(args)
        return
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


def add_vacancies(app, documents: list[dict]) -> None:
    """The documents as published vacancies of the demonstration's first employer (setup, not timed)."""
    now = clock.now()
    with app.app_context(), engines.writer().begin() as connection:
        employer = connection.execute(select(Employer.__table__.c.id).order_by(Employer.__table__.c.id)).scalar()
        connection.execute(insert(Vacancy.__table__), [
            {"reference": f"bench-{document['id']}", "employer_id": employer, "state_code": document["state_code"],
             "occupation": document["occupation"], "title": "Benchmark vacancy", "description": "Synthetic.",
             "posts": 1, "location": "Anywhere", "closing_date": now.date() + dt.timedelta(days=60),
             "requirements": document["requirements"], "status": VacancyStatus.PUBLISHED.value,
             "created_at": now, "published_at": now} for document in documents])


def store_once(app) -> tuple[matches.NightlyReport, float]:
    with app.app_context():
        return matches.store_nightly(), os.getloadavg()[0]


def store_benchmark(args) -> None:
    grid = ranking.load_grid("eu")
    print(STORE_HEADER, flush=True)
    for database in args.databases:
        for count in args.store_vacancies:
            with (sqlite_database() if database == "sqlite" else postgres_database()) as url:
                app = filled_app(url, args.store_pool)
                add_vacancies(app, synthetic_vacancy_documents(grid, count))
                store_once(app)  # the first generation, so that the measured one replaces a full one
                report, load = store_once(app)
                print(f"{database:<10} {args.store_pool:>9,} {report.vacancies:>9,} {report.matches:>10,} "
                      f"{report.seconds_computing:>9.2f} {report.seconds_writing:>8.2f} "
                      f"{report.matches / report.seconds_writing:>9,.0f} "
                      f"{report.matches / (report.seconds_computing + report.seconds_writing):>10,.0f} "
                      f"{report.seconds_clearing:>8.2f} {report.longest_write_transaction:>10.2f} "
                      f"{report.write_transactions:>5} {load:>5.1f}", flush=True)
                app.extensions["talentpool.engine"].dispose()


if __name__ == "__main__":
    main()
