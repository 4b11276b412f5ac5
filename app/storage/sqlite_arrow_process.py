"""The process that moves Arrow data in and out of a SQLite file, through ADBC, for its parent.

Why a separate process: the ADBC SQLite driver carries its own copy of the SQLite library, and
SQLAlchemy's `sqlite3` module uses the system's. SQLite's file locks are POSIX locks, which the
kernel keeps per process; each library copy tracks them on its own, so two copies in one process
release each other's locks when they close a file (https://www.sqlite.org/howtocorrupt.html,
section 2.2.1). Measured here: after an ADBC connection in the same process closed, a pooled
`sqlite3` connection read stale data and a new one failed with "disk I/O error". So this script
opens the database only through ADBC and never imports the application (nor `sqlite3`); the
parent (`app.storage.columnar`) talks to it over a pipe. PostgreSQL needs none of this: its
driver talks to the server over a socket.

Protocol, on stdin/stdout: each message is a 4-byte little-endian length and a JSON header; a
read's answer is followed by one Arrow IPC stream and a trailer (the same kind of header), a
write's request by one IPC stream per table and a trailer with its finishing statement.
One request at a time; the process stays up for the next one until stdin closes.
"""
from __future__ import annotations

import json
import os
import struct
import sys
import time

import adbc_driver_sqlite.dbapi as adbc_sqlite
import pyarrow as pa
import pyarrow.ipc as ipc

LENGTH = struct.Struct("<I")
# The pause after each chunk's commit, before the next BEGIN IMMEDIATE. Without it the writer took
# the lock again at once, and a web request waiting for it (SQLite's busy handler polls, every
# 100 ms at most) could keep finding it taken until its busy timeout ran out: "database is
# locked" beside a big re-rank under load (tests/e2e/test_writes_during_rerank.py caught it).
# Idle for a seventh of the time, a waiter's chance to miss every poll in 10 s is negligible.
GAP_SECONDS, GAP_SHARE = 0.01, 0.15


def receive(stream) -> dict | None:
    prefix = stream.read(LENGTH.size)
    if len(prefix) < LENGTH.size:
        return None
    return json.loads(stream.read(LENGTH.unpack(prefix)[0]))


def send(stream, header: dict) -> None:
    body = json.dumps(header).encode()
    stream.write(LENGTH.pack(len(body)) + body)
    stream.flush()


def connect(request: dict):
    """An autocommit connection: every transaction below is begun and ended explicitly."""
    connection = adbc_sqlite.connect(request["path"], autocommit=True)
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(request['busy_timeout_ms'])}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    return connection, cursor


def read(request: dict, out) -> None:
    """Run one SELECT in one read transaction and stream its batches to the parent as they come.

    The answer is a header once the statement runs, the IPC stream, then a trailer saying whether
    the whole result was read: an error half-way still reaches the parent as one, and the parent
    can work on the first batches (the re-rank scores them) while SQLite reads the next."""
    connection, cursor = connect(request)
    error = None
    try:
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(request["batch_rows"])})
        cursor.execute("BEGIN")
        cursor.execute(request["sql"], request["params"] or None)
        reader = cursor.fetch_record_batch()
        send(out, {"ok": True})
        with ipc.new_stream(out, reader.schema) as writer:
            try:
                for batch in reader:
                    writer.write_batch(batch)
            except (adbc_sqlite.Error, pa.ArrowException) as failure:
                error = _message(failure)
        out.flush()
        cursor.execute("COMMIT")
    finally:
        cursor.close()
        connection.close()
    send(out, {"ok": error is None, "error": error})


def write(request: dict, source) -> dict:
    """Append each table's batches, one `BEGIN IMMEDIATE ... COMMIT` per batch (that batch's lock).

    After the tables' streams comes a trailer naming `finish` (SQL, or null), which runs inside
    the very last batch's transaction, so what it marks (a run complete) becomes visible together
    with the last rows; it comes last so that the parent can compute it while the rows are
    written. Without a trailer (the parent gave up) the held-back batch is not written either.
    Returns the seconds each transaction held the write lock: the longest is what web requests
    may have waited.
    """
    connection, cursor = connect(request)
    holds = []
    try:
        pending = []
        for table, stream in zip(request["tables"], _opened(request["tables"], source)):
            for batch in stream:
                if batch.num_rows:
                    pending.append((table, batch))
                if len(pending) == 2:  # hold one back: the last one carries `finish`
                    holds.append(_transaction(cursor, *pending.pop(0), None))
                    if request.get("pause", True):
                        time.sleep(max(GAP_SECONDS, GAP_SHARE * holds[-1]))
        trailer = receive(source)
        if trailer is None:
            return {"ok": False, "error": "the write ended before its finish"}
        finish = trailer.get("finish")
        if pending:
            holds.append(_transaction(cursor, *pending.pop(0), finish))
        elif finish:
            holds.append(_transaction(cursor, None, None, finish))
    finally:
        cursor.close()
        connection.close()
    return {"ok": True, "holds": holds}


def _opened(tables, source):
    for _ in tables:
        yield ipc.open_stream(source)


def _transaction(cursor, table: str | None, batch, finish: str | None) -> float:
    cursor.execute("BEGIN IMMEDIATE")  # may wait (busy timeout) for a web request's transaction
    start = time.perf_counter()  # from here on this process holds the write lock
    try:
        if batch is not None:
            cursor.adbc_ingest(table, batch, mode="append")
        if finish:
            cursor.execute(finish)
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
    return time.perf_counter() - start


def main() -> None:
    try:
        serve(sys.stdin.buffer, sys.stdout.buffer)
    except BrokenPipeError:
        # The parent ended this process half-way through a request (a reader that stopped early,
        # rows it could not make): nothing to say, and nobody to say it to. stdout goes to
        # /dev/null so that the exit's flush does not fail again (Python's documented way).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def serve(source, out) -> None:
    while (request := receive(source)) is not None:
        try:
            if request["op"] == "read":
                read(request, out)
            else:
                send(out, write(request, source))
        except (adbc_sqlite.Error, pa.ArrowException) as error:
            send(out, {"ok": False, "error": _message(error)})  # a read's header, or its trailer
            if request["op"] != "read":
                return  # the rest of the request's stream is unread: the parent starts a new process


def _message(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


if __name__ == "__main__":
    main()
