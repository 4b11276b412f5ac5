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


def tiebreak_order(submitted_us: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
    """The candidates' rows in (first submission, id) order: equal totals are decided by it.

    When the ids are ascending (the re-rank reads the pool in id order), one stable sort of the
    submissions is that order: half the work of a two-key lexsort. When the submissions are
    ascending too (profiles are written as accounts register), it is the row order itself."""
    ascending_ids = candidate_ids.size < 2 or bool((candidate_ids[1:] > candidate_ids[:-1]).all())
    if ascending_ids and bool((submitted_us[1:] >= submitted_us[:-1]).all()):
        return np.arange(candidate_ids.size, dtype=np.int64)
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
    order = tiebreak_order(submitted_us, candidate_ids)
    keys = _packed_keys(states, totals, order)
    if keys is None:  # beyond what one uint64 holds: a three-key lexsort
        rows, slots = np.nonzero((totals != NO_SCORE) & (states >= 0))
        positions = np.empty(n, dtype=np.int64)
        positions[order] = np.arange(n, dtype=np.int64)
        state = states[rows, slots].astype(np.int64)
        by_rank = np.lexsort((positions[rows], -totals[rows, slots].astype(np.int64), state))
        sorted_states, rows, slots = state[by_rank], rows[by_rank].astype(np.int64), slots[by_rank].astype(np.int64)
    else:
        keys, shifts = keys
        keys.sort()
        slot_bits, tiebreak_shift, state_shift = shifts
        sorted_states = (keys >> state_shift).astype(np.int64)
        slots = (keys & np.uint64((1 << slot_bits) - 1)).astype(np.int64)
        keys >>= tiebreak_shift
        keys &= np.uint64((1 << TIEBREAK_BITS) - 1)
        rows = order[keys.astype(np.intp)].astype(np.int64, copy=False)
    if rows.size:
        starts = np.concatenate([[0], np.cumsum(np.bincount(sorted_states), dtype=np.int64)[:-1]])
        out.reshape(-1)[rows * k + slots] = (np.arange(rows.size) - starts[sorted_states] + 1).astype(np.int32)
    return Ranking(out, rows, slots)


def _packed_keys(states: np.ndarray, totals: np.ndarray, order: np.ndarray):
    """Every ranked (candidate, slot) pair as one uint64 key, with the shifts to read it back;
    None when a total, the pool or the states need more bits than the key has.

    state | SCORE_OFFSET - 1 - total (20 bits) | tiebreak position (32 bits) | slot, high to low.
    Built slot by slot: each slot's column is contiguous in the engine's (slot-major) output."""
    n, k = totals.shape
    slot_bits = max(1, (k - 1).bit_length())
    state_bits = max(1, int(states.max(initial=0)).bit_length())
    if n >= 1 << TIEBREAK_BITS or state_bits + SCORE_BITS + TIEBREAK_BITS + slot_bits > 64:
        return None
    tiebreak_shift = np.uint64(slot_bits)
    score_shift = np.uint64(slot_bits + TIEBREAK_BITS)
    state_shift = np.uint64(slot_bits + TIEBREAK_BITS + SCORE_BITS)
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
        key |= positions[rows] << tiebreak_shift
        key |= np.uint64(slot)
        parts.append(key)
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64), (slot_bits, tiebreak_shift, state_shift)
