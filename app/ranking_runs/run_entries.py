"""Reading a ranking run back: the latest complete run, and a run's entries as arrays."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sqlalchemy import Connection, select

from app.ranking_runs.models import ENTRY_COLUMNS, SLOT_COLUMNS, RankingEntry, RankingRun
from app.ranking_runs import run_pool
from app.storage import columnar, entry_slots


@dataclass(frozen=True)
class RunEntries:
    """A run's entries in candidate-id order: what a round allocates from and verify re-checks.

    The decoded columns are computed once each, when first asked for: a draw reads them many
    times, a preview only the preferences.
    """

    matrix: np.ndarray  # (N, len(ENTRY_COLUMNS)) int64, exactly as stored

    @classmethod
    def decoded(cls, matrix: np.ndarray, preferences: np.ndarray, scores: np.ndarray, ranks: np.ndarray
                ) -> RunEntries:
        """The entries `matrix` with its decoded columns given, as the re-rank has them in hand
        (the state indexes, totals and ranks it packed): not decoded again from the slots."""
        entries = cls(matrix)
        entries.__dict__.update(preferences=np.asarray(preferences, dtype=np.int16),
                                scores=np.asarray(scores, dtype=np.int32), ranks=np.asarray(ranks, dtype=np.int32))
        return entries

    @cached_property
    def slots(self) -> np.ndarray:
        start = ENTRY_COLUMNS.index(SLOT_COLUMNS[0])
        return self.matrix[:, start:start + len(SLOT_COLUMNS)]

    @cached_property
    def candidate_ids(self) -> np.ndarray:
        return self.matrix[:, 0]

    @cached_property
    def submitted_us(self) -> np.ndarray:
        return self.matrix[:, 1]

    @cached_property
    def preferences(self) -> np.ndarray:
        return self._decoded(entry_slots.states, np.int16)

    @cached_property
    def scores(self) -> np.ndarray:
        return self._decoded(entry_slots.scores, np.int32)

    @cached_property
    def ranks(self) -> np.ndarray:
        return self._decoded(entry_slots.ranks, np.int32)

    def _decoded(self, decode, dtype) -> np.ndarray:
        """One decoded column of the slots, block by block, into a slot-major array handed out
        as an (N, K) view: a draw walks it a slot at a time (one contiguous column each, as the
        re-rank's own arrays are), and cache-sized blocks keep the temporaries small at 10M."""
        slots = self.slots
        out = np.empty(slots.shape[::-1], dtype=dtype).T
        for low in range(0, len(slots), entry_slots.BLOCK_ROWS):
            out[low:low + entry_slots.BLOCK_ROWS] = decode(slots[low:low + entry_slots.BLOCK_ROWS])
        return out


def latest_complete(connection: Connection):
    """The newest complete run's row, or None: the only run readers ever use."""
    table = RankingRun.__table__
    return connection.execute(select(table).where(table.c.completed_at.is_not(None))
                              .order_by(table.c.run_date.desc(), table.c.id.desc()).limit(1)).first()


def run_by_id(connection: Connection, run_id: int):
    table = RankingRun.__table__
    return connection.execute(select(table).where(table.c.id == run_id)).first()


# The last run read or written by this process, keyed by (id, entries hash): a complete run never
# changes, and the hash tells a run apart from a later one that reused a deleted run's id.
_cache: dict[tuple[int, str], RunEntries] = {}
_loading = threading.Lock()


def remember(run_id: int, entries_hash: str, entries: RunEntries) -> None:
    """Keep `entries` as the process's copy of that run (the re-rank has them in hand)."""
    _cache.clear()
    _cache[(run_id, entries_hash)] = entries


def forget() -> None:
    """Drop the process's copy (benchmarks measure the read)."""
    _cache.clear()


def of_run(connection: Connection, run) -> RunEntries:
    """The entries of `run` (a ranking_run row), from this process's copy when it has it, else
    from the run's pool chunks (checked against its entries hash), else from its entry rows.

    One load at a time per process: a request that finds the run being loaded (by another
    request, or by the worker's warm-up, `app.ranking_runs.warm_up`) waits for that copy instead
    of reading the run a second time (at 10M, 720 MB and several seconds each)."""
    key = (run.id, run.entries_hash)
    entries = _cache.get(key)
    if entries is None:
        with _loading:
            entries = _cache.get(key)
            if entries is None:
                matrix = run_pool.read_entries(connection, run)
                entries = RunEntries(matrix) if matrix is not None else read(connection, run.id)
                remember(run.id, run.entries_hash, entries)
    return entries


def cached_run_id() -> int | None:
    """The id of the run this process holds a copy of, if any."""
    return next(iter(_cache))[0] if _cache else None


def read(connection: Connection, run_id: int) -> RunEntries:
    """Every entry of the run, ordered by candidate id, in one Arrow read (its own snapshot: a
    complete run never changes; `connection` only names the database)."""
    table = RankingEntry.__table__
    statement = select(*(table.c[name] for name in ENTRY_COLUMNS)).where(table.c.run_id == run_id)
    columns = columnar.read(connection.engine, statement)
    matrix = np.empty((len(columns["candidate_id"]), len(ENTRY_COLUMNS)), dtype=np.int64)
    order = np.argsort(columns["candidate_id"], kind="stable")
    for i, name in enumerate(ENTRY_COLUMNS):
        matrix[:, i] = columns[name][order]
    return RunEntries(matrix)
