"""`flask accounts create`: officials and administrators are created here, never over HTTP."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from marshmallow import ValidationError
from sqlmodel import select

from app import db
from app.accounts import registration, throttle, two_factor
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.accounts.schemas import RegistrationSchema
from app.audit import trail
from app.command_line import fail, first_message
from app.config import is_development
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


def _staff_account(session, email: str) -> Account:
    account = session.exec(select(Account).where(Account.email == registration.normalise_email(email))).first()
    if account is None or not two_factor.applies(account):
        fail(f"No official or administrator has the e-mail address {email!r}.")
    return account


@accounts_cli.command("otp")
@click.argument("email")
def print_code(email: str) -> None:
    """Print a two-factor code of an official or administrator (development only: the demo accounts)."""
    if not is_development(current_app):
        fail("Refused: codes are printed only in development (TALENTPOOL_ENV=development); "
             "in production each person's code is on their own phone.")
    with db.unit_of_work() as session:
        account = _staff_account(session, email)
        if not two_factor.is_enrolled(session, account.id):
            fail(f"{account.email} has not set up two-factor sign-in yet; the next sign-in on the web does it.")
        code = two_factor.unused_code(session, account)
    if code is None:
        fail("The current and the next code have both been used; try again in 30 seconds.")
    click.echo(code)


@accounts_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Remove an official's or administrator's two-factor enrolment and sign them out everywhere (audited).

    For a lost phone: the next sign-in on the web sets it up again.
    """
    with db.unit_of_work() as session:  # the reset and its audit event commit together
        account = _staff_account(session, email)
        two_factor.reset(session, None, account)
    click.echo(f"two-factor sign-in reset for {account.email}; the next sign-in on the web sets it up again")


def init_app(app: Flask) -> None:
    """Register `flask accounts`."""
    app.cli.add_command(accounts_cli)
