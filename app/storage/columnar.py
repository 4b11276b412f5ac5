"""Bulk reads and writes between the database and numpy, as Arrow columns (ADBC), on both databases.

`read` runs one SELECT and returns its columns as numpy arrays: integers as int64 (no copy when
the driver already sent int64), and a fixed-width BLOB column as an (N, width) uint8 view of
Arrow's data buffer, which the caller views as its structured dtype. `write` appends numpy
columns to tables with `adbc_ingest`: on SQLite in chunks, each chunk its own short
`BEGIN IMMEDIATE` transaction so web requests never wait long for the write lock (the spike
measured 0.3-0.6 s per 50,000 ranking entries on a loaded machine); on PostgreSQL, where readers
and writers do not block each other, in one transaction (COPY underneath). Either way an
optional `finish` statement runs in the last transaction, which is how a run becomes complete
together with its last rows.

No Python object is made per row, and no wire format is written by hand. SQLite's side runs in
a helper process (`app.storage.sqlite_arrow_process` says why); PostgreSQL's in this process.
"""
from __future__ import annotations

import atexit
import json
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Full, Queue

import adbc_driver_postgresql.dbapi as adbc_postgresql
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
from sqlalchemy import JSON, BigInteger, DateTime, Engine, Integer, LargeBinary, SmallInteger, String, Table

# Rows per Arrow batch the SQLite driver returns (its default, 1024, makes many tiny batches).
READ_BATCH_ROWS = 65_536
# Rows per COPY when writing to PostgreSQL (all of a write's COPYs are in one transaction).
POSTGRESQL_SLICE_ROWS = 1_000_000
# Batches `read_batches` holds ahead of its caller (bounds the memory read but not yet taken).
READ_AHEAD_BATCHES = 2
# The helper's message framing (sqlite_arrow_process.LENGTH; not imported: that module loads ADBC's SQLite).
LENGTH = struct.Struct("<I")


class BulkError(Exception):
    """The database refused a bulk read or write (the message is the driver's)."""


@dataclass(frozen=True)
class Rows:
    """Columns to append to `table`, in chunks of `chunk_rows` rows on SQLite.

    Each value is a 1-D numpy array (integers), an (N, width) uint8 array (a fixed-width BLOB
    column) or a pyarrow array (for instance variable-length BLOBs); text, JSON text and
    instants (`instants`) only as pyarrow arrays, sent as given.
    """

    table: Table
    columns: dict[str, object]
    chunk_rows: int = 50_000

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


@dataclass(frozen=True)
class Pending:
    """`Rows` for `table` still being made by another thread (`future` gives them): `write` waits
    for them only when their turn comes, so making them overlaps writing the tables before them."""

    table: Table
    future: Future

    def rows(self) -> Rows:
        return self.future.result()


def _resolved(part: Rows | Pending) -> Rows:
    return part.rows() if isinstance(part, Pending) else part


@dataclass(frozen=True)
class WriteReport:
    """What a `write` did: rows written and the seconds each write transaction took.

    On SQLite a transaction's seconds are how long it held the database's write lock."""

    rows: int
    transactions: tuple[float, ...] = field(default=())

    @property
    def longest(self) -> float:
        return max(self.transactions, default=0.0)


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def render(engine: Engine, statement) -> str:
    """The statement as SQL text with its values inlined (ours: dates, ids, enum values).

    Inlined, not bound: with bound parameters the PostgreSQL driver cannot use COPY for a
    result and reads about 1.7 times slower (measured in the spike)."""
    return str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def read(engine: Engine, statement, *, binary: dict[str, int] | None = None) -> dict[str, np.ndarray]:
    """The columns of `statement`'s result, in the database's order; `binary` maps each BLOB column
    to its width in bytes. ValueError if a BLOB is NULL or of another width."""
    batches = _batches(engine, render(engine, statement))
    schema = next(batches)
    return _columns(pa.Table.from_batches(list(batches), schema=schema), binary or {})


