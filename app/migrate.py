"""Our small `flask db` over Alembic's API (Flask-Migrate needs Flask-SQLAlchemy, which we do not use).

Migrations live in the package (`app/migrations/`), so an installed service can migrate itself.
On SQLite they run with foreign keys off: batch mode rebuilds tables, which would otherwise
cascade or fail on the rows that point at them.
"""
from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import AppGroup

from app.db import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"

db_cli = AppGroup("db", help="Create or update the database schema.")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _run(action, *args, **kwargs) -> None:
    engine = make_engine(current_app.config["DATABASE_URL"], foreign_keys=False)
    try:
        with engine.begin() as connection:
            config = _config()
            config.attributes["connection"] = connection
            action(config, *args, **kwargs)
    finally:
        engine.dispose()


def upgrade(revision: str = "head") -> None:
    """Bring the configured database to `revision` (creating it from nothing if empty)."""
    _run(command.upgrade, revision)


def head_revisions() -> set[str]:
    """The revisions the code expects the database to be at."""
    return set(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(connection) -> set[str]:
    """The revisions the database says it is at (empty for a database never migrated)."""
    return set(MigrationContext.configure(connection).get_current_heads())


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Create the schema, or update it to REVISION (default: the latest)."""
    upgrade(revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Step the schema back to REVISION (e.g. -1)."""
    _run(command.downgrade, revision)


@db_cli.command("current")
def current_command() -> None:
    """Print the revision the database is at."""
    engine = make_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            click.echo(" ".join(sorted(current_revisions(connection))) or "(empty)")
    finally:
        engine.dispose()


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate", is_flag=True, help="Diff the models against the database.")
def revision_command(message: str, autogenerate: bool) -> None:
    """Write a new migration script into app/migrations/versions/."""
    _run(command.revision, message=message, autogenerate=autogenerate)


def init_app(app: Flask) -> None:
    """Register `flask db`."""
    app.cli.add_command(db_cli)
