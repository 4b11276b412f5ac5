"""The `eu` grid as the service scores with it: the grid version in force with the overlays in force.

Rules take effect on a date, so "the grid" is always the grid of a day: the version of the common
grid in force that day (`ranking/grids/eu.toml`, then the dated files of `eu/versions/`:
`ranking.grid.versions`) with the overlay revision in force for each state that day
(`app.states.models`). Every version has the same inputs, so `shipped_grid()` (the first) serves
for the contract: encoding, records, the API's schemas, state codes. Compiling a grid is far slower than scoring
one profile, so each worker keeps the grids it compiled, keyed by the revision ids they were
built from, and finds the key with one indexed query per request (several workers, so an
in-process notification would not reach the others).
"""
from __future__ import annotations

import datetime as dt
import functools
import threading
import tomllib
from importlib import resources

import ranking
from flask import current_app
from ranking.grid import versions as grid_versions
from sqlmodel import Session, select

from app import clock
from app.states.models import OverlayVersion

GRID = "eu"
# Compiled grids a worker keeps (today's and tomorrow's, a few previews).
GRIDS_KEPT = 8
# Upcoming dates a candidate is told about at most.
MAX_UPCOMING_DATES = 4


@functools.cache
def shipped_grid():
    """The grid with the overlays shipped in `ranking/grids/eu/overlays/`."""
    return ranking.load_grid(GRID)


@functools.cache
def shipped_versions() -> tuple[grid_versions.GridVersion, ...]:
    """Every shipped version of the common grid, earliest first (the first in force from the start)."""
    return grid_versions.grid_versions(GRID)


def version_on(day: dt.date) -> grid_versions.GridVersion:
    """The version of the common grid in force on `day`."""
    return grid_versions.version_on(shipped_versions(), day)


def upcoming_versions(after: dt.date) -> tuple[grid_versions.GridVersion, ...]:
    """The versions of the common grid that take effect after `after`, earliest first."""
    return grid_versions.upcoming(shipped_versions(), after)


def state_codes(grid=None) -> tuple[str, ...]:
    """Member-state codes in the grid's order (a state's index is its code in the columns)."""
    return (grid or shipped_grid()).state_codes


def labels(column: str, grid=None) -> tuple[tuple[str, ...], int]:
    """The labels of an enum column and the code of the first one."""
    grid = grid or shipped_grid()
    scalar = grid.columns[column].scalar
    return tuple(scalar.labels), int(scalar.first_code)


def shipped_overlay(state: str) -> dict:
    """The overlay shipped with the grid for `state` (used until an official saves one)."""
    path = resources.files("ranking") / "grids" / GRID / "overlays" / f"{state}.toml"
    with path.open("rb") as handle:
        return tomllib.load(handle)


def ids_in_force(session: Session, day: dt.date) -> dict[str, int]:
    """The id of each state's overlay revision in force on `day`, for the states that have one.

    Only ids are read (one indexed query per request); bodies only when a grid must be compiled.
    """
    rows = session.exec(select(OverlayVersion.state_code, OverlayVersion.id)
                        .where(OverlayVersion.effective_from <= day)
                        .order_by(OverlayVersion.state_code, OverlayVersion.effective_from, OverlayVersion.id)).all()
    return {code: revision for code, revision in rows}  # the last of each state's rows wins


def revisions_in_force(session: Session, day: dt.date) -> dict[str, OverlayVersion]:
    """Each state's overlay revision in force on `day` (the states still on the shipped one are absent)."""
    ids = ids_in_force(session, day)
    if not ids:
        return {}
    rows = session.exec(select(OverlayVersion).where(OverlayVersion.id.in_(list(ids.values())))).all()
    return {row.state_code: row for row in rows}


def upcoming_dates(session: Session, after: dt.date) -> list[dt.date]:
    """The dates after `after` on which some overlay revision or grid version takes effect, earliest first."""
    rows = session.exec(select(OverlayVersion.effective_from).where(OverlayVersion.effective_from > after)
                        .distinct().order_by(OverlayVersion.effective_from).limit(MAX_UPCOMING_DATES)).all()
    dates = set(rows) | {version.effective_from for version in upcoming_versions(after)}
    return sorted(dates)[:MAX_UPCOMING_DATES]


def in_force(session: Session, day: dt.date):
    """The grid version in force on `day` with every state's overlay in force that day.

    Compiled grids are kept per grid version and set of revisions (a few: today's, tomorrow's, a
    preview's), so a day whose rules did not change reuses the grid compiled for the day before.
    """
    cache = current_app.extensions.setdefault(
        "talentpool.grids", {"grids": {}, "lock": threading.Lock()})
    version = version_on(day)
    key = (version.version, *sorted(ids_in_force(session, day).values()))
    grid = cache["grids"].get(key)
    if grid is not None:
        return grid
    with cache["lock"]:
        grid = cache["grids"].get(key)
        if grid is None:
            overlays = {code: row.body for code, row in revisions_in_force(session, day).items()}
            grid = with_overlays(overlays, version.grid)
            while len(cache["grids"]) >= GRIDS_KEPT:
                cache["grids"].pop(next(iter(cache["grids"])))
            cache["grids"][key] = grid
        return grid


def with_overlays(overlays: dict[str, dict], base=None):
    """`base` (a version of the common grid; the first if None) with `overlays` (state code ->
    overlay body) in place of the shipped ones."""
    base = base or shipped_grid()
    return base.with_overlays(overlays) if overlays else base


def current(session: Session):
    """The grid in force today: what a candidate's score on submission is computed with."""
    return in_force(session, clock.today())
