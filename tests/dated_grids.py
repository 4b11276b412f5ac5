"""A copy of the shipped grids with a dated version of `eu` of one's own, for tests of grid versions.

`ship(tmp_path, ...)` copies `ranking/grids/eu.toml` and its overlays and writes
`eu/versions/<version>.toml`: the same grid with its `[grid]` version and `effective_from`
changed and the text replacements asked for applied (each must match exactly once), so a test
states the change it makes in the grid's own words.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import ranking

SHIPPED = Path(ranking.__file__).parent / "grids"
EDUCATION_POINTS = "points = [0, 20, 45, 70, 100, 120, 135]"


def ship(tmp_path: Path, version: str, effective_from: dt.date | str, *replacements: tuple[str, str],
         name: str | None = None) -> Path:
    """The grids folder holding a dated version; `name` is the version file's stem (default: `version`)."""
    grids = tmp_path / "grids"
    if not grids.exists():
        (grids / "eu").mkdir(parents=True)
        shutil.copy(SHIPPED / "eu.toml", grids / "eu.toml")
        shutil.copytree(SHIPPED / "eu" / "overlays", grids / "eu" / "overlays")
    text = (SHIPPED / "eu.toml").read_text()
    first_version = 'version = "2026.1"'
    dated = f'version = "{version}"' + (f"\neffective_from = {effective_from}" if effective_from else "")
    for old, new in ((first_version, dated), *replacements):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (grids / "eu" / "versions").mkdir(exist_ok=True)
    (grids / "eu" / "versions" / f"{name or version}.toml").write_text(text)
    return grids
