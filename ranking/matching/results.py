"""What the matching entry points return: ids and fits best first, or every vacancy's top k."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Matches(NamedTuple):
    """Best first: `ids` (M,) int64 (candidate or vacancy ids), `fits` (M,) int32, M <= limit."""

    ids: np.ndarray
    fits: np.ndarray


class TopMatches(NamedTuple):
    """Every vacancy's top k as flat (M,) arrays, by vacancy index then rank.

    vacancy    int64 index into the `Vacancies` passed (its id: `vacancies.ids[vacancy]`)
    candidate  int64 candidate id
    fit        int32
    rank       int32, 1 for the best match of that vacancy
    """

    vacancy: np.ndarray
    candidate: np.ndarray
    fit: np.ndarray
    rank: np.ndarray
