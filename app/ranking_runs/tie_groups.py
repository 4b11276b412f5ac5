"""A run's tie groups: per (state, total), the sorted tie-break keys of the candidates holding it.

Written with the run, read one group at a time by `provisional_standing`. Keys are stored as two
little-endian blobs per group (first submission as int64, candidate id as int32: 12 bytes per
ranked preference) in the order that breaks a tie, so a position in a group is a binary search.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
from ranking import standings

from app.ranking_runs.run_entries import RunEntries

KEY_BYTES = 12  # per candidate in a group: first submission (int64) and id (int32)
# About this many bytes of keys per write transaction: SQLite wrote about 90 MB/s of them, so
# under 0.1 s of its write lock. A fixed count of groups did not bound it: groups grow with the
# pool, and 2,000 groups of a 10M pool (about 48 MB) held the lock 0.52 s.
CHUNK_BYTES = 8 << 20


def of_entries(run_id: int, entries: RunEntries, ranked: standings.Ranking | None = None) -> dict[str, object]:
    """The run's tie groups as columns for `columnar.write` (`ranking_tie_group`'s columns).

    `ranked`: the run's ranking as the re-rank's `standings.ranking` gives it, the ranked pairs
    already in round order with their states and totals; without it they are sorted here."""
    if ranked is None:
        ranks = entries.ranks
        rows, slots = np.nonzero(ranks > 0)
        states = entries.preferences[rows, slots]
        # Within a state the rank is the round order: total descending, then (first submission, id).
        by_rank = np.lexsort((ranks[rows, slots], states))
        rows, slots, states = rows[by_rank], slots[by_rank], states[by_rank]
        totals = entries.scores[rows, slots]
    else:
        rows, states, totals = ranked.rows, ranked.states, ranked.totals
    starts = np.flatnonzero(np.r_[True, (states[1:] != states[:-1]) | (totals[1:] != totals[:-1])]) if rows.size \
        else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, rows.size]).astype(np.int64)
    # Gathered from contiguous copies: the entries' own columns are strided through the matrix,
    # a cache line per value. Within a group the rows ascend (the tiebreak order is the id order
    # for a pool registered in order), so the gathers mostly walk forward.
    first_us = np.ascontiguousarray(entries.submitted_us, dtype="<i8")[rows]
    ids = np.ascontiguousarray(entries.candidate_ids, dtype="<i4")[rows]
    return {
        "run_id": np.full(starts.size, run_id, dtype=np.int64),
        "state": states[starts].astype(np.int64), "total": totals[starts].astype(np.int64), "size": sizes,
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
