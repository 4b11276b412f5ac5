"""The newest complete run's pool as a few hundred column chunks (`ranking_run_pool`), beside its
entry rows: what rounds, simulations and previews read.

A round needs every entry of the run and a preview every record the run scored. Read as rows,
that was the slowest part of both at scale (10M entry rows: 25 s on SQLite; 10M current records:
13 s), although the bytes are few: the cost is per row. So the re-rank also writes the run as
chunks of `POOL_CHUNK_ROWS` candidates, each one row holding that slice of the entries matrix and
of the records, in the same bulk write as the entries and before the run is marked complete, so
a complete run has all of its chunks or (ranked before they existed) none. Reading a run is then
a few hundred rows of megabytes.

The entry rows stay the record (plain SQL, `rounds verify`); the chunks are checked against them:
the entries read from chunks must hash to the run's `entries_hash`, or they are not used. Only the
newest complete run keeps its chunks (`prune`). Erasure blanks the person's record in them
(`scrub`), since unlike the entries (pseudonymous ids and totals, kept as the rounds' own
records are) a record is the profile's content.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
from sqlalchemy import Connection, Engine, delete, func, select, update

from app.ranking_runs.models import ENTRY_COLUMNS, POOL_CHUNK_ROWS, RankingRunPool
from app.storage import columnar

# Chunk rows per write transaction: two chunks of a 9-column matrix and 62-byte records are
# about 17 MB, written by SQLite in a few tens of milliseconds.
CHUNKS_PER_TRANSACTION = 2
# Chunks deleted per transaction: SQLite walks each freed blob's pages, so a run goes in parts.
CHUNKS_PER_DELETE = 16


def rows(run_id: int, entries: np.ndarray, records: np.ndarray, record_grid: str) -> columnar.Rows:
    """The chunks of a run's `entries` matrix and its `records` (aligned, candidate order) for the
    bulk writer: one value per chunk, sliced out of the two arrays' buffers without a copy."""
    entries = np.ascontiguousarray(entries, dtype="<i8")
    records = np.ascontiguousarray(records)
    records = records.view(np.uint8).reshape(len(records), records.dtype.itemsize)
    n = len(entries)
    starts = np.arange(0, n, POOL_CHUNK_ROWS, dtype=np.int64)
    sizes = np.minimum(POOL_CHUNK_ROWS, n - starts)
    return columnar.Rows(RankingRunPool.__table__, {
        "run_id": np.full(len(starts), run_id, dtype=np.int64),
        "chunk": np.arange(len(starts), dtype=np.int64),
        "first_candidate_id": entries[starts, 0] if n else np.zeros(0, dtype=np.int64),
        "size": sizes,
        "record_grid": pa.array([record_grid] * len(starts), pa.string()),
        "entries": _slices(entries, starts, sizes),
        "records": _slices(records, starts, sizes),
    }, chunk_rows=CHUNKS_PER_TRANSACTION)


def _slices(matrix: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> pa.Array:
    """Rows [start, start + size) of a contiguous matrix as one binary value each (no copy)."""
    width = matrix.strides[0] if len(matrix) else 0
    offsets = np.append(starts, starts[-1] + sizes[-1] if len(starts) else 0) * width
    return pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(starts),
                                            [None, pa.py_buffer(offsets.astype(np.int64)), pa.py_buffer(matrix)])


def read_entries(connection: Connection, run) -> np.ndarray | None:
    """Run `run`'s entries matrix (N, len(ENTRY_COLUMNS)) int64 as stored, from its chunks; None
    when it has none or they do not add up to its entries (a count or a hash that differs: the
    entry rows count then). Streamed a chunk at a time, each hashed and copied into place."""
    n = run.candidates
    table = RankingRunPool.__table__
    if not _whole(connection, run):
        return None
    matrix = np.empty((n, len(ENTRY_COLUMNS)), dtype=np.int64)
    digest, done = hashlib.sha256(), 0
    for (blob,) in _streamed(connection, select(table.c.entries).where(table.c.run_id == run.id)
                             .order_by(table.c.chunk)):
        part = np.frombuffer(blob, dtype="<i8")
        rows = part.size // len(ENTRY_COLUMNS)
        if part.size != rows * len(ENTRY_COLUMNS) or done + rows > n:
            return None
        digest.update(blob)
        matrix[done:done + rows] = part.reshape(rows, len(ENTRY_COLUMNS))
        done += rows
    return matrix if done == n and digest.hexdigest() == run.entries_hash else None


