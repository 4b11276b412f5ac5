"""What a round simulation reports beyond the allocation itself: who the invitees are, in counts,
and how many of them the joint allocation sends to another state.

The allocation (`ranking.allocation.allocate`) already gives the number invited and the cut-off;
these are the two questions it does not answer. Both are whole-array counts over the engine's
columns (the encoding of `ranking.grid.inputs`: dates as YYYYMMDD integers, ISCO-08 unit groups
as four-digit integers with -1 for an empty slot, enum languages as codes below which a slot is
empty), so at a million invitees they still cost a few bincounts.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Lower edges of the age bands, in whole years on the round's date; the last band is open.
AGE_BAND_STARTS = (18, 25, 30, 35, 40, 45, 50, 55)
EQF_LEVELS = 8
ISCO_MAJOR_GROUPS = 10  # 0 (armed forces) to 9 (elementary occupations)


@dataclass(frozen=True)
class Cohort:
    """Counts over a group of candidates (all (B,) int64).

    `age_bands[b]`: aged AGE_BAND_STARTS[b] up to the next start (index 0 also holds anyone
    younger, the last band everyone older). `eqf_levels[l]`: EQF level l + 1.
    `isco_major_groups[g]`: candidates with experience in major group g — a candidate with
    experience in two groups counts in both, so these do not add up to `size`.
    `languages[j]`: candidates who list the language of code `language_codes[j]`, likewise.
    """

    size: int
    age_bands: np.ndarray
    eqf_levels: np.ndarray
    isco_major_groups: np.ndarray
    languages: np.ndarray


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=np.int64)
    array.flags.writeable = False
    return array


def _candidates_per_code(codes: np.ndarray, valid: np.ndarray, length: int) -> np.ndarray:
    """(length,) how many rows of `codes` (N, M) hold each code at least once, where `valid`."""
    rows = np.broadcast_to(np.arange(codes.shape[0])[:, None], codes.shape)[valid]
    pairs = np.unique(rows.astype(np.int64) * length + codes[valid].astype(np.int64))
    return np.bincount(pairs % length, minlength=length)


def cohort(date_of_birth: np.ndarray, education_level: np.ndarray, occupations: np.ndarray,
           languages: np.ndarray, *, as_of: int, first_language_code: int, language_count: int) -> Cohort:
    """The counts of `Cohort` for N candidates.

    `date_of_birth` (N,) YYYYMMDD, `education_level` (N,) EQF 1-8, `occupations` (N, M) ISCO-08
    unit groups (-1: empty slot), `languages` (N, L) language codes (below `first_language_code`:
    empty slot), `as_of` the date ages are taken on, as YYYYMMDD.

    >>> c = cohort(np.array([19900101, 20000601]), np.array([6, 4]), np.array([[2512, 2511], [9112, -1]]),
    ...            np.array([[1, 2], [1, -1]]), as_of=20261201, first_language_code=0, language_count=3)
    >>> c.size, c.age_bands.tolist(), c.eqf_levels.tolist()
    (2, [0, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 1, 0, 0])
    >>> c.isco_major_groups.tolist(), c.languages.tolist()
    ([0, 0, 1, 0, 0, 0, 0, 0, 0, 1], [0, 2, 1])
    """
    size = int(np.asarray(date_of_birth).shape[0])
    ages = (np.int64(as_of) - np.asarray(date_of_birth, dtype=np.int64)) // 10000
    bands = np.clip(np.searchsorted(AGE_BAND_STARTS, ages, side="right") - 1, 0, len(AGE_BAND_STARTS) - 1)
    levels = np.clip(np.asarray(education_level, dtype=np.int64), 1, EQF_LEVELS) - 1
    occupations = np.asarray(occupations).reshape(size, -1)
    languages = np.asarray(languages).reshape(size, -1)
    return Cohort(
        size=size,
        age_bands=_frozen(np.bincount(bands, minlength=len(AGE_BAND_STARTS))),
        eqf_levels=_frozen(np.bincount(levels, minlength=EQF_LEVELS)),
        isco_major_groups=_frozen(_candidates_per_code(occupations // 1000, occupations >= 0, ISCO_MAJOR_GROUPS)),
        languages=_frozen(_candidates_per_code(languages - first_language_code,
                                               (languages >= first_language_code)
                                               & (languages < first_language_code + language_count),
                                               language_count)),
    )


def drawn_away(alone: np.ndarray, joint: np.ndarray, state: int) -> int:
    """How many candidates `state` would invite on its own whom the joint allocation sends elsewhere.

    `alone` and `joint` are `Allocation.state` arrays (N,) (-1: not invited) over the same
    candidates: the draw with only `state`'s round, and the draw with every round at that
    moment. A candidate invited by `state` alone but by another state jointly preferred that
    state and was high enough there; their place at `state` went to the next in line.

    >>> drawn_away(np.array([0, 0, -1, 0]), np.array([1, 0, 0, -1]), 0)
    1
    """
    alone, joint = np.asarray(alone), np.asarray(joint)
    return int(np.count_nonzero((alone == state) & (joint >= 0) & (joint != state)))
