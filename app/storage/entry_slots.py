"""A ranking entry's preference slot as one BIGINT: the state, the total there, the rank there.

Bits 52-56 hold the state index + 1 (0: no preference in that slot), bits 28-51 the total + 2**23
(0: NO_SCORE, not eligible there), bits 0-27 the rank (0: not ranked). 57 bits: positive in every
database's signed 64-bit integer, and a million candidates' five slots are five million values
instead of fifteen.
"""
from __future__ import annotations

import numpy as np
from ranking import NO_SCORE

STATE_SHIFT = 52
SCORE_SHIFT = 28
SCORE_OFFSET = 1 << 23
RANK_MASK = (1 << SCORE_SHIFT) - 1
SCORE_MASK = (1 << 24) - 1


def pack(states: np.ndarray, scores: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """(N, K) int64 slots; ValueError if a total or rank does not fit."""
    scored = scores != NO_SCORE
    if scored.any() and (scores[scored].min() <= -SCORE_OFFSET or scores[scored].max() >= SCORE_OFFSET):
        raise ValueError("a total is outside the range a ranking entry can hold (±8 million)")
    if ranks.size and ranks.max() > RANK_MASK:
        raise ValueError("a rank is beyond what a ranking entry can hold (268 million)")
    stored = np.where(scored, scores.astype(np.int64) + SCORE_OFFSET, 0)
    return ((states.astype(np.int64) + 1) << STATE_SHIFT) | (stored << SCORE_SHIFT) | ranks.astype(np.int64)


def states(slots: np.ndarray) -> np.ndarray:
    return ((slots >> STATE_SHIFT) - 1).astype(np.int16)


def scores(slots: np.ndarray) -> np.ndarray:
    stored = (slots >> SCORE_SHIFT) & SCORE_MASK
    return np.where(stored == 0, NO_SCORE, stored - SCORE_OFFSET).astype(np.int32)


def ranks(slots: np.ndarray) -> np.ndarray:
    return (slots & RANK_MASK).astype(np.int32)
