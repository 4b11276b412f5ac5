"""A grid's input contract: the profile fields it accepts, and their encoding as columns.

A grid file declares its inputs (`[inputs]`, with reusable `[types]`); this module turns that
declaration into a validator and encoder. Profiles arrive as JSON-like dicts and leave as a
dict of small-integer numpy columns, the form the service stores in its tables and the
engine scores without ever touching a dict again.

Encoding rules, shared with everything that builds columns without going through `encode`:
- int: the value itself; bool: 0/1; enum: the label's index plus the type's `first_code`;
  date: the integer YYYYMMDD (so whole years between two dates are a subtraction and a
  floor division); code: a string of digits read as an integer.
- an object's fields are columns named `object.field`; a nullable object adds a 0/1 column
  named after the object itself.
- a list of at most M items becomes columns of shape (N, M) named `list.field` (or `list`
  for a list of scalars), filled from the left.
- a value that is absent (an empty list slot, a field of a null object) is stored as the
  type's `absent` code: one below the first valid code for enums, -1 for codes, 0 otherwise.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

import numpy as np

from ranking.errors import GridError, ProfileError

SCALAR_KINDS = ("int", "bool", "enum", "date", "code")
# The scoring date a default is checked against when the grid loads (a date default may be any past day).
LATEST_DAY = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Scalar:
    """One leaf value of a profile, and how it is checked and coded."""

    kind: str
    minimum: int = 0
    maximum: int = 0
    labels: tuple[str, ...] = ()
    first_code: int = 0
    digits: int = 0

    @property
    def absent(self) -> int:
        """The code stored where the value is missing."""
        if self.kind == "enum":
            return self.first_code - 1
        if self.kind == "code":
            return -1
        return 0

    @property
    def code_range(self) -> tuple[int, int]:
        """Smallest and largest code a column of this type can hold, the absent code included."""
        if self.kind == "enum":
            return self.absent, self.first_code + len(self.labels) - 1
        if self.kind == "bool":
            return 0, 1
        if self.kind == "code":
            return -1, 10**self.digits - 1
        if self.kind == "date":
            return 0, 99991231
        return min(self.minimum, 0), self.maximum

    @cached_property
    def dtype(self) -> np.dtype:
        """The narrowest signed integer type holding every code."""
        low, high = self.code_range
        for candidate in (np.int8, np.int16, np.int32):
            info = np.iinfo(candidate)
            if info.min <= low and high <= info.max:
                return np.dtype(candidate)
        return np.dtype(np.int64)

    def describe(self) -> str:
        """The allowed values, in words, for error messages."""
        if self.kind == "enum":
            return "one of " + ", ".join(self.labels)
        if self.kind == "int":
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "date":
            return "a date written YYYY-MM-DD"
        return f"a string of {self.digits} digits"

    def code(self, value: Any, as_of: int) -> int:
        """Validate one value and return its code; raise ValueError with the reason."""
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"must be {self.describe()}")
            if not self.minimum <= value <= self.maximum:
                raise ValueError(f"{value} is out of range: must be {self.describe()}")
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return int(value)
        if self.kind == "enum":
            if not isinstance(value, str) or value not in self.labels:
                raise ValueError(f"{value!r} is not allowed: must be {self.describe()}")
            return self.labels.index(value) + self.first_code
        if self.kind == "date":
            return _date_code(value, as_of)
        if not (isinstance(value, str) and len(value) == self.digits and value.isascii() and value.isdigit()):
            raise ValueError(f"{value!r} is not allowed: must be {self.describe()}")
        return int(value)


def _date_code(value: Any, as_of: int) -> int:
    if not isinstance(value, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD") from None
    if len(value) != 10:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    code = day.year * 10000 + day.month * 100 + day.day
    if day.year < 1900 or code > as_of:
        raise ValueError(f"{value} is out of range: must be after 1900 and not in the future")
    return code


@dataclass(frozen=True)
class Obj:
    """A nested object: named fields, possibly null as a whole.

    `defaults` holds the value a field takes when a document lacks it (the field's `default`
    key in the grid file): how a grid adds an input without refusing every document stored
    before it. A field without a default is required."""

    fields: dict[str, "Node"]
    nullable: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListOf:
    """A list of scalars or objects with a fixed most number of items."""

    items: "Node"
    max_items: int
    min_items: int = 0
    unique: str | bool | None = None


Node = Scalar | Obj | ListOf


@dataclass(frozen=True)
class Column:
    """One encoded column: its name, the type of its values, and whether it is (N, slots)."""

    name: str
    scalar: Scalar
    slots: int = 0  # 0 for a plain (N,) column

    @property
    def shape_suffix(self) -> tuple[int, ...]:
        return (self.slots,) if self.slots else ()


@dataclass(frozen=True)
class Constraint:
    """A rule across fields that types alone cannot say (e.g. two languages must differ)."""

    rule: str
    fields: tuple[str, ...]
    message: str


# -- reading the declaration ------------------------------------------------------------------

def parse_inputs(doc: dict, source: str) -> tuple[Obj, list[Constraint]]:
    """Build the input tree from a grid document's `[types]`, `[inputs]` and `[[constraints]]`."""
    types = doc.get("types", {})
    if not isinstance(types, dict):
        raise GridError(source, "types", "must be a table of named types")
    inputs = doc.get("inputs")
    if not isinstance(inputs, dict) or not inputs:
        raise GridError(source, "inputs", "the grid declares no inputs")
    resolver = _TypeResolver(types, source)
    root = resolver.fields(inputs, "inputs")
    constraints = [_constraint(c, i, source) for i, c in enumerate(doc.get("constraints", []))]
    return root, constraints


