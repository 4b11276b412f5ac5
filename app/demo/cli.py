"""`flask demo seed` and `flask rounds demo`: demonstration data for `make run`.

The demonstration's commands are registered here, by the application factory, so that no
product module ever imports `app.demo`.
"""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlmodel import func, select

from app import db
from app.audit import trail
from app.accounts.passwords import hash_password
from app.demo import employers as demo_employers
from app.demo import hiring as demo_hiring
from app.hiring import matches
from app.demo import scheduled_draw, seed
from app.profiles.models import Profile
from app.rounds.cli import rounds_cli
from app.states import grid as grids
from app.storage import engines

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("seed")
@click.option("--candidates", type=click.IntRange(min=0), default=None,
              help="How many synthetic candidates (default: the DEMO_CANDIDATES setting).")
@click.option("--seed", "seed_value", type=int, default=seed.DEFAULT_SEED, show_default=True,
              help="The random seed: the same seed gives the same pool.")
def seed_command(candidates: int | None, seed_value: int) -> None:
    """Fill a database without accounts with demonstration data: an administrator, an official per
    state, verified employers with published vacancies and a synthetic pool (does nothing if there
    are accounts)."""
    count = current_app.config["DEMO_CANDIDATES"] if candidates is None else candidates
    with db.unit_of_work() as session:
        refused = seed.refusal(session)
        if refused is None:
            officials = seed.add_staff(session, seed_value)
            employers, vacancies = demo_employers.add_employers(
                session, hash_password(current_app.config["DEMO_PASSWORD"]), seed.DOMAIN, seed_value)
            grid = grids.current(session)
            first_id = seed.next_id(session)  # after the staff, inserted just above
    if refused is not None:
        click.echo(refused)
        return
    # Outside any unit of work: the bulk writer has its own short transactions (a helper process on SQLite).
    with click.progressbar(length=count, label="synthetic candidates", file=sys.stderr) as bar:
        seed.add_candidates(engines.writer(), grid, count, first_id, seed_value, progress=bar.update)
    with db.unit_of_work() as session:
        findable = demo_hiring.add_findability(session)
    matched = matches.store_nightly(pause=False).matches  # its own transactions, like the pool's
    with db.unit_of_work() as session:
        trail.record(session, None, "demo.seed", "database",
                     details={"officials": officials, "candidates": count, "seed": seed_value,
                              "employers": employers, "vacancies": vacancies, "findable": findable,
                              "matches": matched})
    click.echo(f"demo seed: 1 administrator, {officials} officials, {employers} employers with {vacancies} "
               f"published vacancies and {count} candidates ({findable} findable by employers: {matched} matches) "
               f"(e-mail addresses at {seed.DOMAIN}, password {current_app.config['DEMO_PASSWORD']!r})")


@click.command("demo")
def demo_round() -> None:
    """On the demonstration database, schedule a draw for a few states two minutes from now."""
    with db.unit_of_work() as session:
        message = scheduled_draw.schedule(session, session.exec(select(func.count()).select_from(Profile)).one())
    click.echo(message)


def init_app(app: Flask) -> None:
    """Register `flask demo` and add `demo` to `flask rounds`."""
    app.cli.add_command(demo_cli)
    rounds_cli.add_command(demo_round)
