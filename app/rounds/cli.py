"""`flask rounds run --due` and `flask rounds verify KEY` (`flask rounds demo` is `app.demo.cli`'s)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.command_line import fail
from app.rounds import execution, verification

rounds_cli = AppGroup("rounds", help="Invitation rounds.")


@rounds_cli.command("run")
@click.option("--due", is_flag=True, required=True, help="Run every round whose time has come (required).")
def run_rounds(due: bool) -> None:
    """Run the due invitation rounds (safe to run from several processes at once)."""
    for line in execution.run_due():
        click.echo(line)


@rounds_cli.command("verify")
@click.argument("key")
def verify_round(key: str) -> None:
    """Recompute round KEY from its recorded ranking run; exit 0 if the invitations match, 1 if not."""
    try:
        verdict = verification.verify(key)
    except verification.UnknownRound as reason:
        fail(str(reason))
    for line in verdict.checked:
        click.echo(line)
    if verdict.ok:
        click.echo(f"{key}: the invitations, counts and cut-offs match the recomputation")
        return
    for problem in verdict.problems:
        click.echo(problem)
    click.echo(f"{key}: MISMATCH ({len(verdict.problems)} problems)")
    raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register `flask rounds`."""
    app.cli.add_command(rounds_cli)
