"""`flask demo seed` and `flask rounds demo`: demonstration data for `make run`.

The demonstration's commands are registered here, by the application factory, so that no
product module ever imports `app.demo`.
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlmodel import func, select

from app import db
from app.demo import scheduled_draw, seed
from app.profiles.models import Profile
from app.rounds.cli import rounds_cli

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Fill an empty database with demonstration data (does nothing if there are accounts)."""
    with db.unit_of_work() as session:
        message = seed.seed(session)
    click.echo(message)


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
