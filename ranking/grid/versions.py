"""Dated versions of a shipped grid: the grid in force on a day.

OpenFisca's dated parameters are the model: a change of points is data with the date it takes
effect, and the rules of any day can be read back. A shipped grid `ranking/grids/NAME.toml` is its
first version, in force from the start; later versions ship beside it as whole grid files,
`ranking/grids/NAME/versions/*.toml`, each declaring in its `[grid]` table the `effective_from`
date (a TOML date) from which it is in force, until the next one's.

    versions = grid_versions("eu")          # earliest first; versions[0].effective_from is None
    version_on(versions, date(2027, 3, 1)).grid.version

The versions of one grid share one *contract*: the same inputs (so one record layout: stored
records need no re-encoding when a version takes effect), sections, groups, factors and member
states; only points, tiers, caps and eligibility values may differ. A version that changes the
contract is refused here, naming the rule: a new contract is a new `NAME.toml`, re-encoded with
`flask pool reencode` (docs/grid-language.md).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ranking.errors import GridError
from ranking.grid.engine import Grid, build_grid
from ranking.grid.files import read_toml
from ranking.grid.presets import GRIDS_DIR, load_grid

SAME_CONTRACT = ("dated versions of a grid may differ only in points, tiers, caps and eligibility values, "
                 "never in inputs, sections, groups, factors or member states")


@dataclass(frozen=True)
class GridVersion:
    """One version of a grid and the day it takes effect (None: in force from the start)."""

    effective_from: dt.date | None
    grid: Grid

    @property
    def version(self) -> str:
        return self.grid.version


def grid_versions(name: str, grids_dir: Path | None = None) -> tuple[GridVersion, ...]:
    """Every version of the shipped grid `name`, earliest first; validated and compiled once.

    `grids_dir` (default: the shipped `ranking/grids/`) is for tests that ship versions of their own.
    """
    return _versions(name, (grids_dir or GRIDS_DIR).resolve())


def version_on(versions: tuple[GridVersion, ...], day: dt.date) -> GridVersion:
    """The version in force on `day`: the latest whose `effective_from` is on or before it."""
    found = versions[0]
    for version in versions[1:]:
        if version.effective_from <= day:
            found = version
    return found


def upcoming(versions: tuple[GridVersion, ...], after: dt.date) -> tuple[GridVersion, ...]:
    """The versions that take effect after `after`, earliest first."""
    return tuple(v for v in versions if v.effective_from is not None and v.effective_from > after)


@lru_cache(maxsize=None)
def _versions(name: str, grids_dir: Path) -> tuple[GridVersion, ...]:
    first_path = grids_dir / f"{name}.toml"
    first = load_grid(first_path) if grids_dir != GRIDS_DIR.resolve() else load_grid(name)
    if "effective_from" in read_toml(first_path)["grid"]:
        raise GridError(str(first_path), "grid.effective_from",
                        f"{name}.toml is the first version, in force from the start: only the files in "
                        f"{name}/versions/ take effect on a date")
    dated = sorted((_dated(path, grids_dir, first) for path in (grids_dir / name / "versions").glob("*.toml")),
                   key=lambda version: version.effective_from)
    seen_versions, seen_dates = {first.version: first.source}, {}
    for version in dated:
        source = version.grid.source
        if version.version in seen_versions:
            raise GridError(source, "grid.version",
                            f"version {version.version!r} is also that of {seen_versions[version.version]}")
        if version.effective_from in seen_dates:
            raise GridError(source, "grid.effective_from",
                            f"{version.effective_from.isoformat()} is also when {seen_dates[version.effective_from]} "
                            "takes effect: one version per day")
        seen_versions[version.version], seen_dates[version.effective_from] = source, source
    return (GridVersion(None, first), *dated)


def _dated(path: Path, grids_dir: Path, first: Grid) -> GridVersion:
    """A version file compiled (overlay paths relative to the grids' folder, like the first's) and checked."""
    doc = read_toml(path)
    source = str(path)
    meta = doc.get("grid") if isinstance(doc.get("grid"), dict) else {}
    effective_from = meta.pop("effective_from", None)
    if type(effective_from) is not dt.date:  # a datetime is a date too: refuse a time of day
        raise GridError(source, "grid.effective_from",
                        "a dated version needs `effective_from`, a TOML date such as 2027-03-01")
    grid = build_grid(doc, source, grids_dir)
    if grid.name != first.name:
        raise GridError(source, "grid.name", f"a version of {first.name!r} must be named {first.name!r}")
    for what, mine, theirs in _contract_differences(grid, first):
        raise GridError(source, what, f"{SAME_CONTRACT}: its {what} differ from {first.version}'s "
                                      f"({', '.join(sorted(mine ^ theirs)) or 'their order'})")
    return GridVersion(effective_from, grid)


def _contract_differences(grid: Grid, first: Grid):
    """(what, this version's names, the first version's names) for each part of the contract that differs."""
    parts = {
        "inputs": (lambda g: set(g.columns), lambda g: g.record_version),
        "sections": (lambda g: {s.name for s in g.sections}, lambda g: tuple(s.name for s in g.sections)),
        "groups": (lambda g: {x.name for x in g.groups}, lambda g: tuple(x.name for x in g.groups)),
        "factors": (lambda g: {f.name for f in g.factors}, lambda g: tuple(f.name for f in g.factors)),
        "member states": (lambda g: set(g.state_codes), lambda g: g.state_codes),
        "state factors": (_state_factors, lambda g: tuple(sorted(_state_factors(g)))),
    }
    for what, (names, identity) in parts.items():
        if identity(grid) != identity(first):
            yield what, names(grid), names(first)


def _state_factors(grid: Grid) -> set[str]:
    return set(grid.states.factor_specs) if grid.states else set()
