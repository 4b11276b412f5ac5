"""One state's round drawn alone: its quota best, without running the whole market.

With a single state open, candidate-proposing deferred acceptance ends where it starts: every
candidate who may be invited there proposes there (no other state is open to them), and the
state keeps its quota best by score, then first submission, then id. So one partial selection
over that state's column gives the same allocation as `allocate` with only that state's quota
(tests/ranking/test_allocation.py checks them against each other). A round simulation uses it
for "what this state would invite on its own", beside the joint draw.
"""
from __future__ import annotations

import numpy as np

from ranking.allocation import NO_TIMESTAMP, Allocation
from ranking.allocation.order import Tiebreak, select_best, worst
from ranking.constants import NO_SCORE


def allocate_one_state(scores, preferences, submitted_at, ids, state_count: int, state: int, quota: int):
    """The `Allocation` that `allocate` gives when only `state` has places (`quota` of them).

    Inputs as `allocate` takes them (scores aligned with preferences, NO_SCORE where a candidate
    cannot be invited), assumed already checked: this is called on a draw's own arrays.
    """
    scores, preferences = np.asarray(scores), np.asarray(preferences)
    column = np.full(preferences.shape[0], NO_SCORE, dtype=np.int32)
    for slot in range(preferences.shape[1]):
        np.copyto(column, scores[:, slot], where=preferences[:, slot] == state)
    rows = np.flatnonzero(column != NO_SCORE)
    tiebreak = Tiebreak(np.asarray(submitted_at), np.asarray(ids))
    keep, last = select_best(column[rows], rows, quota, tiebreak) if rows.size else (None, -1)
    held = rows if keep is None else rows[keep]
    if held.size and last < 0:  # not full, so everyone is held: the cut-off is the worst of them
        last = worst(column[held], held, tiebreak)
    assigned = np.full(preferences.shape[0], -1, dtype=np.int16)
    assigned[held] = state
    invited = np.zeros(state_count, dtype=np.int64)
    invited[state] = held.size
    cutoff_score = np.full(state_count, NO_SCORE, dtype=np.int32)
    cutoff_submitted_at = np.full(state_count, NO_TIMESTAMP, dtype=np.int64)
    cutoff_candidate = np.full(state_count, -1, dtype=np.int64)
    if held.size:
        cutoff_candidate[state] = rows[last]
        cutoff_score[state] = column[rows[last]]
        cutoff_submitted_at[state] = np.asarray(submitted_at)[rows[last]]
    return Allocation(state=assigned, invited=invited, cutoff_score=cutoff_score,
                      cutoff_submitted_at=cutoff_submitted_at, cutoff_candidate=cutoff_candidate, iterations=1)