def read_records(connection: Connection, run, record_grid: str, keep: np.ndarray | None = None) -> np.ndarray | None:
    """The records run `run` scored, (N, width) uint8 in candidate order (only the rows where
    `keep`, if given), or None when it has no chunks, they do not add up to its candidates, or
    they are of another grid contract. Streamed a chunk at a time, kept rows only."""
    table = RankingRunPool.__table__
    if not _whole(connection, run, record_grid):
        return None
    n = run.candidates
    keep = np.ones(n, dtype=bool) if keep is None else keep
    out, done, filled = None, 0, 0
    for size, blob in _streamed(connection, select(table.c.size, table.c.records).where(table.c.run_id == run.id)
                                .order_by(table.c.chunk)):
        if size == 0 or len(blob) % size:
            return None
        part = np.frombuffer(blob, dtype=np.uint8).reshape(size, len(blob) // size)
        if out is None:
            out = np.empty((int(keep.sum()), part.shape[1]), dtype=np.uint8)
        if part.shape[1] != out.shape[1] or done + size > n:
            return None
        chosen = part[keep[done:done + size]]
        out[filled:filled + len(chosen)] = chosen
        done, filled = done + size, filled + len(chosen)
    return out if done == n else None


def _whole(connection: Connection, run, record_grid: str | None = None) -> bool:
    """Whether run `run` has all its chunks (numbered from 0, adding up to its candidates), of
    one grid contract (`record_grid`, if given); read without their blobs."""
    table = RankingRunPool.__table__
    found = connection.execute(select(table.c.chunk, table.c.size, table.c.record_grid)
                               .where(table.c.run_id == run.id).order_by(table.c.chunk)).all()
    grids = {row.record_grid for row in found}
    return (bool(found) and [row.chunk for row in found] == list(range(len(found)))
            and sum(row.size for row in found) == run.candidates and len(grids) == 1
            and (record_grid is None or grids == {record_grid}))


def _streamed(connection: Connection, statement):
    """`statement`'s rows fetched a couple at a time (each holds megabytes), not all at once."""
    return connection.execute(statement.execution_options(yield_per=2))


def prune(write_engine: Engine, keep_run_id: int) -> None:
    """Delete every other run's chunks (only the newest complete run is read from chunks)."""
    table = RankingRunPool.__table__
    with write_engine.connect() as connection:
        others = connection.execute(select(table.c.run_id).where(table.c.run_id != keep_run_id)
                                    .distinct()).scalars().all()
    for run_id in others:
        remove(write_engine, run_id)


def remove(write_engine: Engine, run_id: int) -> None:
    """Delete run `run_id`'s chunks, `CHUNKS_PER_DELETE` per short transaction."""
    table = RankingRunPool.__table__
    while True:
        with write_engine.begin() as connection:
            chunks = connection.execute(select(table.c.chunk).where(table.c.run_id == run_id)
                                        .order_by(table.c.chunk).limit(CHUNKS_PER_DELETE)).scalars().all()
            if not chunks:
                return
            connection.execute(delete(table).where(table.c.run_id == run_id, table.c.chunk.in_(chunks)))


def scrub(connection: Connection, candidate_ids) -> int:
    """Blank the records of `candidate_ids` in every run's chunks, in the caller's transaction
    (erasure's); returns how many were found. Their entries stay, as their entry rows do."""
    table = RankingRunPool.__table__
    blanked = 0
    for candidate_id in sorted({int(i) for i in candidate_ids}):
        # Chunks are in candidate order: the one that can hold the id is each run's last starting at or before it.
        holding = connection.execute(select(table.c.run_id, func.max(table.c.chunk))
                                     .where(table.c.first_candidate_id <= candidate_id)
                                     .group_by(table.c.run_id)).all()
        for run_id, chunk in holding:
            where = (table.c.run_id == run_id) & (table.c.chunk == chunk)
            entries, records = connection.execute(select(table.c.entries, table.c.records).where(where)).one()
            ids = np.frombuffer(entries, dtype="<i8")[::len(ENTRY_COLUMNS)]
            position = int(np.searchsorted(ids, candidate_id))
            if position == len(ids) or ids[position] != candidate_id:
                continue
            width = len(records) // len(ids)
            blank = bytearray(records)
            blank[position * width:(position + 1) * width] = bytes(width)
            connection.execute(update(table).where(where).values(records=bytes(blank)))
            blanked += 1
    return blanked
