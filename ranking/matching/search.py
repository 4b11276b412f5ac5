"""One vacancy against the whole pool, and one candidate against every vacancy.

A vacancy's matches walk the pool in blocks of `SEARCH_BLOCK_ROWS` rows: in each block the
cheap, selective tests run first on the contiguous columns (findable and EQF level, then the
occupation when years are required, the first required language, the state), and only the rows
left are gathered and tested in full by `evaluation.pair_fits`. A candidate's matches test the
one candidate against every vacancy at once (the candidate broadcast, no copy).
"""
from __future__ import annotations

import numpy as np

from ranking.constants import SCORING_BLOCK_ROWS
from ranking.matching.columns import Pool, Vacancies
from ranking.matching.evaluation import packed_order, pair_fits, smallest, unpack
from ranking.matching.fit import EDUCATION_STEP, EXACT_BONUS, LANGUAGE_STEP, YEARS_CAP, YEARS_STEP
from ranking.matching.results import Matches

SEARCH_BLOCK_ROWS = SCORING_BLOCK_ROWS
# A required language listed by more of the first block than this is not worth a screen of its own.
SCREEN_SHARE = 0.5


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or int(limit) != limit or limit < 0:
        raise ValueError(f"limit must be a whole number >= 0, not {limit!r}")
    return int(limit)


def _check_scales(pool: Pool, vacancies: Vacancies) -> None:
    if pool.scale != vacancies.scale:
        raise ValueError("the pool and the vacancies were built from grids with different codes")


def language_headroom(vacancies: Vacancies) -> np.ndarray:
    """(V,) int32: the most the required languages can add to a fit (every skill at the top level)."""
    top = vacancies.scale.top_level
    needed = vacancies.language >= 0                                               # (L, V)
    steps = (top - np.maximum(vacancies.skill_min, 1)).sum(axis=0, dtype=np.int32)  # (L, V)
    return LANGUAGE_STEP * (steps * needed).sum(axis=0, dtype=np.int32)


def _lists(pool: Pool, block: slice, language: int) -> np.ndarray:
    """Whether each candidate of `block` lists `language`."""
    listed = np.zeros(block.stop - block.start, dtype=bool)
    for own in pool.language[:, block]:
        listed |= own == language
    return listed


def matches_for_vacancy(pool: Pool, vacancy: Vacancies, limit: int) -> Matches:
    limit = _check_limit(limit)
    _check_scales(pool, vacancy)
    if len(vacancy) != 1:
        raise ValueError(f"matches_for_vacancy takes one vacancy, not {len(vacancy)}")
    best = np.empty(0, dtype=np.int64)
    if not limit:
        return Matches(ids=np.empty(0, np.int64), fits=np.empty(0, np.int32))
    education_min = int(vacancy.education_min[0])
    floor = max(education_min, pool.scale.education[0])
    years_min = int(vacancy.years_min[0])
    target_group = int(vacancy.occupation[0]) // 10
    # The most a candidate can fit beside their EQF level: every language at the top, and (only
    # with an occupation in the minor group) the most years and the exact-occupation bonus.
    beside = int(language_headroom(vacancy)[0]) - YEARS_STEP * min(years_min, YEARS_CAP)
    experienced = YEARS_STEP * YEARS_CAP + EXACT_BONUS
    required = [int(code) for code in vacancy.language[:, 0] if code >= 0]
    screen = None  # the required language the pool lists least, chosen on the first block
    for start in range(0, len(pool), SEARCH_BLOCK_ROWS):
        block = slice(start, min(start + SEARCH_BLOCK_ROWS, len(pool)))
        education = pool.education[block]
        keep = pool.findable[block] & (education >= education_min) if education_min else pool.findable[block]
        in_group = np.zeros(len(keep), dtype=bool)
        for group in pool.group[:, block]:
            in_group |= group == target_group
        if years_min:
            keep = keep & in_group
        if required and screen is None:
            listed = {code: _lists(pool, block, code) for code in required}
            screen = min(required, key=lambda code: int(listed[code].sum()))
            if listed[screen].mean() > SCREEN_SHARE:
                screen = -1
        if screen is not None and screen >= 0:
            keep = keep & _lists(pool, block, screen)
        if len(best) == limit:
            # Rows only grow, so a later candidate enters only with a fit above the limit-th best:
            # EDUCATION_STEP x (level - floor) + beside (+ experienced in the group) > threshold.
            threshold = int(unpack(best[-1:])[0][0])
            lowest = [floor + (threshold - beside - extra) // EDUCATION_STEP for extra in (0, experienced)]
            keep = keep & np.where(in_group, education > lowest[1], education > lowest[0])
        rows = np.flatnonzero(keep)
        if not len(rows):
            continue
        rows += start
        fits = pair_fits(pool.take(rows), vacancy)
        matched = fits >= 0
        keys = packed_order(fits[matched], rows[matched])
        best = smallest(np.concatenate([best, keys]), limit)
    fits, rows = unpack(best)
    return Matches(ids=pool.ids[rows], fits=fits)


def matches_for_candidate(candidate: Pool, vacancies: Vacancies, limit: int) -> Matches:
    limit = _check_limit(limit)
    _check_scales(candidate, vacancies)
    if len(candidate) != 1:
        raise ValueError(f"matches_for_candidate takes one candidate, not {len(candidate)}")
    if not limit or not len(vacancies) or not candidate.findable[0]:
        return Matches(ids=np.empty(0, np.int64), fits=np.empty(0, np.int32))
    fits = pair_fits(candidate, vacancies)
    matched = np.flatnonzero(fits >= 0)
    if len(matched) > limit:  # only those at least as good as the limit-th best can be in the answer
        threshold = -np.partition(-fits[matched], limit - 1)[limit - 1]
        matched = matched[fits[matched] >= threshold]
    order = np.lexsort((vacancies.ids[matched], -fits[matched]))[:limit]
    chosen = matched[order]
    return Matches(ids=vacancies.ids[chosen].astype(np.int64), fits=fits[chosen])
