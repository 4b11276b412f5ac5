"""Where each candidate stands at each state they chose: the rank behind the published ranking.

Every state orders its candidates by total (higher first), then first submission (earlier first),
then candidate id (smaller first): the same strict order the allocation uses, so a rank shown to
a candidate and an invitation never disagree.

All states are ranked with one sort of packed keys: state | inverted total | tiebreak position |
preference slot in one uint64. The keys are distinct (a candidate lists a state once), so they
are sorted as values, not argsorted: numpy sorts 64-bit values with SIMD, several times faster
than an argsort of the same keys, and the key itself carries what the argsort's permutation
would have said, since the tiebreak position names the candidate and the low bits the slot.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ranking.constants import NO_SCORE

SCORE_BITS = 20
SCORE_OFFSET = 1 << (SCORE_BITS - 1)
TIEBREAK_BITS = 32
UNPACK_BLOCK_KEYS = 1 << 16  # sorted keys read back at a time (`_unpacked`)


def tiebreak_order(submitted_us: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
    """The candidates' rows in (first submission, id) order: equal totals are decided by it.

    When the ids are ascending (the re-rank reads the pool in id order), one stable sort of the
    submissions is that order: half the work of a two-key lexsort. When the submissions are
    ascending too (profiles are written as accounts register), it is the row order itself."""
    order = _tiebreak_order(submitted_us, candidate_ids)
    return np.arange(candidate_ids.size, dtype=np.int64) if order is None else order


def _tiebreak_order(submitted_us: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray | None:
    """`tiebreak_order`, or None when it is the row order itself (then nothing need be gathered by it)."""
    ascending_ids = candidate_ids.size < 2 or bool((candidate_ids[1:] > candidate_ids[:-1]).all())
    if ascending_ids and bool((submitted_us[1:] >= submitted_us[:-1]).all()):
        return None
    if ascending_ids:
        return np.argsort(submitted_us, kind="stable")
    return np.lexsort((candidate_ids, submitted_us))


def tiebreak_positions(submitted_us: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
    """Each candidate's position in (first submission, id) order (the inverse of `tiebreak_order`)."""
    order = tiebreak_order(submitted_us, candidate_ids)
    positions = np.empty(order.size, dtype=np.int64)
    positions[order] = np.arange(order.size, dtype=np.int64)
    return positions


@dataclass(frozen=True)
class Ranking:
    """Ranks, and the ranked (candidate row, preference slot) pairs in round order.

    `rows[j], slots[j]` is the j-th ranked pair sorted by state, then rank: grouped by state
    and, within a state, by total descending; `states[j]` and `totals[j]` are its state and
    total there. The run's tie groups are cut from this order without sorting or gathering again."""

    ranks: np.ndarray  # (N, K) int32, 0 where not ranked
    rows: np.ndarray  # (R,) int64
    slots: np.ndarray  # (R,) int64
    states: np.ndarray  # (R,) int32
    totals: np.ndarray  # (R,) int32


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
    order = _tiebreak_order(submitted_us, candidate_ids)
    keys = _packed_keys(states, totals, order)
    if keys is None:  # beyond what one uint64 holds: a three-key lexsort
        rows, slots = np.nonzero((totals != NO_SCORE) & (states >= 0))
        positions = np.arange(n, dtype=np.int64)
        if order is not None:
            positions[order] = np.arange(n, dtype=np.int64)
        state = states[rows, slots].astype(np.int64)
        total = totals[rows, slots].astype(np.int64)
        by_rank = np.lexsort((positions[rows], -total, state))
        sorted_states, sorted_totals = state[by_rank].astype(np.int32), total[by_rank].astype(np.int32)
        rows, slots = rows[by_rank].astype(np.int64), slots[by_rank].astype(np.int64)
    else:
        keys, shifts = keys
        keys.sort()
        sorted_states, sorted_totals, slots, positions = _unpacked(keys, *shifts)
        rows = positions if order is None else order[positions]
    out = np.zeros((n, k), dtype=np.int32)
    # Within a state, the j-th pair holds rank j: one scatter per state, no (R,) rank array.
    ends = np.cumsum(np.bincount(sorted_states), dtype=np.int64).tolist()
    for start, end in zip([0, *ends[:-1]], ends):
        out.reshape(-1)[rows[start:end] * k + slots[start:end]] = np.arange(1, end - start + 1, dtype=np.int32)
    return Ranking(out, rows, slots, sorted_states, sorted_totals)


def _unpacked(keys: np.ndarray, slot_bits: int, tiebreak_shift, score_shift, state_shift
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sorted `keys` read back as (state, total, slot, tiebreak position) per pair; the
    positions are `keys` itself, shifted in place. A block of keys at a time, so that the only
    arrays of the pairs' length are the four answers (at 10M, 25M pairs: 200 MB per int64)."""
    states, totals = np.empty(keys.size, dtype=np.int32), np.empty(keys.size, dtype=np.int32)
    slots = np.empty(keys.size, dtype=np.int64)
    for low in range(0, keys.size, UNPACK_BLOCK_KEYS):
        block = keys[low:low + UNPACK_BLOCK_KEYS]
        part = slice(low, low + block.size)
        states[part] = block >> state_shift
        inverted = ((block >> score_shift) & np.uint64((1 << SCORE_BITS) - 1)).astype(np.int32)
        totals[part] = np.subtract(SCORE_OFFSET - 1, inverted, out=inverted)
        slots[part] = block & np.uint64((1 << slot_bits) - 1)
        block >>= tiebreak_shift
        block &= np.uint64((1 << TIEBREAK_BITS) - 1)
    return states, totals, slots, keys.view(np.int64)  # positions < 2**32: the same values as uint64


def _packed_keys(states: np.ndarray, totals: np.ndarray, order: np.ndarray | None):
    """Every ranked (candidate, slot) pair as one uint64 key, with the shifts to read it back;
    None when a total, the pool or the states need more bits than the key has.

    state | SCORE_OFFSET - 1 - total (20 bits) | tiebreak position (32 bits) | slot, high to low;
    `order` is the tiebreak order, None for the row order. Built slot by slot: each slot's column
    is contiguous in the engine's (slot-major) output."""
    n, k = totals.shape
    slot_bits = max(1, (k - 1).bit_length())
    state_bits = max(1, int(states.max(initial=0)).bit_length())
    if n >= 1 << TIEBREAK_BITS or state_bits + SCORE_BITS + TIEBREAK_BITS + slot_bits > 64:
        return None
    tiebreak_shift = np.uint64(slot_bits)
    score_shift = np.uint64(slot_bits + TIEBREAK_BITS)
    state_shift = np.uint64(slot_bits + TIEBREAK_BITS + SCORE_BITS)
    if order is not None:
        positions = np.empty(n, dtype=np.uint64)
        positions[order] = np.arange(n, dtype=np.uint64)
    parts = []
    for slot in range(k):
        slot_states, slot_totals = states[:, slot], totals[:, slot]
        rows = np.flatnonzero((slot_totals != NO_SCORE) & (slot_states >= 0))
        score = slot_totals[rows].astype(np.int64)
        if score.size and (score.min() < -SCORE_OFFSET or score.max() >= SCORE_OFFSET):
            return None
        key = slot_states[rows].astype(np.uint64) << state_shift
        key |= (SCORE_OFFSET - 1 - score).astype(np.uint64) << score_shift
        key |= (rows.astype(np.uint64) if order is None else positions[rows]) << tiebreak_shift
        key |= np.uint64(slot)
        parts.append(key)
    keys = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    return keys, (slot_bits, tiebreak_shift, score_shift, state_shift)
