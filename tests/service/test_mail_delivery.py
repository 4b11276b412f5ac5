"""The sender: the outbox delivered over a real SMTP server, retried, dead-lettered, at most once across a crash."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from app import create_app, db
from app.notifications import delivery, outbox
from app.notifications.models import MessageStatus, OutboxMessage
from conftest import TEST_SETTINGS, free_port
from service.smtp_capture import SmtpCapture

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp():
    with SmtpCapture() as server:
        yield server


@pytest.fixture
def mail_app(database_url, smtp):
    application = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url, **smtp.settings,
                              "MAIL_FROM": "Talent Pool <pool@example.eu>", "MAIL_MAX_ATTEMPTS": 3,
                              "MAIL_RETRY_FIRST_SECONDS": 60})
    yield application
    application.extensions["talentpool.engine"].dispose()


def enqueue(app, recipient="ana@example.org", language="fr"):
    with app.app_context(), db.unit_of_work() as session:
        return outbox.enqueue(session, kind="test_message", recipient=recipient, language=language).id


def rows(app):
    with app.app_context(), db.unit_of_work() as session:
        return {row.id: row for row in session.exec(select(OutboxMessage)).all()}


def send(app):
    with app.app_context():
        return delivery.send_due()


def test_a_message_arrives_as_text_and_html_with_a_stable_message_id(mail_app, smtp):
    message_id = enqueue(mail_app)
    outcome = send(mail_app)
    assert (outcome.sent, outcome.retried, outcome.dead) == (1, 0, [])
    [mail] = smtp.messages
    stored = rows(mail_app)[message_id]
    assert mail["To"] == "ana@example.org" and mail["Subject"] == stored.subject
    assert mail["Message-ID"] == f"<outbox.{message_id}.{stored.created_at:%Y%m%d%H%M%S}@example.eu>"
    assert mail["Content-Language"] == "fr"
    assert mail.get_body(preferencelist=("plain",)).get_content().strip() == stored.text_body.strip()
    assert '<html lang="fr">' in mail.get_body(preferencelist=("html",)).get_content()
    assert stored.status == MessageStatus.SENT and stored.attempts == 1 and stored.sent_at is not None
    assert send(mail_app).sent == 0 and len(smtp.messages) == 1  # sent is final


@pytest.mark.parametrize("reply", ["451 4.3.0 Try again later", "554 5.7.1 Refused"])
def test_a_refused_message_is_retried_after_the_back_off(mail_app, smtp, frozen_clock, reply):
    message_id = enqueue(mail_app)
    smtp.refuse(reply)
    assert send(mail_app).retried == 1
    refused = rows(mail_app)[message_id]
    assert refused.status == MessageStatus.PENDING and refused.attempts == 1
    assert reply.split()[0] in refused.last_error
    assert send(mail_app).sent == 0  # not before the back-off
    frozen_clock.advance(seconds=61)
    assert send(mail_app).sent == 1
    assert len(smtp.messages) == 1 and rows(mail_app)[message_id].attempts == 2


def test_the_back_off_doubles_and_the_last_try_makes_a_dead_letter(mail_app, smtp, frozen_clock, caplog):
    message_id = enqueue(mail_app)
    smtp.refuse("451 4.3.0 Try again later", "451 4.3.0 Try again later", "451 4.3.0 Try again later")
    waits = []
    for _ in range(3):
        outcome = send(mail_app)
        row = rows(mail_app)[message_id]
        waits.append((row.next_attempt_at - frozen_clock.now()).total_seconds())
        frozen_clock.advance(seconds=400)
    assert outcome.dead == [message_id] and rows(mail_app)[message_id].status == MessageStatus.DEAD
    assert waits[:2] == [60, 120]
    assert "dead after 3 tries" in caplog.text
    assert send(mail_app).sent == 0 and smtp.messages == []
    with mail_app.app_context(), db.unit_of_work() as session:
        assert delivery.requeue(session, message_id)
    assert send(mail_app).sent == 1


def test_a_server_that_cannot_be_reached_is_a_retry(mail_app, smtp):
    message_id = enqueue(mail_app)
    nobody = delivery.SmtpTransport({**mail_app.config, "MAIL_PORT": free_port()})
    with mail_app.app_context():
        assert delivery.send_due(transport=nobody).retried == 1
    assert rows(mail_app)[message_id].status == MessageStatus.PENDING and smtp.messages == []


SENDER = """
import json, os, sys
sys.path[:0] = [os.environ["ROOT"], os.path.join(os.environ["ROOT"], "tests")]
from app import create_app
from app.notifications import delivery
app = create_app(json.loads(os.environ["SETTINGS"]))
with app.app_context():
    delivery.send_due()
"""


def test_a_sender_killed_between_claim_and_mark_sends_nothing_twice(mail_app, smtp, database_url, frozen_clock,
                                                                    caplog):
    """SIGKILL while the server holds the message: it stays `sending`, is not resent, becomes dead."""
    first = enqueue(mail_app)
    second = enqueue(mail_app, recipient="ben@example.org")
    smtp.hold()
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url, **smtp.settings}
    process = subprocess.Popen([sys.executable, "-c", SENDER], cwd=ROOT,
                               env={**os.environ, "ROOT": str(ROOT), "SETTINGS": json.dumps(settings)})
    try:
        smtp.wait_for(1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    smtp.release()
    assert rows(mail_app)[first].status == MessageStatus.SENDING
    # Within the claim's lease nobody touches it; the second message goes out.
    outcome = send(mail_app)
    assert outcome.sent == 1 and outcome.interrupted == []
    frozen_clock.advance(seconds=600 + 120)  # past the lease, counted from the subprocess's own (later) clock
    outcome = send(mail_app)
    assert outcome.interrupted == [first] and outcome.sent == 0
    after = rows(mail_app)
    assert after[first].status == MessageStatus.DEAD and "interrupted" in after[first].last_error
    assert after[second].status == MessageStatus.SENT
    assert [mail["To"] for mail in smtp.messages] == ["ana@example.org", "ben@example.org"]
    assert "interrupted during delivery" in caplog.text


def test_flask_mail_send_delivers_and_says_so(mail_app, smtp):
    enqueue(mail_app)
    result = mail_app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output and len(smtp.messages) == 1


def test_production_refuses_to_send_without_a_mail_host(tmp_path):
    from app.config import ConfigurationError, require_production_mail

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "MAIL_HOST": None})
    with pytest.raises(ConfigurationError, match="MAIL_HOST"):
        require_production_mail(app)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 2 and "MAIL_HOST" in result.output
