"""One holder at a time across processes, for work that spans several transactions.

The SQLite re-rank writes a run in many short transactions, so the database alone cannot tell a
run being written by a live process from one a crashed process left half-written. This lock can:
the operating system (an `flock` on a file beside the SQLite database) or PostgreSQL (a
session-level advisory lock) releases it when its holder dies, even by `kill -9`. Whoever takes
it may therefore clear any incomplete run it finds: nobody else is writing one.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, func, select


@contextmanager
def held(engine: Engine, name: str) -> Iterator[bool]:
    """Try to take the lock `name` without waiting; yields whether it was taken (and holds it)."""
    if engine.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with engine.connect() as connection:
            taken = connection.execute(select(func.pg_try_advisory_lock(key))).scalar_one()
            connection.commit()
            try:
                yield bool(taken)
            finally:
                if taken:
                    connection.execute(select(func.pg_advisory_unlock(key)))
                    connection.commit()
        return
    descriptor = os.open(f"{engine.url.database}.{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)
