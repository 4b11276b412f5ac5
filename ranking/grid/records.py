"""A profile as one fixed-width binary record, laid out from the grid's input contract.

The service stores each profile twice: the candidate's document (what they wrote) and the
engine's record (what it scores). The record's layout is not written anywhere: it is derived
here from the grid's encoded columns, one field per column, in declaration order:

- a plain column is a scalar field, an (N, M) list column a subarray field of shape (M,);
- each field has the narrowest signed integer type that holds its code range (`Scalar.dtype`,
  the very dtype `Grid.encode` gives the column), stored little-endian;
- fields are packed (no padding), so the `eu` grid's record is 62 bytes.

So `records[name]` *is* the engine's column `name`, as a strided view with no copy, and a grid
file that allows 8 languages instead of 6 simply has a wider `languages.*` subarray: no table
column, no migration, no Python changes. Every record is tagged with `contract_version`, a hash
of the input contract (and so of the layout), because a record means nothing under any other.

Decoding is the exact inverse of encoding for a valid profile: `decode(encode_records([p])[0])
== p`. Lists fill from the left, so a list's length is the number of leading slots whose
*presence* field (its first field whose absent code is not also a valid value) is not absent.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from ranking.grid.inputs import Column, Constraint, Encoder, ListOf, Obj, Scalar


def record_dtype(columns: dict[str, Column]) -> np.dtype:
    """The packed structured dtype with one little-endian integer field per encoded column.

    >>> from ranking.grid.inputs import Column, Scalar
    >>> record_dtype({"age": Column("age", Scalar("int", 0, 120)),
    ...               "langs": Column("langs", Scalar("enum", labels=("en", "fr")), 3)}).descr
    [('age', '|i1'), ('langs', '|i1', (3,))]
    """
    return np.dtype([(name, column.scalar.dtype.newbyteorder("<"), column.shape_suffix)
                     for name, column in columns.items()])


def contract_version(name: str, root: Obj, constraints: list[Constraint]) -> str:
    """`<grid name>:<16 hex digits>`: a hash of the input contract, hence of the record's layout and codes.

    Points, tiers and overlays are not part of it: changing them re-scores the same records; a
    change of any input (a field, an enum's labels, a range, a list limit) changes the version.
    """
    contract = {"inputs": _describe(root), "constraints": [[c.rule, list(c.fields)] for c in constraints]}
    digest = hashlib.sha256(json.dumps(contract, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"{name}:{digest[:16]}"


def _describe(node) -> Any:
    if isinstance(node, Scalar):
        return {"kind": node.kind, "min": node.minimum, "max": node.maximum, "labels": list(node.labels),
                "first_code": node.first_code, "digits": node.digits}
    if isinstance(node, Obj):
        described = {"fields": [[name, _describe(child)] for name, child in node.fields.items()],
                     "nullable": node.nullable}
        if node.defaults:  # only when there are some, so grids without defaults keep their versions
            described["defaults"] = node.defaults
        return described
    return {"items": _describe(node.items), "max_items": node.max_items, "min_items": node.min_items,
            "unique": node.unique}


@dataclass(frozen=True)
class RecordLayout:
    """A grid's record: its dtype, its version tag, and the input tree that encodes and decodes it."""

    dtype: np.dtype
    version: str
    encoder: Encoder

    @classmethod
    def of(cls, name: str, encoder: Encoder) -> "RecordLayout":
        return cls(record_dtype(encoder.columns), contract_version(name, encoder.root, encoder.constraints), encoder)

    def encode(self, profiles: list[dict], as_of: dt.date) -> np.ndarray:
        """(N,) records of `self.dtype`, written by the grid's encoder straight into the record fields."""
        records = np.empty(0 if isinstance(profiles, dict) else len(profiles), dtype=self.dtype)
        views = self.columns(records)
        for name, column in self.encoder.columns.items():
            views[name][...] = column.scalar.absent
        self.encoder.encode_into(views, profiles, as_of)
        return records

    def columns(self, records: np.ndarray) -> dict[str, np.ndarray]:
        """The engine's columns as views into `records`: (N,) or (N, M) arrays, no copy."""
        if records.dtype != self.dtype:
            raise ValueError(f"records of dtype {records.dtype} are not this grid's records ({self.version})")
        return {name: records[name] for name in self.dtype.names}

    def from_bytes(self, buffer: bytes | bytearray | memoryview) -> np.ndarray:
        """(N,) records over the concatenated bytes of N records (read-only when `buffer` is bytes)."""
        if len(buffer) % self.dtype.itemsize:
            raise ValueError(f"{len(buffer)} bytes are not whole records of {self.dtype.itemsize} bytes")
        return np.frombuffer(buffer, dtype=self.dtype)

    def decode(self, record: np.void | np.ndarray | bytes) -> dict:
        """The profile document one record encodes (the inverse of `encode` for a valid profile)."""
        if isinstance(record, (bytes, bytearray, memoryview)):
            record = self.from_bytes(record)
        if isinstance(record, np.ndarray):
            if record.shape not in ((), (1,)):
                raise ValueError(f"decode takes one record, not an array of shape {record.shape}")
            record = record.reshape(())[()]
        if record.dtype != self.dtype:
            raise ValueError(f"a record of dtype {record.dtype} is not this grid's record ({self.version})")
        values = {name: record[name].tolist() for name in self.dtype.names}
        return _object(self.encoder.root, values, "")


def _object(node: Obj, values: dict[str, Any], prefix: str) -> dict:
    out = {}
    for name, child in node.fields.items():
        path = prefix + name
        if isinstance(child, Scalar):
            out[name] = decoded_value(child, values[path])
        elif isinstance(child, Obj):
            present = not child.nullable or values[path]
            out[name] = _object(child, values, path + ".") if present else None
        else:
            out[name] = _list(child, values, path)
    return out


def _list(node: ListOf, values: dict[str, Any], path: str) -> list:
    fields = {"": node.items} if isinstance(node.items, Scalar) else node.items.fields
    key = next((name for name, scalar in fields.items() if absent_is_distinct(scalar)), None)
    if key is None:
        raise ValueError(f"{path}: no field of its items has an absent code distinct from its values, "
                         "so a record cannot say how many items the list has")
    columns = {name: f"{path}.{name}" if name else path for name in fields}
    count = _length(values[columns[key]], fields[key])
    if isinstance(node.items, Scalar):
        return [decoded_value(node.items, code) for code in values[path][:count]]
    return [{name: decoded_value(scalar, values[columns[name]][slot]) for name, scalar in fields.items()}
            for slot in range(count)]


def absent_is_distinct(scalar: Scalar) -> bool:
    """Whether the absent code can never be a valid value's code."""
    if scalar.kind == "int":
        return scalar.minimum > scalar.absent
    return scalar.kind != "bool"


def _length(codes: list[int], scalar: Scalar) -> int:
    count = 0
    while count < len(codes) and codes[count] != scalar.absent:
        count += 1
    return count


def decoded_value(scalar: Scalar, code: int) -> Any:
    """The document value of one valid code of `scalar`."""
    if scalar.kind == "int":
        return int(code)
    if scalar.kind == "bool":
        return bool(code)
    if scalar.kind == "enum":
        return scalar.labels[code - scalar.first_code]
    if scalar.kind == "date":
        return f"{code // 10000:04d}-{code // 100 % 100:02d}-{code % 100:02d}"
    return f"{code:0{scalar.digits}d}"
