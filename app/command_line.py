"""What every `flask` command shares: bad input ends with exit status 2 and one line on stderr,
never a traceback.

The commands themselves live with their domains (`app.accounts.cli`, `app.ranking_runs.cli`,
`app.rounds.cli`, `app.demo.cli`, `app.scheduler`; `flask db` is `app.migrate`).
"""
from __future__ import annotations

import datetime as dt

import click
from marshmallow import ValidationError

EXIT_BAD_INPUT = 2


def fail(message: str) -> None:
    """Report bad input the way every command does."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def first_message(error: ValidationError) -> str:
    """`field: message` for the first field marshmallow refused."""
    field, messages = next(iter(error.normalized_messages().items()))
    return f"{field}: {messages[0] if isinstance(messages, list) else messages}"


def date_option(name: str, value: str | None) -> dt.date | None:
    """The date an option like `--date 2026-11-22` gives, or bad input."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{name}: {value!r} is not a date like 2026-11-22")
