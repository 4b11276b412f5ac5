"""Matching candidates and vacancies (issue 13): pure numpy, no Flask, no SQL. See docs/matching.md.

    from ranking import matching
    pool = matching.pool_from_records(grid, records, ids, findable, any_state)
    vacancies = matching.vacancies_from_documents(grid, [{"id": 7, "state_code": "DE",
                                                          "occupation": "2512", "requirements": {...}}])
    matching.matches_for_vacancy(pool, vacancies.take([0]), limit=100)   # -> Matches(ids, fits)
    matching.matches_for_candidate(pool.take([i]), vacancies, limit=50)  # -> Matches(ids, fits)
    matching.top_matches_for_all(pool, vacancies, k=100)                 # -> TopMatches, flat arrays

A candidate matches a vacancy when they are findable, meet every requirement (EQF level,
every required language at each skill's minimum, years in the occupation or its minor group),
and the vacancy's state is among their preferences or they accept any state. The fit
(`ranking.matching.fit`) is an integer; results are ordered by fit, best first, ties by id.
"""
from __future__ import annotations

from ranking.matching.columns import (SKILLS, Pool, Scale, Vacancies, pool_from_records,
                                      vacancies_from_documents)
from ranking.matching.results import Matches, TopMatches
from ranking.matching import index, search


def matches_for_vacancy(pool: Pool, vacancy: Vacancies, limit: int) -> Matches:
    """The candidates of `pool` matching the one vacancy in `vacancy` (a `Vacancies` of length 1),
    best fit first, ties by candidate id; at most `limit` (>= 0)."""
    return search.matches_for_vacancy(pool, vacancy, limit)


def matches_for_candidate(candidate: Pool, vacancies: Vacancies, limit: int) -> Matches:
    """The vacancies the one candidate in `candidate` (a `Pool` of length 1) matches, best fit
    first, ties by vacancy id; at most `limit` (>= 0). The candidate's `findable` and `any_state`
    apply as everywhere: to show a candidate who is not findable the vacancies they would meet,
    build their pool with `findable=True`."""
    return search.matches_for_candidate(candidate, vacancies, limit)


def top_matches_for_all(pool: Pool, vacancies: Vacancies, k: int = 100) -> TopMatches:
    """Each vacancy's `k` best candidates (fewer if fewer match) for the nightly job, through
    indexes by occupation, minor group and language (`ranking.matching.index`), never the full
    cross product; memory is bounded by working through the vacancies in batches."""
    return index.top_matches_for_all(pool, vacancies, k)


__all__ = ["Matches", "Pool", "SKILLS", "Scale", "TopMatches", "Vacancies", "matches_for_candidate",
           "matches_for_vacancy", "pool_from_records", "top_matches_for_all", "vacancies_from_documents"]
