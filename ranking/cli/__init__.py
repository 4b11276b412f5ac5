"""Command line of the ranking core: `python -m ranking {score,grids,allocate}`.

Every sub-command validates all of its input before writing anything, and reports bad input as
one line on stderr with exit status 2 (never a traceback), so scripts can rely on the output
being either complete or absent.
"""
from __future__ import annotations

import argparse
import sys

from ranking.cli import allocate_command, score_commands
from ranking.cli.user_input import InputError

EXIT_BAD_INPUT = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ranking", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    score_commands.register(commands)
    allocate_command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; return the process exit status."""
    args = _build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `... | head`: the reader left, nothing to report
        return 0
