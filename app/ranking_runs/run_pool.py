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

Both blobs of a chunk are compressed with zstd at its fastest level (`CODEC`), by two threads
(the codec lets go of the GIL). At 1M candidates that makes 138 MB about 46 MB in 0.2 s; the
smaller write and next night's smaller delete save about twice that on SQLite and more on
PostgreSQL, and decompressing a run's entries costs a round's read 0.05-0.1 s.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
from sqlalchemy import Connection, Engine, delete, func, select, update

from app.ranking_runs.models import ENTRY_COLUMNS, POOL_CHUNK_ROWS, RankingRunPool
from app.storage import columnar

# Chunk rows per write transaction: a chunk of a 9-column matrix and 66-byte records is about
# 9 MB before compression and 3 MB after. SQLite wrote two in 15-30 ms, so eight hold its lock
# about 0.1 s, as an entry chunk does, with a quarter of the pauses after each (10 ms at least).
CHUNKS_PER_TRANSACTION = 8
# How the chunks' blobs are compressed; a chunk of another codec is not read (the entry rows are).
CODEC = "zstd"
_ZSTD = pa.Codec("zstd", compression_level=1)
# Bytes of one candidate's row of the entries matrix (little-endian int64 columns).
ENTRY_ROW_BYTES = 8 * len(ENTRY_COLUMNS)
# Chunks deleted per transaction: SQLite walks each freed blob's pages, so a run goes in parts.
CHUNKS_PER_DELETE = 16


def rows(run_id: int, entries: np.ndarray, records: np.ndarray, record_grid: str) -> columnar.Rows:
    """The chunks of a run's `entries` matrix and its `records` (aligned, candidate order) for the
    bulk writer: one value per chunk, each slice of the two arrays compressed."""
    entries = np.ascontiguousarray(entries, dtype="<i8")
    records = np.ascontiguousarray(records)
    width = records.dtype.itemsize
    records = records.view(np.uint8).reshape(len(records), width)
    n = len(entries)
    starts = np.arange(0, n, POOL_CHUNK_ROWS, dtype=np.int64)
    sizes = np.minimum(POOL_CHUNK_ROWS, n - starts)
    slices = [(start, start + size) for start, size in zip(starts.tolist(), sizes.tolist())]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="run-pool-zstd") as threads:
        entry_blobs = threads.map(lambda bounds: compress(entries[slice(*bounds)]), slices)
        record_blobs = threads.map(lambda bounds: compress(records[slice(*bounds)]), slices)
        entry_blobs, record_blobs = list(entry_blobs), list(record_blobs)
    return columnar.Rows(RankingRunPool.__table__, {
        "run_id": np.full(len(starts), run_id, dtype=np.int64),
        "chunk": np.arange(len(starts), dtype=np.int64),
        "first_candidate_id": entries[starts, 0] if n else np.zeros(0, dtype=np.int64),
        "size": sizes,
        "record_grid": pa.array([record_grid] * len(starts), pa.string()),
        "record_width": np.full(len(starts), width, dtype=np.int64),
        "codec": pa.array([CODEC] * len(starts), pa.string()),
        "entries": pa.array(entry_blobs, pa.large_binary()),
        "records": pa.array(record_blobs, pa.large_binary()),
    }, chunk_rows=CHUNKS_PER_TRANSACTION)


def compress(matrix: np.ndarray) -> bytes:
    """A contiguous matrix's bytes as one `CODEC` blob."""
    return _ZSTD.compress(matrix.reshape(-1).view(np.uint8), asbytes=True)


def decompress(blob: bytes, size: int) -> bytes | None:
    """The `size` bytes `blob` holds, or None if it does not decompress to exactly that."""
    try:
        return _ZSTD.decompress(blob, decompressed_size=size, asbytes=True)
    except (OSError, ValueError):  # corrupt, or of another length
        return None


