"""A run's tie groups: per (state, total), the sorted tie-break keys of the candidates holding it.

Written with the run, read one group at a time by `provisional_standing`. Keys are stored as two
little-endian blobs per group (first submission as int64, candidate id as int32: 12 bytes per
ranked preference) in the order that breaks a tie, so a position in a group is a binary search.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from app.ranking_runs.run_entries import RunEntries

KEY_BYTES = 12  # per candidate in a group: first submission (int64) and id (int32)
# About this many bytes of keys per write transaction: SQLite wrote about 90 MB/s of them, so
# under 0.1 s of its write lock. A fixed count of groups did not bound it: groups grow with the
# pool, and 2,000 groups of a 10M pool (about 48 MB) held the lock 0.52 s.
CHUNK_BYTES = 8 << 20


def of_entries(run_id: int, entries: RunEntries, order: tuple[np.ndarray, np.ndarray] | None = None
               ) -> dict[str, object]:
    """The run's tie groups as columns for `columnar.write` (`ranking_tie_group`'s columns).

    `order`: the ranked (row, slot) pairs already sorted by state, then rank, as the re-rank's
    `standings.ranking` gives them; without it they are sorted here."""
    if order is None:
        ranks = entries.ranks
        rows, slots = np.nonzero(ranks > 0)
        # Within a state the rank is the round order: total descending, then (first submission, id).
        by_rank = np.lexsort((ranks[rows, slots], entries.preferences[rows, slots]))
        rows, slots = rows[by_rank], slots[by_rank]
    else:
        rows, slots = order
    states = entries.preferences[rows, slots].astype(np.int64)
    totals = entries.scores[rows, slots].astype(np.int64)
    starts = np.flatnonzero(np.r_[True, (states[1:] != states[:-1]) | (totals[1:] != totals[:-1])]) if rows.size \
        else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, rows.size]).astype(np.int64)
    first_us = np.ascontiguousarray(entries.submitted_us[rows], dtype="<i8")
    ids = np.ascontiguousarray(entries.candidate_ids[rows], dtype="<i4")
    return {
        "run_id": np.full(starts.size, run_id, dtype=np.int64),
        "state": states[starts], "total": totals[starts], "size": sizes,
        "first_us": _blobs(first_us, starts, 8), "candidate_id": _blobs(ids, starts, 4),
    }


def _blobs(values: np.ndarray, starts: np.ndarray, width: int) -> pa.Array:
    """One binary value per group over `values`' bytes, without a Python object per group."""
    offsets = np.r_[starts, values.size].astype(np.int64) * width
    return pa.LargeBinaryArray.from_buffers(pa.large_binary(), starts.size,
                                            [None, pa.py_buffer(offsets), pa.py_buffer(values)])


def chunk_rows(groups: dict[str, object], budget: int | None = None) -> int:
    """How many of `groups` (as `of_entries` gives them) to write per transaction: as many as
    hold `budget` (default `CHUNK_BYTES`) bytes of keys on average, at least one."""
    budget = CHUNK_BYTES if budget is None else budget
    sizes = np.asarray(groups["size"])
    if not sizes.size:
        return 1
    return max(1, int(sizes.size * budget // max(KEY_BYTES * int(sizes.sum()), 1)))