def _constraint(spec: Any, index: int, source: str) -> Constraint:
    where = f"constraints[{index}]"
    if not isinstance(spec, dict) or set(spec) - {"rule", "fields", "message"}:
        raise GridError(source, where, "a constraint has exactly: rule, fields, message")
    if spec.get("rule") != "different" or len(spec.get("fields", ())) != 2:
        raise GridError(source, where, "the only rule is 'different', over two fields")
    return Constraint("different", tuple(spec["fields"]), str(spec.get("message", "must differ")))


class _TypeResolver:
    """Resolves type references (builtin names, named `[types]`, inline tables) to nodes."""

    KEYS = {
        "int": {"min", "max"},
        "bool": set(),
        "enum": {"values", "first_code"},
        "date": set(),
        "code": {"digits"},
        "object": {"fields", "nullable"},
        "list": {"items", "max_items", "min_items", "unique"},
    }

    def __init__(self, types: dict, source: str):
        self.types = types
        self.source = source
        self.resolving: set[str] = set()

    def fail(self, where: str, problem: str) -> GridError:
        return GridError(self.source, where, problem)

    def fields(self, specs: dict, where: str, nullable: bool = False) -> Obj:
        """An object of these field specs; a spec's `default` (any type) becomes the field's default,
        checked here as a document's value would be, so a bad default fails when the grid loads."""
        fields, defaults = {}, {}
        for name, spec in specs.items():
            place = f"{where}.{name}"
            if isinstance(spec, dict) and "default" in spec:
                spec = dict(spec)
                defaults[name] = spec.pop("default")
            fields[name] = self.node(spec, place)
            if isinstance(fields[name], Obj) and fields[name].nullable and defaults.get(name) == "null":
                defaults[name] = None  # TOML has no null: a nullable object's default is written "null"
            if name in defaults:
                try:
                    Encoder(Obj({name: fields[name]})).encode([{name: defaults[name]}], as_of=LATEST_DAY)
                except ProfileError as error:
                    raise self.fail(f"{place}.default", error.message) from None
        return Obj(fields, nullable, defaults)

    def node(self, spec: Any, where: str) -> Node:
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, dict) or "type" not in spec:
            raise self.fail(where, "a type is a name or a table with a 'type' key")
        kind = spec["type"]
        extra = {k: v for k, v in spec.items() if k != "type"}
        if kind in self.types:
            if kind in self.resolving:
                raise self.fail(where, f"type {kind!r} refers to itself")
            base = self.types[kind]
            base = {"type": base} if isinstance(base, str) else dict(base)
            self.resolving.add(kind)
            try:
                return self.node({**base, **extra}, where)
            finally:
                self.resolving.discard(kind)
        if kind not in self.KEYS:
            raise self.fail(where, f"unknown type {kind!r}")
        unknown = set(extra) - self.KEYS[kind]
        if unknown:
            raise self.fail(where, f"unknown key {sorted(unknown)[0]!r} for a {kind}")
        return getattr(self, f"_{kind}")(extra, where)

    def _int(self, spec: dict, where: str) -> Scalar:
        low, high = spec.get("min"), spec.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or low > high:
            raise self.fail(where, "an int needs whole-number 'min' <= 'max'")
        return Scalar("int", minimum=low, maximum=high)

    def _bool(self, spec: dict, where: str) -> Scalar:
        return Scalar("bool")

    def _enum(self, spec: dict, where: str) -> Scalar:
        labels = spec.get("values")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
            raise self.fail(where, "an enum needs a non-empty list of 'values'")
        if len(set(labels)) != len(labels):
            raise self.fail(where, "an enum's values must be distinct")
        return Scalar("enum", labels=tuple(labels), first_code=int(spec.get("first_code", 0)))

    def _date(self, spec: dict, where: str) -> Scalar:
        return Scalar("date")

    def _code(self, spec: dict, where: str) -> Scalar:
        digits = spec.get("digits")
        if not isinstance(digits, int) or not 1 <= digits <= 9:
            raise self.fail(where, "a code needs 'digits' from 1 to 9")
        return Scalar("code", digits=digits)

    def _object(self, spec: dict, where: str) -> Obj:
        fields = spec.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise self.fail(where, "an object needs 'fields'")
        return self.fields(fields, where, bool(spec.get("nullable", False)))

    def _list(self, spec: dict, where: str) -> ListOf:
        items = self.node(spec.get("items"), f"{where}.items")
        if isinstance(items, ListOf) or (isinstance(items, Obj) and (
                items.nullable or any(not isinstance(f, Scalar) for f in items.fields.values()))):
            raise self.fail(where, "list items must be scalars or flat objects")
        most = spec.get("max_items")
        least = spec.get("min_items", 0)
        if not isinstance(most, int) or not isinstance(least, int) or not 0 <= least <= most or most < 1:
            raise self.fail(where, "a list needs 'max_items' >= 1 and 0 <= 'min_items' <= 'max_items'")
        unique = spec.get("unique")
        if isinstance(unique, str) and not (isinstance(items, Obj) and unique in items.fields):
            raise self.fail(where, f"'unique' names {unique!r}, which is not a field of the items")
        return ListOf(items, most, least, unique)


