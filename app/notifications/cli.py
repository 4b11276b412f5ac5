"""`flask mail`: send the outbox now, requeue a dead message, run the development mail server."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import db
from app.command_line import fail
from app.config import ConfigurationError, require_production_mail
from app.notifications import delivery, dev_server

mail_cli = AppGroup("mail", help="Outgoing mail: the outbox's sender, the development mail server.")


@mail_cli.command("send")
def send_command() -> None:
    """Deliver every due message of the outbox (what the scheduler does every minute)."""
    try:
        require_production_mail(current_app)
    except ConfigurationError as error:
        fail(str(error))
    while True:
        outcome = delivery.send_due()
        click.echo(outcome.summary())
        if outcome.sent + outcome.retried + len(outcome.dead) < int(current_app.config["MAIL_BATCH"]):
            break


@mail_cli.command("retry")
@click.argument("message_id", type=int)
def retry_command(message_id: int) -> None:
    """Send a dead message again (after checking the mail server's log that it did not arrive)."""
    with db.unit_of_work() as session:
        if not delivery.requeue(session, message_id):
            fail(f"no dead message with id {message_id}")
    click.echo(f"message {message_id} is pending again")


@mail_cli.command("dev-server")
@click.option("--port", type=int, default=None, help="Default: DEV_MAIL_PORT.")
def dev_server_command(port: int | None) -> None:
    """Run the development mail server until Ctrl-C (`make run` starts it)."""
    dev_server.serve(current_app.instance_path, port or int(current_app.config["DEV_MAIL_PORT"]))


def init_app(app: Flask) -> None:
    """Register `flask mail`."""
    app.cli.add_command(mail_cli)
