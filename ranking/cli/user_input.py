"""What every sub-command shares about its input: the one kind of error it reports, and opening it.

Kept apart from `ranking.cli` (which builds the parser from the sub-commands) so that the
sub-commands can use it without importing the package that imports them.
"""
from __future__ import annotations

import sys


class InputError(Exception):
    """Bad input from the user: printed as-is on stderr, exit status 2."""


def open_input(path: str):
    """The named file, or standard input for '-'; a missing file is bad input, not a crash."""
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: {error.strerror}") from None