# -- columns --------------------------------------------------------------------------------------

def columns_of(node: Obj, prefix: str = "") -> Iterator[Column]:
    """Every column the tree encodes to, in declaration order."""
    for name, child in node.fields.items():
        path = f"{prefix}{name}"
        if isinstance(child, Scalar):
            yield Column(path, child)
        elif isinstance(child, Obj):
            if child.nullable:
                yield Column(path, Scalar("bool"))
            yield from columns_of(child, f"{path}.")
        elif isinstance(child.items, Scalar):
            yield Column(path, child.items, child.max_items)
        else:
            for item_name, scalar in child.items.fields.items():
                yield Column(f"{path}.{item_name}", scalar, child.max_items)


# -- encoding ---------------------------------------------------------------------------------------

@dataclass
class Encoder:
    """Validates profiles against the input tree and writes their columns."""

    root: Obj
    constraints: list[Constraint] = field(default_factory=list)

    def __post_init__(self):
        self.columns = {c.name: c for c in columns_of(self.root)}

    def encode(self, profiles: list[dict], as_of: dt.date) -> dict[str, np.ndarray]:
        """Columns for `profiles`; the first invalid one raises ProfileError."""
        if isinstance(profiles, dict):
            raise ProfileError(0, "", "expected a list of profiles, got one profile")
        n = len(profiles)
        out = {
            name: np.full((n, *col.shape_suffix), col.scalar.absent, dtype=col.scalar.dtype)
            for name, col in self.columns.items()
        }
        self.encode_into(out, profiles, as_of)
        return out

    def encode_into(self, out: dict[str, np.ndarray], profiles: list[dict], as_of: dt.date) -> None:
        """Write the codes of `profiles` into `out` (every column, already filled with absent codes).

        The arrays may be views, such as the fields of a structured record array: that is how
        `RecordLayout.encode` encodes straight into records with this same encoder."""
        if isinstance(profiles, dict):
            raise ProfileError(0, "", "expected a list of profiles, got one profile")
        day = as_of.year * 10000 + as_of.month * 100 + as_of.day
        for index, profile in enumerate(profiles):
            writer = _Writer(out, index, day)
            writer.object(self.root, profile, "", ())
            self._check_constraints(profile, index)

    def _check_constraints(self, profile: dict, index: int) -> None:
        for rule in self.constraints:
            values = [_lookup(profile, path) for path in rule.fields]
            if None not in values and values[0] == values[1]:
                raise ProfileError(index, rule.fields[0], rule.message)


