"""Reading many small integer columns as a few packed 64-bit integers.

On SQLite the cost of a bulk read is one Python int per value, not the values' size: the pool's
55 small columns would mean 55 million objects at a million candidates. So the SELECT itself
packs them, seven bytes to a BIGINT (`(column + 1) << shift`, added up; kept below 2**56 so
no database ever overflows a signed 64-bit integer), and numpy unpacks the bytes again.
PostgreSQL gets the same query, and its COPY moves fewer, larger fields too.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import BigInteger, cast, literal_column

BYTES_PER_WORD = 7
WIDTHS = {"int8": 1, "int16": 2, "int32": 4}


@dataclass(frozen=True)
class Field:
    name: str
    dtype: str
    word: int
    shift: int  # in bytes


def layout(columns: list[tuple[str, str]]) -> list[Field]:
    """Place each (name, dtype) column in a word, in order, never splitting a column."""
    fields, word, used = [], 0, 0
    for name, dtype in columns:
        width = WIDTHS[dtype]
        if used + width > BYTES_PER_WORD:
            word, used = word + 1, 0
        fields.append(Field(name, dtype, word, used))
        used += width
    return fields


def expressions(table, fields: list[Field], *, widen: bool) -> list:
    """One packed select expression per word (values shifted by +1 so -1 packs as 0).

    `widen` casts each column to BIGINT first, which PostgreSQL needs (SMALLINT arithmetic would
    overflow) and SQLite does not (its integers are all 64-bit; the cast only costs time).
    """
    words: dict[int, object] = {}
    for field in fields:
        column = cast(table.c[field.name], BigInteger) if widen else table.c[field.name]
        term = (column + 1).op("<<")(literal_column(str(8 * field.shift)))
        words[field.word] = term if field.word not in words else words[field.word] + term
    return [words[i] for i in range(len(words))]


def unpack(words: np.ndarray, fields: list[Field]) -> dict[str, np.ndarray]:
    """The columns back from an (N, words) int64 matrix."""
    raw = np.ascontiguousarray(words, dtype="<i8").view(np.uint8).reshape(len(words), words.shape[1], 8)
    out = {}
    for field in fields:
        width = WIDTHS[field.dtype]
        value = np.zeros(len(words), dtype=np.int64)
        for byte in range(width):
            value |= raw[:, field.word, field.shift + byte].astype(np.int64) << (8 * byte)
        out[field.name] = (value - 1).astype(field.dtype)
    return out
