"""`flask pool rerank`: run the nightly job now, or only its ranking."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app import clock
from app.command_line import date_option
from app.ranking_runs import nightly, rerank

pool_cli = AppGroup("pool", help="The nightly ranking of the pool.")


@pool_cli.command("rerank")
@click.option("--date", "run_date", help="Rank as of this date (YYYY-MM-DD, default: today in UTC).")
@click.option("--replace", is_flag=True, help="Replace that date's run if no round was allocated from it.")
@click.option("--only-rank", is_flag=True, help="Skip the expiries and the purge; only rank.")
def rerank_command(run_date: str | None, replace: bool, only_rank: bool) -> None:
    """Run the nightly job now: expire invitations and profiles, purge, and rank the pool."""
    day = date_option("--date", run_date)
    if only_rank:
        try:
            click.echo(nightly.rerank_line(nightly.rank(day or clock.today(), replace=replace)))
        except rerank.AlreadyRanked as reason:
            click.echo(f"not ranked again: {reason}")
        return
    for line in nightly.run(day, replace=replace):
        click.echo(line)


def init_app(app: Flask) -> None:
    """Register `flask pool`."""
    app.cli.add_command(pool_cli)
