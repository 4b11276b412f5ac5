"""A draw's restrictions applied to a ranking's scores: who each state may invite, as NO_SCORE where not.

States without a round in the draw take no one; at a state with a round, a candidate outside
its `eligible` mask (a category, or out of the pool) or below its minimum score is NO_SCORE too,
so deferred acceptance sees each state's own restrictions and nothing else changes.
"""
from __future__ import annotations

import numpy as np
from ranking.constants import NO_SCORE


def restricted_scores(preferences: np.ndarray, scores: np.ndarray, states: np.ndarray, eligible: np.ndarray,
                      min_scores: np.ndarray) -> np.ndarray:
    """(N, K) int32: `scores` where the state of that preference may invite the candidate, else NO_SCORE.

    `preferences` (N, K) holds state indices (-1: no preference there) aligned with `scores`
    (NO_SCORE: not eligible there). Round r of the draw is at state `states[r]` (R,), may invite
    the candidates where `eligible[r]` (R, N) bool is true, and only from `min_scores[r]` up
    (R,) int64 (use NO_SCORE + 1 for no minimum).

    >>> restricted_scores(np.array([[0, 1]]), np.array([[90, 80]]), np.array([1]), np.array([[True]]),
    ...                   np.array([85])).tolist() == [[NO_SCORE, NO_SCORE]]
    True
    """
    states = np.asarray(states, dtype=np.int64)
    part_of_state = np.full(int(max(preferences.max(initial=0), states.max(initial=0))) + 2, -1)
    part_of_state[states + 1] = np.arange(states.size)
    part = part_of_state[preferences.astype(np.int64) + 1]
    slots = np.nonzero((part >= 0) & (scores != NO_SCORE))
    chosen = part[slots]
    keep = eligible[chosen, slots[0]] & (scores[slots] >= np.asarray(min_scores, dtype=np.int64)[chosen])
    out = np.full(scores.shape, NO_SCORE, dtype=np.int32)
    out[slots[0][keep], slots[1][keep]] = scores[slots][keep]
    return out
