"""The documents of many records at once, as JSON text built column by column with Arrow.

A synthetic pool is drawn as the engine's records (whole-array draws), but every profile also
needs its document, the JSON the candidate would have written. Decoding a million records one
by one in Python (`grid.decode`) took about 150 s. Here the grid's input tree is walked once
and flattened into parts, each a record field rendered through a small lookup table of its
JSON texts (the literal keys and brackets around it folded into the table), so a document is
one element-wise concatenation of those parts; no Python object is made per candidate.

Absent things (an unused list slot, a null object) are masked: their parts are null and join
as empty text. What comes out parses to exactly `grid.decode(record)` and re-encodes to the
same record (tests check both). Only valid records are expected, as the synthetic pool draws.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ranking.grid.inputs import ListOf, Obj, Scalar
from ranking.grid.records import absent_is_distinct, decoded_value

from app.hiring.verified_offers import candidate_inputs

# A field whose codes span at most this many values is rendered through a lookup table.
TABLE_CODES = 1 << 16


@dataclass
class _Part:
    """One field's JSON text per row, with the literal text before and after it; None mask: every row."""

    scalar: Scalar | None  # None: a constant (`prefix` alone), such as a null object's "null"
    codes: np.ndarray | None
    mask: np.ndarray | None
    prefix: str = ""
    suffix: str = ""


def documents(grid, records: np.ndarray) -> pa.StringArray:
    """(N,) JSON texts, one document per record of `grid.record_dtype`, in the records' order."""
    if records.dtype != grid.record_dtype:
        raise ValueError(f"records of dtype {records.dtype} are not {grid.record_version} records")
    flat = _Flattener(lambda path: records[path])
    flat.object(candidate_inputs(grid.inputs), "", None)  # the document is the candidate's words
    flat.close()
    rendered = [_render(part, len(records)) for part in flat.parts]
    return pc.binary_join_element_wise(*rendered, "", null_handling="replace", null_replacement="")


class _Flattener:
    """Walks the input tree into `parts`, folding each literal into the nearest field of its context."""

    def __init__(self, column):
        self.column = column
        self.parts: list[_Part] = []
        self.pending = ""  # literal text waiting for the next field of the current context
        self.context = None  # the mask of the current context (an id for comparison)

    def literal(self, text: str) -> None:
        self.pending += text

    def field(self, scalar: Scalar | None, codes, mask) -> None:
        self.parts.append(_Part(scalar, codes, mask, self.pending))
        self.pending = ""

    def enter(self, mask) -> None:
        """Start a masked context (a list slot, a present object): its literals go with its fields."""
        self._flush()
        self.context = mask

    def leave(self, outer) -> None:
        if self.pending:  # the closing brackets: after the context's last field
            self.parts[-1].suffix += self.pending
            self.pending = ""
        self.context = outer

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.field(None, None, self.context)

    def object(self, node: Obj, prefix: str, mask, slot: int | None = None) -> None:
        self.literal("{")
        for index, (name, child) in enumerate(node.fields.items()):
            self.literal(("," if index else "") + json.dumps(name) + ":")
            path = prefix + name
            if isinstance(child, Scalar):
                codes = self.column(path)
                self.field(child, codes if slot is None else codes[:, slot], mask)
            elif isinstance(child, ListOf):
                self.list(child, path, mask)
            elif not child.nullable:
                self.object(child, path + ".", mask)
            else:
                present = self.column(path) != 0
                inside = present if mask is None else present & mask
                outer = self.context
                self.enter(inside)
                self.object(child, path + ".", inside)
                self.leave(outer)
                self.field(None, None, ~present if mask is None else ~present & mask)
                self.parts[-1].prefix = "null"
        self.literal("}")

    def list(self, node: ListOf, path: str, mask) -> None:
        fields = {"": node.items} if isinstance(node.items, Scalar) else node.items.fields
        key = next(name for name, scalar in fields.items() if absent_is_distinct(scalar))
        presence = self.column(f"{path}.{key}" if key else path)
        self.literal("[")
        outer = self.context
        for slot in range(node.max_items):
            present = presence[:, slot] != fields[key].absent
            if mask is not None:
                present &= mask
            self.enter(present)
            self.literal("," if slot else "")
            if isinstance(node.items, Scalar):
                self.field(node.items, self.column(path)[:, slot], present)
            else:
                self.object(node.items, path + ".", present, slot)
            self.leave(outer)
        self.literal("]")


def _render(part: _Part, n: int) -> pa.Array:
    """The part's text per row (null where masked out)."""
    nulls = None if part.mask is None else ~np.ascontiguousarray(part.mask)
    if part.scalar is None:
        table, indices = pa.array([part.prefix + part.suffix], pa.string()), np.zeros(n, dtype=np.int32)
        return table.take(pa.array(indices, mask=nulls))
    low, high = part.scalar.code_range
    codes = np.ascontiguousarray(part.codes).astype(np.int64)
    if part.scalar.kind == "date" or high - low >= TABLE_CODES:
        text = _dates(codes) if part.scalar.kind == "date" else pc.cast(pa.array(codes), pa.string())
        joined = pc.binary_join_element_wise(part.prefix, text, part.suffix, "")
        return joined if nulls is None else pc.if_else(pa.array(~nulls), joined, pa.scalar(None, pa.string()))
    indices = np.clip(codes - low, 0, high - low).astype(np.int32)
    return _texts(part.scalar, part.prefix, part.suffix).take(pa.array(indices, mask=nulls))


@functools.lru_cache(maxsize=1024)
def _texts(scalar: Scalar, prefix: str, suffix: str) -> pa.StringArray:
    """The JSON text of every code of `scalar` between `prefix` and `suffix`, by code - low: made
    once per field, not once per chunk of a big pool (a fifth of a chunk's time otherwise)."""
    low, high = scalar.code_range
    return pa.array([prefix + json.dumps(_value(scalar, code)) + suffix for code in range(low, high + 1)], pa.string())


def _value(scalar: Scalar, code: int):
    """The code's document value; None for a code no value has (an absent code: masked anyway)."""
    try:
        return decoded_value(scalar, code)
    except IndexError:
        return None


def _dates(codes: np.ndarray) -> pa.Array:
    """YYYYMMDD codes as quoted ISO dates."""
    year, month, day = codes // 10000, codes // 100 % 100, codes % 100
    text = [pc.utf8_lpad(pc.cast(pa.array(part), pa.string()), width, "0")
            for part, width in ((year, 4), (month, 2), (day, 2))]
    return pc.binary_join_element_wise('"', text[0], "-", text[1], "-", text[2], '"', "")
