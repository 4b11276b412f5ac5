"""Where each candidate stands at each state they chose: the rank behind the published ranking.

Every state orders its candidates by total (higher first), then first submission (earlier first),
then candidate id (smaller first): the same strict order the allocation uses, so a rank shown to
a candidate and an invitation never disagree. All states are ranked with one sort of packed keys.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ranking.constants import NO_SCORE

SCORE_BITS = 20
SCORE_OFFSET = 1 << (SCORE_BITS - 1)
TIEBREAK_BITS = 32


def tiebreak_positions(submitted_us: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
    """Each candidate's position in (first submission, id) order: equal totals are decided by it.

    When the ids are ascending (the re-rank reads the pool in id order), one stable sort of the
    submissions is that order: half the work of a two-key lexsort."""
    if candidate_ids.size < 2 or bool((candidate_ids[1:] > candidate_ids[:-1]).all()):
        order = np.argsort(submitted_us, kind="stable")
    else:
        order = np.lexsort((candidate_ids, submitted_us))
    positions = np.empty(order.size, dtype=np.int64)
    positions[order] = np.arange(order.size, dtype=np.int64)
    return positions


@dataclass(frozen=True)
class Ranking:
    """Ranks, and the ranked (candidate row, preference slot) pairs in round order.

    `rows[j], slots[j]` is the j-th ranked pair sorted by state, then rank: grouped by state
    and, within a state, by total descending. The run's tie groups are cut from this order
    without sorting again."""

    ranks: np.ndarray  # (N, K) int32, 0 where not ranked
    rows: np.ndarray  # (R,) int64
    slots: np.ndarray  # (R,) int64


def ranks(states: np.ndarray, totals: np.ndarray, submitted_us: np.ndarray,
          candidate_ids: np.ndarray) -> np.ndarray:
    """(N, K) int32 rank of candidate i at the state of their k-th preference; 0 where not ranked there.

    `states` and `totals` are aligned (N, K) arrays as the points engine returns them, with -1
    and NO_SCORE where the candidate did not choose, or is not eligible at, that state.
    """
    return ranking(states, totals, submitted_us, candidate_ids).ranks


def ranking(states: np.ndarray, totals: np.ndarray, submitted_us: np.ndarray,
            candidate_ids: np.ndarray) -> Ranking:
    """`ranks` with the round order it came from (see `Ranking`)."""
    n, k = totals.shape
    out = np.zeros((n, k), dtype=np.int32)
    ranked = (totals != NO_SCORE) & (states >= 0)
    rows, slots = np.nonzero(ranked)
    if rows.size == 0:
        return Ranking(out, rows.astype(np.int64), slots.astype(np.int64))
    state = states[rows, slots].astype(np.int64)
    score = totals[rows, slots].astype(np.int64)
    tiebreak = tiebreak_positions(submitted_us, candidate_ids)[rows]
    if n >= 1 << TIEBREAK_BITS or score.min() < -SCORE_OFFSET or score.max() >= SCORE_OFFSET:
        order = np.lexsort((tiebreak, -score, state))
    else:
        # state | inverted score | tiebreak position, in one uint64: one sort instead of a 3-key lexsort.
        # A candidate lists a state once, so the keys are distinct and need no stable sort.
        key = (state << (SCORE_BITS + TIEBREAK_BITS)) | ((SCORE_OFFSET - 1 - score) << TIEBREAK_BITS) | tiebreak
        order = np.argsort(key)
    sorted_states = state[order]
    group_start = np.searchsorted(sorted_states, sorted_states, side="left")
    rows, slots = rows[order], slots[order]
    out[rows, slots] = (np.arange(order.size) - group_start + 1).astype(np.int32)
    return Ranking(out, rows, slots)
