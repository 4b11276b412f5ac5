"""The points grid as tables for people, read from the grid file itself, so the page cannot drift.

Every `[factors.*]` and `[state_factors.*]` table of a version of the grid (`ranking/grids/eu.toml`,
`eu/versions/*.toml`) becomes one table of
(what you have -> points): bands become ranges ("25 to 32"), a points table by two categories
becomes a two-way table, a yes/no factor one row. Nothing here knows a point value; the tests
score profiles with the engine and check each row against the points it gives.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from app.states import grid as grids


@dataclass(frozen=True)
class Band:
    """`low` to `high` inclusive (`high` None: and more) of a quantity."""

    low: int
    high: int | None


@dataclass(frozen=True)
class Table:
    """One factor's points: `rows` of (row label, points per column); `columns` empty for one column."""

    name: str
    kind: str  # "bands", "levels", "two_way", "flag"
    quantity: str  # what the rows are of (a value, tier or input name)
    rows: tuple[tuple[object, tuple[int, ...]], ...]
    columns: tuple[str, ...] = ()
    column_quantity: str = ""
    cap: int | None = None
    per_skill: bool = False  # points per language skill, the four skills added


@dataclass(frozen=True)
class Section:
    name: str
    cap: int | None
    tables: tuple[Table, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class GridTables:
    name: str
    version: str
    sections: tuple[Section, ...]
    state_tables: tuple[Table, ...]
    state_cap: int | None
    rules: tuple[str, ...]  # eligibility rule ids, in order


def bands(lows: list[int], minimum: int | None = None) -> tuple[Band, ...]:
    """[0, 18, 22] -> 0-17, 18-21, 22 and more; the first band starts at the input's `minimum` if it has one."""
    return tuple(Band(max(low, minimum) if minimum is not None and i == 0 else low,
                      lows[i + 1] - 1 if i + 1 < len(lows) else None) for i, low in enumerate(lows))


def _table(name: str, spec: dict, doc: dict) -> Table:
    cap = spec.get("cap")
    if "bands" in spec:
        of = spec["of"] if isinstance(spec["of"], str) else name
        declared = doc.get("inputs", {}).get(of)
        minimum = declared.get("min") if isinstance(declared, dict) else None
        return Table(name, "bands", of, tuple(zip(bands(spec["bands"], minimum), ((p,) for p in spec["points"]))),
                     cap=cap)
    if "by" in spec:
        of_labels = tuple(doc["tiers"][spec["of"]]["labels"] if "labels" in doc["tiers"][spec["of"]]
                          else [band[0] for band in doc["tiers"][spec["of"]]["bands"]])
        by_labels = doc["tiers"][spec["by"]]["labels"]
        rows = tuple((label, tuple(spec["points"][label][column] for column in of_labels)) for label in by_labels)
        return Table(name, "two_way", spec["by"], rows, of_labels, spec["of"], cap)
    if "value" in spec:  # a value defined with per-level points, e.g. the strongest language
        value = doc["values"][doc["values"][spec["value"]]["of"]]
        return Table(name, "levels", spec["value"], tuple((k, (v,)) for k, v in value["points"].items()),
                     cap=cap, per_skill=isinstance(value["of"], list) and len(value["of"]) == 4)
    if isinstance(spec.get("points"), dict):  # points per level of the items, e.g. a state's languages
        return Table(name, "levels", name, tuple((k, (v,)) for k, v in spec["points"].items()), cap=cap,
                     per_skill=isinstance(spec.get("of"), list) and len(spec["of"]) == 4)
    return Table(name, "flag", name, ((True, (spec["points"],)),), cap=cap)


@cache
def _read(path: str) -> GridTables:
    with Path(path).open("rb") as handle:
        doc = tomllib.load(handle)
    factors = doc["factors"]
    sections = tuple(Section(name, spec.get("cap"), tuple(_table(f, factors[f], doc) for f in factors
                                                         if factors[f]["section"] == name))
                     for name, spec in doc["sections"].items())
    state_tables = tuple(_table(name, spec, doc) for name, spec in doc.get("state_factors", {}).items())
    return GridTables(doc["grid"]["name"], doc["grid"]["version"], sections, state_tables,
                      doc.get("states", {}).get("cap"), tuple(rule["id"] for rule in doc.get("eligibility", [])))


def eu_tables(version=None) -> GridTables:
    """The tables of a version of the `eu` grid (`app.states.grid.version_on`; the first if None),
    read once per process: shipped grid files do not change."""
    return _read((version.grid if version is not None else grids.shipped_grid()).source)
