"""Input checks for `allocate`: shapes, ranges and distinct preferences, named by field and row.

A wrong shape or an out-of-range state index would otherwise surface as an IndexError deep in
a proposal round, or worse as a silently wrong allocation.
"""
from __future__ import annotations

import numpy as np

from ranking import constants

MAX_STATES = int(np.iinfo(np.int16).max)


def checked_inputs(scores, preferences, submitted_at, ids, quotas, eligible):
    """The inputs as arrays of the dtypes the rounds work on; ValueError on anything else."""
    scores = _integer_array("scores", scores, 2)
    preferences = _integer_array("preferences", preferences, 2)
    if scores.shape != preferences.shape:
        raise ValueError(f"scores {scores.shape} and preferences {preferences.shape} must have the same shape")
    count = preferences.shape[0]
    submitted_at = _per_candidate("submitted_at", submitted_at, count)
    ids = _per_candidate("ids", ids, count)
    quotas = _integer_array("quotas", quotas, 1).astype(np.int64, copy=False)
    if quotas.size > MAX_STATES:
        raise ValueError(f"quotas: at most {MAX_STATES} states, got {quotas.size}")
    if quotas.size and quotas.min() < 0:
        state = int(np.argmax(quotas < 0))
        raise ValueError(f"quotas: state {state} has a negative quota ({quotas[state]})")
    if scores.dtype != np.int32:
        scores = _as_int32(scores)
    # Proposals look slots up by flat index into these, which needs one contiguous buffer each.
    scores, preferences = np.ascontiguousarray(scores), np.ascontiguousarray(preferences)
    _check_preferences(preferences, quotas.size)
    if eligible is not None:
        eligible = np.asarray(eligible)
        if eligible.dtype != bool or eligible.shape != (count,):
            raise ValueError(
                f"eligible must be a bool array of shape ({count},), got {eligible.dtype} {eligible.shape}"
            )
    return scores, preferences, submitted_at, ids, quotas, eligible


def _integer_array(name: str, value, ndim: int) -> np.ndarray:
    array = np.asarray(value)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if array.size == 0 and array.dtype.kind == "f":  # np.asarray([]) is float64
        return array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integers, got {array.dtype}")
    return array


def _per_candidate(name: str, value, count: int) -> np.ndarray:
    array = _integer_array(name, value, 1)
    if array.shape != (count,):
        raise ValueError(f"{name} must have one entry per candidate ({count}), got {array.shape[0]}")
    if array.dtype == np.uint64 and array.size and array.max() > np.iinfo(np.int64).max:
        raise ValueError(f"{name}: row {int(np.argmax(array > np.iinfo(np.int64).max))} does not fit in int64")
    return array.astype(np.int64, copy=False)


def _as_int32(scores: np.ndarray) -> np.ndarray:
    info = np.iinfo(np.int32)
    if scores.size and (scores.min() < info.min or scores.max() > info.max):
        bad = (scores < info.min) | (scores > info.max)
        raise ValueError(f"scores: row {int(np.argmax(bad.any(axis=1)))} does not fit in int32")
    return scores.astype(np.int32)


def _check_preferences(preferences: np.ndarray, state_count: int) -> None:
    # Block by block, so each block's rows are read from memory once for all the comparisons.
    count, slot_count = preferences.shape
    if not preferences.size:
        return
    block_rows = constants.ALLOCATION_BLOCK_ROWS  # read here, not imported, so tests can shrink it
    for start in range(0, count, block_rows):
        block = np.ascontiguousarray(preferences[start : start + block_rows].T)  # one slot per row
        if block.min() < -1 or block.max() >= state_count:
            row = start + int(np.argmax(((block < -1) | (block >= state_count)).any(axis=0)))
            raise ValueError(f"preferences: row {row} has a state index outside -1..{state_count - 1}")
        repeated = np.zeros(block.shape[1], dtype=bool)
        for slot in range(slot_count - 1):
            listed = block[slot] >= 0
            for later in range(slot + 1, slot_count):
                repeated |= listed & (block[slot] == block[later])
        if repeated.any():
            row = start + int(np.argmax(repeated))
            raise ValueError(f"preferences: row {row} lists the same state twice")
