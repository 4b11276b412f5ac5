"""Invitation rounds over many states at once: candidate-proposing deferred acceptance.

Inviting greedily state by state makes the result depend on the order the states run in and lets
a candidate hold a place another state would have filled. Deferred acceptance gives the stable
allocation that is best for every candidate, and a candidate gains nothing by misreporting
preferences. With one score shared by all states it is the familiar single-country rule: go down
the ranking and give each candidate their first preference that still has room.

Scores arrive aligned with preferences, as the points engine produces them: `scores[i, k]` is
candidate i's score at state `preferences[i, k]`, NO_SCORE where they cannot be invited there.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ranking.allocation.checks import checked_inputs
from ranking.allocation.order import Tiebreak
from ranking.allocation.rounds import Market
from ranking.constants import NO_SCORE

__all__ = ["NO_SCORE", "Allocation", "allocate", "scores_from_matrix"]

NO_TIMESTAMP = np.int64(np.iinfo(np.int64).min)


@dataclass(frozen=True)
class Allocation:
    """The result of one round; arrays are read-only so a published result cannot drift.

    `state[i]` is the state inviting candidate i (-1: none). Per state: `invited` counts the
    invitations and the cut-off describes the lowest-ranked invitee (NO_SCORE, NO_TIMESTAMP
    and -1 where the state invited nobody). `iterations` counts proposal rounds.
    """

    state: np.ndarray
    invited: np.ndarray
    cutoff_score: np.ndarray
    cutoff_submitted_at: np.ndarray
    cutoff_candidate: np.ndarray
    iterations: int

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def allocate(scores, preferences, submitted_at, ids, quotas, *, eligible=None) -> Allocation:
    """Allocate invitations by candidate-proposing deferred acceptance.

    Each state ranks candidates by score (higher first), then first submission (earlier
    first), then id (smaller first); ids should be distinct, or the row order decides between
    candidates equal on all three. `eligible` (bool per candidate) removes candidates before
    allocation, e.g. those outside a round's category. Raises ValueError naming the field and
    the first offending row.
    """
    scores, preferences, submitted_at, ids, quotas, eligible = checked_inputs(
        scores, preferences, submitted_at, ids, quotas, eligible
    )
    tiebreak = Tiebreak(submitted_at, ids)
    outcome = Market(scores, preferences, quotas, tiebreak).run(eligible)

    state = np.full(preferences.shape[0], -1, dtype=np.int16)
    cutoff_candidate = np.full(quotas.size, -1, dtype=np.int64)
    cutoff_score = np.full(quotas.size, NO_SCORE, dtype=np.int32)
    for index, (held, held_scores, last) in enumerate(
        zip(outcome.rows, outcome.scores, outcome.cutoff_positions(tiebreak))
    ):
        state[held] = index
        if last >= 0:
            cutoff_candidate[index] = held[last]
            cutoff_score[index] = held_scores[last]
    invited_any = cutoff_candidate >= 0
    cutoff_submitted_at = np.full(quotas.size, NO_TIMESTAMP, dtype=np.int64)
    cutoff_submitted_at[invited_any] = submitted_at[cutoff_candidate[invited_any]]
    return Allocation(
        state=state,
        invited=np.array([held.size for held in outcome.rows], dtype=np.int64),
        cutoff_score=cutoff_score,
        cutoff_submitted_at=cutoff_submitted_at,
        cutoff_candidate=cutoff_candidate,
        iterations=outcome.iterations,
    )


def scores_from_matrix(matrix, preferences) -> np.ndarray:
    """Align an N x S score matrix with the preferences, as `allocate` takes it."""
    matrix = np.asarray(matrix)
    preferences = np.asarray(preferences)
    if matrix.ndim != 2 or preferences.ndim != 2 or matrix.shape[0] != preferences.shape[0]:
        raise ValueError(
            f"matrix {matrix.shape} and preferences {preferences.shape} must be N x S and N x K"
        )
    if matrix.dtype.kind not in "iu" or preferences.dtype.kind not in "iu":
        raise ValueError(f"matrix and preferences must hold integers, got {matrix.dtype} and {preferences.dtype}")
    if preferences.size and (preferences.min() < -1 or preferences.max() >= matrix.shape[1]):
        raise ValueError(f"preferences: state indices must lie in -1..{matrix.shape[1] - 1}")
    aligned = np.take_along_axis(matrix, np.maximum(preferences, 0).astype(np.intp), axis=1)
    aligned = np.where(preferences >= 0, aligned, np.int32(NO_SCORE))  # widens int8/int16 matrices
    if aligned.size and (aligned.min() < NO_SCORE or aligned.max() > np.iinfo(np.int32).max):
        raise ValueError("matrix: scores must fit in int32")
    return aligned.astype(np.int32)
