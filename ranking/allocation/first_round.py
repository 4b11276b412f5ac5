"""The first proposal round, where the whole pool proposes: streamed and selected without grouping.

Later rounds involve a few per cent of the pool and work on lists of rows; the first involves
everyone, so it avoids every per-row gather it can. One pass over the inputs, block by block so
that each block's preference rows stay in cache, finds each candidate's first invitable
preference and their best score at any later slot. Each state then keeps its `quota` best
proposers: the boundary score comes from one sort of packed (state, score) keys, after which
keeping or rejecting a candidate is a comparison with their state's boundary, and only the
candidates exactly at a boundary are ordered by submission time and id.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ranking import constants
from ranking.allocation.order import CLOSED, Tiebreak
from ranking.constants import NO_SCORE

_SIGN = np.uint32(1 << 31)


@dataclass
class FirstChoices:
    """Per candidate: the slot, state and score of their first invitable preference (slot =
    number of slots, state -1 and score NO_SCORE when there is none), and their best score at
    slots 1 and later: after a rejection nobody can score more than that anywhere they go next."""

    slot: np.ndarray
    state: np.ndarray
    score: np.ndarray
    best_later: np.ndarray


@dataclass
class FirstRound:
    """Whom each state holds after the first round; boundary score and row of each full state."""

    held: list[np.ndarray]
    kept: np.ndarray
    cut_score: dict[int, int]
    cut_row: dict[int, int]


def first_choices(scores: np.ndarray, preferences: np.ndarray, quotas: np.ndarray, eligible) -> FirstChoices:
    """A slot is invitable when it names a state with places and carries a score."""
    count, slot_count = preferences.shape
    first = FirstChoices(
        slot=np.zeros(count, dtype=np.int16 if slot_count < 2**15 else np.int64),
        state=np.full(count, -1, dtype=np.int16),
        score=np.full(count, NO_SCORE, dtype=np.int32),
        best_later=np.full(count, NO_SCORE, dtype=np.int32),
    )
    if not slot_count:
        first.slot[:] = slot_count
        return first
    closed = np.append(quotas == 0, True)  # the last entry answers for padding (-1)
    any_closed = bool(closed[:-1].any())
    block_rows = constants.ALLOCATION_BLOCK_ROWS  # read here, not imported, so tests can shrink it
    for start in range(0, count, block_rows):
        block = slice(start, min(start + block_rows, count))
        block_scores, block_preferences = scores[block], preferences[block]
        if slot_count > 1:
            first.best_later[block] = functools.reduce(np.maximum, block_scores.T[1:])
        # Nearly everyone's first preference is invitable: take every first preference with
        # whole-block copies, then correct and look further, row by row, only for the others.
        states, slot_scores = block_preferences[:, 0], block_scores[:, 0]
        first.state[block] = states
        first.score[block] = slot_scores
        invitable = (slot_scores != NO_SCORE) & (states >= 0)
        if any_closed:
            invitable &= ~closed[states]
        if eligible is not None:
            invitable &= eligible[block]
        rows = np.flatnonzero(~invitable)
        first.state[start + rows], first.score[start + rows] = -1, NO_SCORE
        if eligible is not None:
            first.slot[start + rows[~eligible[block][rows]]] = slot_count
            rows = rows[eligible[block][rows]]
        for slot in range(1, slot_count):
            states, slot_scores = block_preferences[rows, slot], block_scores[rows, slot]
            invitable = (slot_scores != NO_SCORE) & ~closed[states]
            found = start + rows[invitable]
            first.slot[found] = slot
            first.state[found] = states[invitable]
            first.score[found] = slot_scores[invitable]
            rows = rows[~invitable]
        first.slot[start + rows] = slot_count
    return first


def first_round(first: FirstChoices, quotas: np.ndarray, tiebreak: Tiebreak) -> FirstRound:
    """Each state keeps the `quota` best of the candidates whose first choice it is."""
    state_count = quotas.size
    # One key per candidate, ordered by state then score; proposing nowhere (state -1) sorts last.
    keys = first.state.astype(np.uint64)
    keys <<= np.uint64(32)
    keys |= first.score.view(np.uint32) ^ _SIGN
    keys.sort()
    ends = np.searchsorted(keys, np.arange(1, state_count + 1, dtype=np.uint64) << np.uint64(32))
    counts = np.diff(ends, prepend=0)
    # Per state, the score of the quota-th best proposer; NO_SCORE keeps everyone (not full).
    boundary = np.full(state_count + 1, NO_SCORE, dtype=np.int32)
    boundary[state_count] = CLOSED  # rows proposing nowhere (state -1)
    full = np.flatnonzero((counts >= quotas) & (quotas > 0))
    boundary[full] = (keys[ends[full] - quotas[full]].astype(np.uint32) ^ _SIGN).view(np.int32)

    own_boundary = boundary[first.state]
    kept = first.score > own_boundary
    at_boundary = np.flatnonzero(first.score == own_boundary)
    del own_boundary
    boundary_states = first.state[at_boundary]
    cut_score, cut_row = {}, {}
    for state in full:
        tied = at_boundary[boundary_states == state]
        top = keys[ends[state] - quotas[state] : ends[state]]
        taken = int(quotas[state] - np.count_nonzero(top > _key(state, boundary[state])))
        winners = tied[tiebreak.order(tied)[:taken]]
        kept[winners] = True
        cut_score[int(state)], cut_row[int(state)] = int(boundary[state]), int(winners[-1])

    kept_rows = np.flatnonzero(kept)
    kept_states = first.state[kept_rows]
    order = np.argsort(kept_states, kind="stable")
    held = np.split(kept_rows[order], np.cumsum(np.bincount(kept_states, minlength=state_count))[:-1])
    return FirstRound(held, kept, cut_score, cut_row)


def _key(state, score) -> np.uint64:
    return (np.uint64(state) << np.uint64(32)) | np.uint64(np.int32(score).view(np.uint32) ^ _SIGN)
