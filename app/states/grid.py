"""The `eu` grid as the service scores with it: the shipped grid with the officials' overlays applied.

Compiling a grid is far slower than scoring one profile, so each worker keeps the compiled grid and
rebuilds it only when the newest overlay version id in the database changes (one indexed query
per request: several workers, so an in-process notification would not reach the others).
"""
from __future__ import annotations

import functools
import threading
import tomllib
from importlib import resources

import ranking
from flask import current_app
from sqlmodel import Session, func, select

from app.states.models import OverlayVersion

GRID = "eu"


@functools.cache
def shipped_grid():
    """The grid with the overlays shipped in `ranking/grids/eu/overlays/`."""
    return ranking.load_grid(GRID)


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


def active_overlays(session: Session) -> dict[str, OverlayVersion]:
    """The newest stored overlay version of each state that has one."""
    newest = select(OverlayVersion.state_code, func.max(OverlayVersion.id).label("id")).group_by(
        OverlayVersion.state_code).subquery()
    rows = session.exec(select(OverlayVersion).join(newest, OverlayVersion.id == newest.c.id)).all()
    return {row.state_code: row for row in rows}


def current(session: Session):
    """The grid with every state's active overlay, recompiled only when an overlay changed."""
    cache = current_app.extensions.setdefault(
        "talentpool.grid", {"key": None, "grid": None, "lock": threading.Lock()})
    key = session.exec(select(func.max(OverlayVersion.id))).one()
    if cache["key"] == key and cache["grid"] is not None:
        return cache["grid"]
    with cache["lock"]:
        if cache["key"] != key or cache["grid"] is None:
            overlays = {code: row.body for code, row in active_overlays(session).items()}
            grid = shipped_grid().with_overlays(overlays) if overlays else shipped_grid()
            cache.update(key=key, grid=grid)
        return cache["grid"]
