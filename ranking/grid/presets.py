"""Finding grids: the presets shipped in `ranking/grids/`, or any grid file by path."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ranking.errors import GridError
from ranking.grid.engine import Grid, build_grid
from ranking.grid.files import read_toml
from ranking.grid.states import validate_overlay_for

GRIDS_DIR = Path(__file__).parent.parent / "grids"


def preset_names() -> list[str]:
    """The names of the shipped grids, sorted."""
    return sorted(path.stem for path in GRIDS_DIR.glob("*.toml"))


def load_grid(name_or_path: str | Path) -> Grid:
    """A shipped grid by name (e.g. "crs"), or a grid file by path; validated and compiled.

    Presets are compiled once per process and shared: a Grid is never modified in place
    (`with_overlays` returns a new one).
    """
    text = str(name_or_path)
    if text in preset_names():
        return _preset(text)
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        return _load(path.resolve())
    raise GridError(text, "", f"no such grid: the presets are {', '.join(preset_names())}, or give a path to a .toml file")


@lru_cache(maxsize=None)
def _preset(name: str) -> Grid:
    return _load(GRIDS_DIR / f"{name}.toml")


def _load(path: Path) -> Grid:
    return build_grid(read_toml(path), str(path), path.parent)


def validate_overlay(grid: str | Grid, overlay: dict) -> dict:
    """Check a member state's overlay against a grid (its `state` key names the state)."""
    grid = grid if isinstance(grid, Grid) else load_grid(grid)
    if not grid.states:
        raise GridError(grid.source, "states", f"{grid.name} has no member-state overlays")
    validate_overlay_for(grid.states, overlay)
    return overlay
