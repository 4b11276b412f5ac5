"""One vectorised test of candidate-vacancy pairs: the fit of each pair, or NO_MATCH.

`pair_fits(candidates, vacancies)` reads row i of `candidates` against row i of `vacancies`;
either side may have a single row, which then stands for every pair (numpy broadcasting), so the
same function serves one vacancy against a block of the pool, one candidate against every
vacancy, and the nightly index's gathered pairs. The rules and the fit are those of
`ranking.matching.fit`, written once here.
"""
from __future__ import annotations

import numpy as np

from ranking.matching.columns import Pool, Vacancies
from ranking.matching.fit import EDUCATION_STEP, EXACT_BONUS, LANGUAGE_STEP, YEARS_CAP, YEARS_STEP

NO_MATCH = -1
# Larger than any fit a grid can give (and than any bound of one), so MOST_FIT - fit is >= 0 in packed keys.
MOST_FIT = (1 << 15) - 1


def used_language_slots(vacancies: Vacancies) -> int:
    """How many required-language slots any of `vacancies` uses (they fill from the first)."""
    return int((vacancies.language >= 0).any(axis=1).sum())


def pair_fits(candidates: Pool, vacancies: Vacancies, skip_occupation: np.ndarray | None = None,
              skip_group: np.ndarray | None = None) -> np.ndarray:
    """(M,) int32: the fit of each pair, NO_MATCH where the candidate does not match.

    `skip_occupation` / `skip_group` (M,) int16, -1 for none: count the pair as no match when the
    candidate has that occupation (or an occupation in that minor group); the nightly index uses
    them so that each candidate is examined under one bound only. Every list is walked slot by
    slot, each slot one whole-array operation.
    """
    scale = candidates.scale
    m = max(len(candidates), len(vacancies))
    education = candidates.education.astype(np.int32)
    ok = candidates.findable & (education >= vacancies.education_min)
    wanted = candidates.any_state
    for state in candidates.preferences:
        wanted = wanted | (state == vacancies.state)
    ok = ok & wanted
    fit = EDUCATION_STEP * (education - np.maximum(vacancies.education_min.astype(np.int32), scale.education[0]))
    for slot in range(used_language_slots(vacancies)):
        required = vacancies.language[slot]
        needed = required >= 0
        listed = np.zeros(m, dtype=bool)
        levels = np.zeros((len(candidates.levels), m), dtype=np.int8)
        for own, own_levels in zip(candidates.language, candidates.levels.transpose(1, 0, 2)):
            hit = own == required
            listed |= hit
            np.copyto(levels, own_levels, where=hit)
        minimum = vacancies.skill_min[:, slot]
        meets = listed & (levels >= minimum).all(axis=0)
        ok &= meets | ~needed
        steps = (levels - np.maximum(minimum, 1)).sum(axis=0, dtype=np.int32)
        fit += np.where(needed & meets, LANGUAGE_STEP * steps, 0)
    years = np.zeros(m, dtype=np.int32)
    exact_any = np.zeros(m, dtype=bool)
    target_group = vacancies.occupation // 10
    for occupation, group, held in zip(candidates.occupation, candidates.group, candidates.years):
        exact = occupation == vacancies.occupation
        exact_any |= exact
        years += held * np.where(vacancies.group_scope, group == target_group, exact)
        if skip_occupation is not None:
            ok &= (occupation != skip_occupation) | (skip_occupation < 0)
        if skip_group is not None:
            ok &= (group != skip_group) | (skip_group < 0)
    ok &= years >= vacancies.years_min
    fit += YEARS_STEP * (np.minimum(years, YEARS_CAP) - np.minimum(vacancies.years_min.astype(np.int32), YEARS_CAP))
    fit += EXACT_BONUS * exact_any
    return np.where(ok, fit, NO_MATCH).astype(np.int32)


def packed_order(fits: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """int64 keys whose ascending order is fit descending, then row ascending (rows < 2**32).

    Pool rows are in candidate-id order, so this is "best fit first, ties by candidate id";
    a non-match gets the largest key.
    """
    keys = ((MOST_FIT - fits.astype(np.int64)) << 32) | rows.astype(np.int64)
    return np.where(fits >= 0, keys, np.iinfo(np.int64).max)


def unpack(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(fits int32, rows int64) of `packed_order` keys."""
    return (MOST_FIT - (keys >> 32)).astype(np.int32), keys & 0xFFFFFFFF


def smallest(keys: np.ndarray, limit: int) -> np.ndarray:
    """The `limit` smallest of 1-D `keys`, sorted."""
    if limit < len(keys):
        keys = np.partition(keys, limit - 1)[:limit] if limit else keys[:0]
    return np.sort(keys)
