"""Command-line tasks: `flask accounts create` and `flask demo seed` (plus `flask db`, in app.migrate).

Bad input ends with exit status 2 and one line on stderr, never a traceback.
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from marshmallow import ValidationError

from app import db
from app.errors import ServiceError
from app.models import Role
from app.schemas.account import RegistrationSchema
from app.services import accounts, audit

EXIT_BAD_INPUT = 2

accounts_cli = AppGroup("accounts", help="Manage accounts (officials and administrators are created here).")
demo_cli = AppGroup("demo", help="Demonstration data.")


def fail(message: str) -> None:
    """Report bad input the way every command does."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def _first_message(error: ValidationError) -> str:
    field, messages = next(iter(error.normalized_messages().items()))
    return f"{field}: {messages[0] if isinstance(messages, list) else messages}"


@accounts_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.OFFICIAL.value, show_default=True)
@click.option("--state", "state_code", help="The member state an official works for, e.g. DE.")
@click.password_option(envvar="TALENTPOOL_NEW_PASSWORD", help="Prompted for when not given (or from the env).")
def create_account(email: str, role: str, state_code: str | None, password: str) -> None:
    """Create an account (typically an official bound to one member state, or an administrator)."""
    try:
        RegistrationSchema().load({"email": email, "password": password})
    except ValidationError as error:
        fail(_first_message(error))
    session = db.session(write=True)
    try:
        account = accounts.create(session, email, password, Role(role), state_code.upper() if state_code else None)
    except ServiceError as error:
        fail(error.message)
    audit.record(session, None, "account.create", f"account:{account.id}", state_code=account.state_code,
                 details={"role": account.role, "email": account.email})
    session.commit()
    click.echo(f"created {account.role} {account.email} (id {account.id})")


@demo_cli.command("seed")
def seed() -> None:
    """Fill an empty database with demonstration data (does nothing if there are accounts)."""
    from app.services import demo

    click.echo(demo.seed(db.session(write=True)))


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(accounts_cli)
    app.cli.add_command(demo_cli)