def read_entries(connection: Connection, run) -> np.ndarray | None:
    """Run `run`'s entries matrix (N, len(ENTRY_COLUMNS)) int64 as stored, from its chunks; None
    when it has none or they do not add up to its entries (a count or a hash that differs, a blob
    that does not decompress: the entry rows count then). Streamed a chunk at a time, each
    hashed and copied into place."""
    n = run.candidates
    table = RankingRunPool.__table__
    if not _whole(connection, run):
        return None
    matrix = np.empty((n, len(ENTRY_COLUMNS)), dtype=np.int64)
    digest, done = hashlib.sha256(), 0
    with _streamed(connection, select(table.c.size, table.c.entries).where(table.c.run_id == run.id)
                   .order_by(table.c.chunk)) as chunks:
        for rows, blob in chunks:
            blob = decompress(blob, rows * ENTRY_ROW_BYTES) if done + rows <= n else None
            if blob is None:
                return None
            digest.update(blob)
            matrix[done:done + rows] = np.frombuffer(blob, dtype="<i8").reshape(rows, len(ENTRY_COLUMNS))
            done += rows
    return matrix if done == n and digest.hexdigest() == run.entries_hash else None


def read_records(connection: Connection, run, record_grid: str, keep: np.ndarray | None = None) -> np.ndarray | None:
    """The records run `run` scored, (N, width) uint8 in candidate order (only the rows where
    `keep`, if given), or None when it has no chunks, they do not add up to its candidates, one
    does not decompress, or they are of another grid contract. Streamed a chunk at a time, kept
    rows only."""
    table = RankingRunPool.__table__
    if not _whole(connection, run, record_grid):
        return None
    n = run.candidates
    keep = np.ones(n, dtype=bool) if keep is None else keep
    out, done, filled = None, 0, 0
    with _streamed(connection, select(table.c.size, table.c.record_width, table.c.records)
                   .where(table.c.run_id == run.id).order_by(table.c.chunk)) as chunks:
        for size, width, blob in chunks:
            blob = decompress(blob, size * width) if done + size <= n else None
            if blob is None:
                return None
            part = np.frombuffer(blob, dtype=np.uint8).reshape(size, width)
            if out is None:
                out = np.empty((int(keep.sum()), width), dtype=np.uint8)
            if width != out.shape[1]:
                return None
            chosen = part[keep[done:done + size]]
            out[filled:filled + len(chosen)] = chosen
            done, filled = done + size, filled + len(chosen)
    return out if done == n else None


def _whole(connection: Connection, run, record_grid: str | None = None) -> bool:
    """Whether run `run` has all its chunks (numbered from 0, adding up to its candidates, each
    of a size), of one grid contract (`record_grid`, if given) and of `CODEC`; read without
    their blobs."""
    table = RankingRunPool.__table__
    found = connection.execute(select(table.c.chunk, table.c.size, table.c.record_grid, table.c.codec)
                               .where(table.c.run_id == run.id).order_by(table.c.chunk)).all()
    grids = {row.record_grid for row in found}
    return (bool(found) and [row.chunk for row in found] == list(range(len(found)))
            and all(row.size > 0 and row.codec == CODEC for row in found)
            and sum(row.size for row in found) == run.candidates and len(grids) == 1
            and (record_grid is None or grids == {record_grid}))


def _streamed(connection: Connection, statement):
    """`statement`'s rows fetched a couple at a time (each holds megabytes), not all at once; a
    result to use in `with`, so that giving up half-way closes PostgreSQL's server-side cursor."""
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
            size, width, entries, records = connection.execute(
                select(table.c.size, table.c.record_width, table.c.entries, table.c.records).where(where)).one()
            entries = decompress(entries, size * ENTRY_ROW_BYTES)
            records = decompress(records, size * width)
            if entries is None or records is None:
                # Unreadable, so never read (`read_records` gives up on it); removed, so that a
                # record in it cannot outlive the erasure either.
                connection.execute(delete(table).where(where))
                continue
            ids = np.frombuffer(entries, dtype="<i8")[::len(ENTRY_COLUMNS)]
            position = int(np.searchsorted(ids, candidate_id))
            if position == len(ids) or ids[position] != candidate_id:
                continue
            blank = np.frombuffer(records, dtype=np.uint8).reshape(size, width).copy()
            blank[position] = 0
            connection.execute(update(table).where(where).values(records=compress(blank)))
            blanked += 1
    return blanked
