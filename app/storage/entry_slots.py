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


# Rows per block when packing or decoding slots: each block's temporaries stay in the cache, instead
# of a dozen (N, K) arrays of int64 (400 MB each at 10M, every one a fresh page-faulted allocation).
BLOCK_ROWS = 65_536


def pack(states: np.ndarray, scores: np.ndarray, ranks: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """(N, K) int64 slots, into `out` if given (an (N, K) int64 array or view, such as the entries
    matrix's slot columns); ValueError if a total or rank does not fit (`out` is then partly written)."""
    out = np.empty(scores.shape, dtype=np.int64) if out is None else out
    for low in range(0, len(scores), BLOCK_ROWS):
        block = slice(low, low + BLOCK_ROWS)
        _pack_block(states[block], scores[block], ranks[block], out[block])
    return out


def _pack_block(states: np.ndarray, scores: np.ndarray, ranks: np.ndarray, out: np.ndarray) -> None:
    scored = scores != NO_SCORE
    checked = np.where(scored, scores, 0)  # a reduction with `where=` is not vectorised: 20x slower
    if checked.size and (checked.min() <= -SCORE_OFFSET or checked.max() >= SCORE_OFFSET):
        raise ValueError("a total is outside the range a ranking entry can hold (±8 million)")
    if ranks.size and ranks.max() > RANK_MASK:
        raise ValueError("a rank is beyond what a ranking entry can hold (268 million)")
    stored = checked.astype(np.int64)
    stored += SCORE_OFFSET
    stored *= scored  # 0: NO_SCORE
    stored <<= SCORE_SHIFT
    np.add(states, 1, out=out, dtype=np.int64)
    out <<= STATE_SHIFT
    out |= stored
    out |= ranks


def states(slots: np.ndarray) -> np.ndarray:
    return ((slots >> STATE_SHIFT) - 1).astype(np.int16)


def scores(slots: np.ndarray) -> np.ndarray:
    stored = (slots >> SCORE_SHIFT) & SCORE_MASK
    return np.where(stored == 0, NO_SCORE, stored - SCORE_OFFSET).astype(np.int32)


def ranks(slots: np.ndarray) -> np.ndarray:
    return (slots & RANK_MASK).astype(np.int32)
