"""`flask accounts create`: officials and administrators are created here, never over HTTP."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from marshmallow import ValidationError

from app import db
from app.accounts import registration, throttle
from app.accounts.models import Role
from app.accounts.passwords import hash_password
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
    password_hash = hash_password(password)  # before the transaction: no lock held during the hash
    with db.unit_of_work() as session:  # the account and its audit event commit together, or neither
        try:
            account = registration.create(session, email, password_hash, Role(role),
                                          state_code.upper() if state_code else None, verified=True)
        except ServiceError as error:
            fail(error.message)
        trail.record(session, None, "account.create", f"account:{account.id}", state_code=account.state_code,
                     details={"role": account.role, "email": account.email})
    click.echo(f"created {account.role} {account.email} (id {account.id})")


@accounts_cli.command("unthrottle")
@click.option("--email", help="Lift the limits on this account (from every address).")
@click.option("--address", help="Lift the limits on this client address (for every account, and registrations).")
def unthrottle(email: str | None, address: str | None) -> None:
    """Lift sign-in and registration limits on an account and/or a client address (audited)."""
    if not email and not address:
        fail("Say what to lift: --email, --address, or both.")
    email = registration.normalise_email(email) if email else None
    with db.unit_of_work() as session:  # the lifting and its audit event commit together
        lifted = throttle.lift(session, email=email, address=address)
        trail.record(session, None, "throttle.lift", f"throttle:{email or '*'}/{address or '*'}",
                     details={"email": email, "address": address, "counters": lifted})
    click.echo(f"lifted {lifted} counter(s) on {' and '.join(filter(None, (email, address)))}")


def init_app(app: Flask) -> None:
    """Register `flask accounts`."""
    app.cli.add_command(accounts_cli)