def _lookup(profile: dict, path: str) -> Any:
    value: Any = profile
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


@dataclass
class _Writer:
    out: dict[str, np.ndarray]
    index: int
    as_of: int

    def fail(self, path: str, message: str) -> ProfileError:
        return ProfileError(self.index, path or "(profile)", message)

    def object(self, node: Obj, value: Any, path: str, slot: tuple[int, ...], column: str = "") -> None:
        if not isinstance(value, dict):
            raise self.fail(path, "must be an object" + (" or null" if node.nullable else ""))
        unknown = [k for k in value if k not in node.fields]
        if unknown:
            raise self.fail(_join(path, unknown[0]), "unknown field; allowed: " + ", ".join(node.fields))
        for name, child in node.fields.items():
            child_path = _join(path, name)
            child_column = _join(column, name)
            if name in value:
                self.node(child, value[name], child_path, slot, child_column)
            elif name in node.defaults:
                self.node(child, node.defaults[name], child_path, slot, child_column)
            else:
                raise self.fail(child_path, "is required")

    def node(self, node: Node, value: Any, path: str, slot: tuple[int, ...], column: str) -> None:
        if isinstance(node, Scalar):
            try:
                self.out[column][(self.index, *slot)] = node.code(value, self.as_of)
            except ValueError as error:
                raise self.fail(path, str(error)) from None
        elif isinstance(node, Obj):
            if value is None:
                if not node.nullable:
                    raise self.fail(path, "must be an object, not null")
                return
            if node.nullable:
                self.out[column][self.index] = 1
            self.object(node, value, path, slot, column)
        else:
            self.list(node, value, path, column)

    def list(self, node: ListOf, value: Any, path: str, column: str) -> None:
        if not isinstance(value, list):
            raise self.fail(path, "must be a list")
        if not node.min_items <= len(value) <= node.max_items:
            raise self.fail(path, f"must have from {node.min_items} to {node.max_items} items, not {len(value)}")
        seen: set = set()
        for position, item in enumerate(value):
            item_path = f"{path}[{position}]"
            self.node(node.items, item, item_path, (position,), column)
            if node.unique:
                key = item.get(node.unique) if isinstance(node.unique, str) else item
                if key in seen:
                    where = f"{item_path}.{node.unique}" if isinstance(node.unique, str) else item_path
                    raise self.fail(where, f"{key!r} appears more than once")
                seen.add(key)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name

