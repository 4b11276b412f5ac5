"""Operators' commands: `flask pool rerank`, `flask rounds run --due`, `flask rounds verify KEY`,
`flask scheduler run`.

Bad input ends with exit status 2 and one line on stderr, never a traceback (as in `app.cli`).
"""
from __future__ import annotations

import datetime as dt

import click
from flask import Flask
from flask.cli import AppGroup

from app import rounds_settings
from app.cli import fail

pool_cli = AppGroup("pool", help="The nightly ranking of the pool.")
rounds_cli = AppGroup("rounds", help="Invitation rounds.")
scheduler_cli = AppGroup("scheduler", help="The scheduler process (nightly job, due rounds).")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--date: {value!r} is not a date like 2026-11-22")


@pool_cli.command("rerank")
@click.option("--date", "run_date", help="Rank as of this date (YYYY-MM-DD, default: today in UTC).")
@click.option("--replace", is_flag=True, help="Replace that date's run if no round was allocated from it.")
@click.option("--only-rank", is_flag=True, help="Skip the expiries and the purge; only rank.")
def rerank_command(run_date: str | None, replace: bool, only_rank: bool) -> None:
    """Run the nightly job now: expire invitations and profiles, purge, and rank the pool."""
    from app.services import nightly, rerank

    day = _date(run_date)
    if only_rank:
        from app import clock

        try:
            click.echo(nightly.rerank_line(nightly.rank(day or clock.today(), replace=replace)))
        except rerank.AlreadyRanked as reason:
            click.echo(f"not ranked again: {reason}")
        return
    for line in nightly.run(day, replace=replace):
        click.echo(line)


@rounds_cli.command("run")
@click.option("--due", is_flag=True, required=True, help="Run every round whose time has come (required).")
def run_rounds(due: bool) -> None:
    """Run the due invitation rounds (safe to run from several processes at once)."""
    from app.services import rounds_run

    for line in rounds_run.run_due():
        click.echo(line)


@rounds_cli.command("verify")
@click.argument("key")
def verify_round(key: str) -> None:
    """Recompute round KEY from its recorded ranking run; exit 0 if the invitations match, 1 if not."""
    from app.services import rounds_verify

    try:
        verdict = rounds_verify.verify(key)
    except rounds_verify.UnknownRound as reason:
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


@rounds_cli.command("demo")
def demo_round() -> None:
    """On the demonstration database, schedule a draw for a few states two minutes from now."""
    from sqlmodel import func, select

    from app import db
    from app.models import Profile
    from app.services import demo_rounds

    session = db.session(write=True)
    click.echo(demo_rounds.schedule(session, session.exec(select(func.count()).select_from(Profile)).one()))


@scheduler_cli.command("run")
def run_scheduler() -> None:
    """Run the scheduler in this process until Ctrl-C (never start it inside web workers)."""
    from flask import current_app

    from app import scheduler

    try:
        scheduler.nightly_time(current_app.config["RERANK_AT"])
    except ValueError as error:
        fail(str(error))
    scheduler.run(current_app._get_current_object())


def init_app(app: Flask) -> None:
    """Fill in the settings' defaults and register the command groups."""
    rounds_settings.init_app(app)
    app.cli.add_command(pool_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(scheduler_cli)