def read_batches(engine: Engine, statement, *, binary: dict[str, int] | None = None,
                 ahead: int = READ_AHEAD_BATCHES) -> Iterator[dict[str, np.ndarray]]:
    """`read`'s columns batch by batch (about `READ_BATCH_ROWS` rows each, in the database's order,
    one snapshot), read ahead by a thread while the caller works on the batch it has.

    The database's side (the SQLite helper process, or PostgreSQL's server) keeps reading
    meanwhile: reading and what the caller does with each batch overlap on two cores."""
    binary = binary or {}
    batches = _batches(engine, render(engine, statement))
    next(batches)  # the schema: the statement ran
    for batch in _read_ahead(batches, ahead):
        yield _columns(pa.Table.from_batches([batch]), binary)


def _columns(table: pa.Table, binary: dict[str, int]) -> dict[str, np.ndarray]:
    out = {}
    for name in table.column_names:
        column = table.column(name)
        if name in binary:
            out[name] = _blob_matrix(column, binary[name])
        elif table.num_rows == 0:
            out[name] = np.zeros(0, dtype=np.int64)
        else:
            out[name] = _one_array(column).to_numpy().astype(np.int64, copy=False)
    return out


def write(engine: Engine, tables: list[Rows | Pending], *, finish=None, pause: bool = True) -> WriteReport:
    """Append every `Rows` (or `Pending`, once made) in order; `finish` (a SQLAlchemy statement,
    or a function returning one, called once every table has been handed to the database, so
    that what it says can be computed while they are written) runs in the last transaction.

    On SQLite the writer pauses after each transaction so that waiting requests get the lock;
    `pause=False` where nobody can be waiting (a database being seeded)."""
    def finishing() -> str | None:
        statement = finish() if callable(finish) else finish
        return render(engine, statement) if statement is not None else None

    if is_postgresql(engine):
        holds = (_write_postgresql(engine, tables, finishing),)
    else:
        holds = tuple(_sqlite_process().write(_sqlite_path(engine), tables, finishing, pause))
    return WriteReport(sum(len(_resolved(part)) for part in tables), holds)


def arrow_table(rows: Rows, start: int = 0, stop: int | None = None) -> pa.Table:
    """Rows [start, stop) as an Arrow table typed like the SQL table's columns.

    The types matter on PostgreSQL, whose COPY refuses an int64 for an INTEGER column."""
    arrays, names = [], []
    for name, values in rows.columns.items():
        values = values[start:stop]
        kind = _arrow_type(rows.table.c[name].type)
        if kind is None:
            if not isinstance(values, pa.Array):
                raise TypeError(f"{rows.table.name}.{name}: give text and instants as Arrow arrays")
            arrays.append(values)
        elif isinstance(values, pa.Array):
            arrays.append(values.cast(kind))
        elif values.ndim == 2:
            arrays.append(_blob_array(values))
        else:
            arrays.append(pa.array(values).cast(kind))
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


def instants(engine: Engine, microseconds: np.ndarray) -> pa.Array:
    """UTC instants (µs since the epoch) as a column for a `UTCDateTime` column of `engine`'s database.

    PostgreSQL takes `timestamptz` values; SQLite stores the naive UTC text SQLAlchemy writes
    and parses (`2026-11-22 08:30:00.000000`), so that is what it gets."""
    values = pa.array(np.asarray(microseconds, dtype=np.int64))
    if is_postgresql(engine):
        return values.cast(pa.timestamp("us", tz="UTC"))
    # Arrow's cast of a naive µs timestamp writes exactly that text, 17 times faster than strftime.
    return values.cast(pa.timestamp("us")).cast(pa.string())


def _arrow_type(kind) -> pa.DataType | None:
    """The Arrow type a column of SQL type `kind` is sent as; None: as given (text, JSON text, instants)."""
    if isinstance(kind, (String, JSON)) or isinstance(getattr(kind, "impl", kind), DateTime):
        return None
    if isinstance(kind, BigInteger):
        return pa.int64()
    if isinstance(kind, SmallInteger):
        return pa.int16()
    if isinstance(kind, Integer):
        return pa.int32()
    if isinstance(kind, LargeBinary):
        return pa.binary()
    raise TypeError(f"no Arrow type for the bulk column type {kind!r}")


