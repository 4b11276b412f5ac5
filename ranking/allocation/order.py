"""The order in which a state ranks the candidates proposing to it, and selection under it.

A state prefers the higher score, then the earlier first submission, then the smaller candidate
id; the row index comes last, so the order stays strict even if a caller passes duplicate ids
(with distinct ids it never decides anything, which is what makes the result independent of row
order).

The order is never materialised as one packed key: with microsecond timestamps (about 46 bits
for two years), 24-bit ids and 11-bit scores the triple needs more than 64 bits, and ranking
timestamps densely first would cost a full sort of the pool. Instead every selection works on
the score alone, in linear time, and looks at submission time and id only for the handful of
candidates who share the score at the boundary.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A cut-off no score beats: a closed state's, and that of padding (state -1), so neither is proposed to.
CLOSED = np.int32(np.iinfo(np.int32).max)


@dataclass
class Tiebreak:
    """Per-candidate keys consulted only when scores are equal (the whole pool, by row)."""

    submitted_at: np.ndarray
    ids: np.ndarray

    def order(self, rows: np.ndarray) -> np.ndarray:
        """Positions of `rows` from best to worst among candidates with the same score."""
        return np.lexsort((rows, self.ids[rows], self.submitted_at[rows]))

    def precedes(self, rows: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Whether each candidate in `rows` beats the one in `other` at equal score."""
        ts, other_ts = self.submitted_at[rows], self.submitted_at[other]
        ids, other_ids = self.ids[rows], self.ids[other]
        return (ts < other_ts) | (
            (ts == other_ts) & ((ids < other_ids) | ((ids == other_ids) & (rows < other)))
        )


def select_best(scores: np.ndarray, rows: np.ndarray, quota: int, tiebreak: Tiebreak):
    """Keep the `quota` best of a state's proposers.

    Returns (keep, worst): a bool mask over the proposers, or None when all are kept, and the
    position of the worst kept proposer when the state ends up full (-1 otherwise). A full
    state's worst kept proposer is its cut-off: later proposers are admitted only if they beat it.
    """
    count = scores.size
    if quota == 0:
        return np.zeros(count, dtype=bool), -1
    if count < quota:
        return None, -1
    threshold = np.partition(scores, count - quota)[count - quota]
    keep = scores > threshold
    tied = np.flatnonzero(scores == threshold)
    needed = quota - int(np.count_nonzero(keep))
    tied = tied[tiebreak.order(rows[tied])][:needed]
    keep[tied] = True
    return (None if count == quota else keep), int(tied[-1])


def worst(scores: np.ndarray, rows: np.ndarray, tiebreak: Tiebreak) -> int:
    """Position of the lowest-ranked candidate in a non-empty group."""
    tied = np.flatnonzero(scores == scores.min())
    return int(tied[tiebreak.order(rows[tied])[-1]])
