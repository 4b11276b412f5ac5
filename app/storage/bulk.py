"""Whole-table reads into numpy and bulk writes from numpy, without a Python object per row.

The nightly re-rank moves a million rows each way, which the ORM (or even SQLAlchemy's row
objects) cannot do in the time we have. SQLite streams tuples straight from its cursor into
`np.fromiter`; PostgreSQL speaks its binary COPY format, whose fixed-width records numpy reads
and writes as a structured array in one step. Every value moved this way is an integer.
"""
from __future__ import annotations

import itertools
import struct

import numpy as np
from sqlalchemy import BigInteger, Connection, Select, cast

PG_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
PG_HEADER = PG_SIGNATURE + struct.pack(">ii", 0, 0)
PG_TRAILER = struct.pack(">h", -1)
# The binary width of each integer column type as PostgreSQL sends and receives it.
PG_WIDTHS = {"smallint": 2, "integer": 4, "bigint": 8}


def is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def as_bigints(connection: Connection, *columns):
    """Select expressions as `fetch_matrix` reads them: BIGINT on PostgreSQL (SQLite needs no cast,
    and a CAST per value costs it measurable time)."""
    if not is_postgresql(connection):
        return list(columns)
    return [cast(column, BigInteger) for column in columns]


def fetch_matrix(connection: Connection, statement: Select, width: int) -> np.ndarray:
    """The rows of `statement` (all columns integers, selected through `as_bigints`) as (N, width) int64."""
    if is_postgresql(connection):
        return _copy_out(connection, statement, width)
    cursor = connection.execute(statement).cursor
    flat = np.fromiter(itertools.chain.from_iterable(cursor), dtype=np.int64)
    return flat.reshape(-1, width)


def by_first_column(matrix: np.ndarray) -> np.ndarray:
    """The rows sorted by their first column (an id): cheaper in numpy than ORDER BY in the database."""
    order = np.argsort(matrix[:, 0], kind="stable")
    return matrix[order]


def _copy_out(connection: Connection, statement: Select, width: int) -> np.ndarray:
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY ({compiled.string}) TO STDOUT (FORMAT BINARY)", compiled.params) as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    extension = struct.unpack_from(">i", data, len(PG_SIGNATURE) + 4)[0]
    body = memoryview(data)[len(PG_HEADER) + extension: len(data) - len(PG_TRAILER)]
    record = np.dtype([("fields", ">i2")] + [(f"c{i}", [("size", ">i4"), ("value", ">i8")]) for i in range(width)])
    rows = np.frombuffer(body, dtype=record)
    matrix = np.empty((rows.size, width), dtype=np.int64)
    for i in range(width):
        if rows.size and (rows[f"c{i}"]["size"] != 8).any():
            raise ValueError(f"column {i} of the COPY is not a non-null BIGINT")
        matrix[:, i] = rows[f"c{i}"]["value"]
    return matrix


def insert_matrix(connection: Connection, table: str, columns: dict[str, str], matrix: np.ndarray) -> None:
    """Insert the rows of `matrix` into `table`; `columns` maps each column name to its SQL integer type."""
    if not len(matrix):
        return
    names = list(columns)
    if is_postgresql(connection):
        record = np.dtype([("fields", ">i2")] + [
            (name, [("size", ">i4"), ("value", f">i{PG_WIDTHS[kind]}")]) for name, kind in columns.items()])
        rows = np.empty(len(matrix), dtype=record)
        rows["fields"] = len(names)
        for i, (name, kind) in enumerate(columns.items()):
            rows[name]["size"] = PG_WIDTHS[kind]
            rows[name]["value"] = matrix[:, i]
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(PG_HEADER + rows.tobytes() + PG_TRAILER)
        return
    cursor = connection.connection.driver_connection.cursor()
    placeholders = ", ".join("?" * len(names))
    cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", matrix.tolist())