def _blob_array(matrix: np.ndarray) -> pa.Array:
    """An (N, width) uint8 matrix as a binary array of N values (one copy, into Arrow's layout)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.uint8)
    width = matrix.shape[1]
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(matrix), [None, pa.py_buffer(matrix)])
    return fixed.cast(pa.binary())


def _blob_matrix(column: pa.ChunkedArray, width: int) -> np.ndarray:
    """A binary column whose values all have `width` bytes as an (N, width) uint8 array, no copy
    when it came in one chunk."""
    if len(column) == 0:
        return np.zeros((0, width), dtype=np.uint8)
    array = _one_array(column)
    if array.null_count:
        raise ValueError("a BLOB column holds NULL")
    if not (pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type)):
        raise ValueError(f"a BLOB column came back as {array.type}")
    _, offsets, data = array.buffers()
    kind = np.int64 if pa.types.is_large_binary(array.type) else np.int32
    offsets = np.frombuffer(offsets, kind, len(array) + 1, array.offset * np.dtype(kind).itemsize)
    if not (np.diff(offsets) == width).all():
        raise ValueError(f"a BLOB is not {width} bytes long")
    return np.frombuffer(data, np.uint8, len(array) * width, int(offsets[0])).reshape(-1, width)


def _one_array(column: pa.ChunkedArray) -> pa.Array:
    """The column as one array: its only chunk as it is (`combine_chunks` copies even that one,
    a fresh allocation per batch of the nightly read), else the chunks joined."""
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _postgresql_uri(engine: Engine, *, reading: bool = False) -> str:
    """libpq's URI of `engine`'s database; for a bulk read with JIT compilation off, which spent
    0.13-0.2 s compiling a plain scan of a million profiles (EXPLAIN ANALYZE) and saves nothing
    on it (unless the URL sets its own server options)."""
    url = engine.url.set(drivername="postgresql")
    if reading and "options" not in url.query:
        url = url.update_query_dict({"options": "-cjit=off"})  # libpq decodes no "+" for a space: none
    return url.render_as_string(hide_password=False)


def _batches(engine: Engine, sql: str) -> Iterator:
    """The result's schema, then its record batches as the database sends them."""
    if is_postgresql(engine):
        return _postgresql_batches(engine, sql)
    return _sqlite_process().batches(_sqlite_path(engine), sql)


def _postgresql_batches(engine: Engine, sql: str) -> Iterator:
    with adbc_postgresql.connect(_postgresql_uri(engine, reading=True)) as connection:
        with connection.cursor() as cursor:
            try:
                cursor.execute(sql)
                reader = cursor.fetch_record_batch()
                yield reader.schema
                yield from reader
            except adbc_postgresql.Error as error:
                raise BulkError(str(error).splitlines()[0]) from None
        connection.rollback()


