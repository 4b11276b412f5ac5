"""`python -m ranking allocate [FILE|-]`: allocate one round given as JSON, write the result as JSON.

The whole document is checked before anything is allocated or written (see
ranking.allocation.document for the format), so the output is either complete or absent.
"""
from __future__ import annotations

import json
import sys

from ranking.allocation import allocate
from ranking.allocation.document import read_round, write_result
from ranking.cli.user_input import InputError, open_input


def register(commands) -> None:
    """Add the sub-command to the parser."""
    parser = commands.add_parser(
        "allocate",
        help="invite candidates to states by deferred acceptance",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("file", nargs="?", default="-", help="the round as JSON; '-' (default) reads standard input")
    parser.set_defaults(run=run)


def run(args) -> int:
    document = _load(args.file)
    try:
        round_ = read_round(document)
    except ValueError as error:
        raise InputError(str(error)) from None
    result = allocate(**round_.arguments)
    json.dump(write_result(round_, result), sys.stdout)
    sys.stdout.write("\n")
    return 0


def _load(path: str):
    stream = open_input(path)
    try:
        return json.load(stream, object_pairs_hook=_no_repeated_fields)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    except ValueError as error:  # raised by the hook below
        raise InputError(f"{path}: {error}") from None
    finally:
        if stream is not sys.stdin:
            stream.close()


def _no_repeated_fields(pairs: list[tuple[str, object]]) -> dict:
    # json keeps the last of repeated keys silently; a repeated field is more likely a mistake.
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"field {key!r} appears twice in one object")
        result[key] = value
    return result
