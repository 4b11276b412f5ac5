"""`flask pool rerank`: run the nightly job now, or only its ranking; `flask pool matches`: only its matches."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlmodel import Session

from app import clock
from app.command_line import date_option, fail
from app.hiring import matches
from app.profiles import reencoding
from app.ranking_runs import nightly, rerank
from app.states import grid as grids
from app.storage import engines

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
        except rerank.StaleRecords as reason:
            fail(f"not ranked: {reason}")
        return
    for line in nightly.run(day, replace=replace):
        click.echo(line)


@pool_cli.command("matches")
def matches_command() -> None:
    """Store every open vacancy's top 100 matches now, as the nightly job does after ranking."""
    try:
        click.echo(matches.nightly_line(matches.store_nightly()))
    except (rerank.StaleRecords, matches.StoringElsewhere) as reason:
        fail(f"vacancy matches not stored: {reason}")


@pool_cli.command("reencode")
@click.option("--all", "every", is_flag=True, help="Re-encode every profile, not only those of another grid contract.")
def reencode_command(every: bool) -> None:
    """Re-encode stored profiles from their documents under the current grid (in chunks, with progress)."""
    with Session(engines.reader()) as session:
        grid = grids.current(session)
    total = reencoding.stale(grid, every=every)
    with click.progressbar(length=total, label="re-encoding profiles", file=sys.stderr) as bar:
        report = reencoding.reencode(grid, every=every, progress=bar.update)
    click.echo(f"re-encoded {report.profiles} profiles under {grid.record_version}")
    if report.refused:
        shown = "; ".join(f"candidate {candidate}: {why}" for candidate, why in list(report.refused.items())[:10])
        fail(f"{len(report.refused)} documents do not encode under the current grid ({shown})")


def init_app(app: Flask) -> None:
    """Register `flask pool`."""
    app.cli.add_command(pool_cli)
