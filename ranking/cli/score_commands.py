"""`python -m ranking score` and `python -m ranking grids`.

`score` reads JSON Lines of profiles and writes one JSON line per profile, in the same order.
It reads and validates everything before writing anything, so a bad line 90,000 leaves no
half-written output behind for a script to mistake for a result.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ranking.cli.user_input import InputError, open_input
from ranking.errors import GridError, ProfileError
from ranking.grid.presets import load_grid, preset_names


def register(commands) -> None:
    """Add `score` and `grids` to the parser."""
    score = commands.add_parser("score", help="score JSON Lines profiles with a grid")
    score.add_argument("--grid", required=True, help="a preset name (see `grids`) or a path to a grid file")
    score.add_argument("--as-of", type=_date, default=None, help="the date ages are computed at (YYYY-MM-DD; default today, UTC)")
    score.add_argument("file", nargs="?", default="-", help="JSON Lines of profiles (default: standard input)")
    score.set_defaults(run=run_score)
    grids = commands.add_parser("grids", help="list the shipped grids and their versions")
    grids.set_defaults(run=run_grids)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def run_grids(args) -> int:
    """Print one line per preset: name, version, title."""
    for name in preset_names():
        grid = load_grid(name)
        print(f"{grid.name}\t{grid.version}\t{grid.title}")
    return 0


def run_score(args) -> int:
    """Score every line of the input; all-or-nothing output."""
    try:
        grid = load_grid(args.grid)
    except GridError as error:
        raise InputError(str(error)) from None
    profiles, line_numbers = _read_profiles(args.file)
    try:
        columns = grid.encode(profiles, as_of=args.as_of)
    except ProfileError as error:
        raise InputError(f"line {line_numbers[error.index]}: field {error.field}: {error.message}") from None
    scores = grid.score(columns, as_of=args.as_of)
    out = sys.stdout
    for i in range(len(scores)):
        out.write(json.dumps(scores.explain(i), separators=(",", ":")))
        out.write("\n")
    out.flush()
    return 0


def _read_profiles(path: str) -> tuple[list[dict], list[int]]:
    profiles, line_numbers = [], []
    with open_input(path) as handle:
        try:
            lines = list(handle)
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                profile = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"line {number}: not valid JSON: {error.msg} (column {error.colno})") from None
            if not isinstance(profile, dict):
                raise InputError(f"line {number}: expected a JSON object (one profile per line)")
            profiles.append(profile)
            line_numbers.append(number)
    return profiles, line_numbers
