"""`flask accounts create`: officials and administrators are created here, never over HTTP."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from marshmallow import ValidationError

from app import db
from app.accounts import registration
from app.accounts.models import Role
from app.accounts.schemas import RegistrationSchema
from app.audit import trail
from app.command_line import fail, first_message
from app.errors import ServiceError

accounts_cli = AppGroup("accounts", help="Manage accounts (officials and administrators are created here).")


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
        fail(first_message(error))
    with db.unit_of_work() as session:  # the account and its audit event commit together, or neither
        try:
            account = registration.create(session, email, password, Role(role),
                                          state_code.upper() if state_code else None)
        except ServiceError as error:
            fail(error.message)
        trail.record(session, None, "account.create", f"account:{account.id}", state_code=account.state_code,
                     details={"role": account.role, "email": account.email})
    click.echo(f"created {account.role} {account.email} (id {account.id})")


def init_app(app: Flask) -> None:
    """Register `flask accounts`."""
    app.cli.add_command(accounts_cli)