def _read_ahead(batches: Iterator, depth: int) -> Iterator:
    """`batches`, pulled by a thread up to `depth` ahead of the consumer.

    If the consumer stops early (an exception, or it breaks off), the thread is told to stop,
    and closes `batches` itself (a generator is closed by the thread that runs it)."""
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def pull() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        queue.put((batch, None), timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    break
            else:
                queue.put((done, None))
        except BaseException as error:  # handed to the consumer, raised there
            queue.put((done, error))
        finally:
            batches.close()

    thread = threading.Thread(target=pull, name="columnar-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            batch, error = queue.get()
            if error is not None:
                raise error
            if batch is done:
                return
            yield batch
    finally:
        stop.set()
        while thread.is_alive():
            try:
                queue.get(timeout=0.1)
            except Empty:
                pass
        thread.join()


def _write_postgresql(engine: Engine, tables: list[Rows | Pending], finish: Callable[[], str | None]) -> float:
    start = time.perf_counter()
    with adbc_postgresql.connect(_postgresql_uri(engine)) as connection:
        with connection.cursor() as cursor:
            try:
                for part in tables:
                    rows = _resolved(part)
                    # A COPY per slice, in the one transaction: the Arrow copy of the rows made
                    # for it stays that size (a 10M-row run's entries were 800 MB at once).
                    for low in range(0, len(rows), POSTGRESQL_SLICE_ROWS):
                        cursor.adbc_ingest(rows.table.name, arrow_table(rows, low, low + POSTGRESQL_SLICE_ROWS),
                                           mode="append")
                statement = finish()
                if statement:
                    cursor.execute(statement)
                connection.commit()
            except adbc_postgresql.Error as error:
                connection.rollback()
                raise BulkError(str(error).splitlines()[0]) from None
    return time.perf_counter() - start


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise BulkError("bulk reads and writes need a SQLite database file")
    return path


class SqliteProcess:
    """This process's helper process for SQLite, started on first use and kept for the next.

    One request at a time (a lock); a helper that died or broke off a request is replaced.
    After a fork (gunicorn) the child starts its own: a pipe cannot be shared."""

    SCRIPT = Path(__file__).with_name("sqlite_arrow_process.py")

    def __init__(self, busy_timeout_ms: int = 10_000):
        self.busy_timeout_ms = busy_timeout_ms
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.pid = None

    def _started(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None or self.pid != os.getpid():
            self.close()
            self.process = subprocess.Popen([sys.executable, str(self.SCRIPT)], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE)
            self.pid = os.getpid()
        return self.process

    def close(self) -> None:
        """End the helper (closing its stdin ends its loop); at exit, and before a replacement."""
        process, self.process = self.process, None
        if process is None or self.pid != os.getpid():
            return
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _send(self, process, header: dict) -> None:
        body = json.dumps({"busy_timeout_ms": self.busy_timeout_ms, **header}).encode()
        process.stdin.write(LENGTH.pack(len(body)) + body)
        process.stdin.flush()

    def _receive(self, process) -> dict:
        prefix = process.stdout.read(LENGTH.size)
        if len(prefix) < LENGTH.size:
            raise BulkError(f"the SQLite helper process ended (exit status {process.wait()})")
        reply = json.loads(process.stdout.read(LENGTH.unpack(prefix)[0]))
        if not reply["ok"]:
            raise BulkError(reply["error"])
        return reply

    def batches(self, path: str, sql: str) -> Iterator:
        """The result's schema, then its batches as the helper streams them; the helper is
        replaced if it reports an error after the first batches or the caller stops early."""
        with self.lock:
            process = self._started()
            self._send(process, {"op": "read", "path": path, "sql": sql, "params": None,
                                 "batch_rows": READ_BATCH_ROWS})
            self._receive(process)  # the statement ran
            finished = False
            try:
                stream = ipc.open_stream(process.stdout)
                yield stream.schema
                yield from stream
                finished = True
                self._receive(process)  # the trailer: every row was read
            finally:
                if not finished:
                    self.close()

    def write(self, path: str, tables: list[Rows | Pending], finish: Callable[[], str | None],
              pause: bool = True) -> list[float]:
        with self.lock:
            process = self._started()
            self._send(process, {"op": "write", "path": path, "pause": pause,
                                 "tables": [part.table.name for part in tables]})
            try:
                for part in tables:
                    rows = _resolved(part)
                    schema = arrow_table(rows, 0, 0).schema
                    with ipc.new_stream(process.stdin, schema) as stream:
                        for start in range(0, len(rows), rows.chunk_rows):
                            stream.write_table(arrow_table(rows, start, start + rows.chunk_rows))
                self._send(process, {"finish": finish()})  # the trailer
            except (BrokenPipeError, OSError):
                pass  # the helper stopped reading: its answer says why
            except BaseException:
                # Rows or a finish that could not be made (a `Pending` or `finish` that failed):
                # the helper is half-way through the request; ended, it commits nothing more.
                self.close()
                raise
            try:
                return self._receive(process)["holds"]
            except BulkError:
                self.close()  # it may have stopped half-way through the request's stream
                raise


_sqlite: SqliteProcess | None = None


def _sqlite_process() -> SqliteProcess:
    global _sqlite
    if _sqlite is None:
        _sqlite = SqliteProcess()
        atexit.register(_sqlite.close)
    return _sqlite
