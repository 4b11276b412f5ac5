"""Reading grid and overlay files: where a TOML file becomes a dict, or a GridError naming the file.

Both the engine (a grid file) and the member-state part (one overlay file per state) read files,
so the reading lives below both of them.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from ranking.errors import GridError


def read_toml(path: Path) -> dict:
    """A TOML file's content; unreadable or malformed files become GridErrors naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise GridError(str(path), "", error.strerror or str(error)) from None
    except tomllib.TOMLDecodeError as error:
        raise GridError(str(path), "", f"not valid TOML: {error}") from None
