"""The outbox: a message lands with the change that caused it, once per event, in its recipient's language."""
from __future__ import annotations

from sqlmodel import select

from app import db
from app.notifications import outbox
from app.notifications.models import MessageStatus, OutboxMessage


def test_a_message_is_rendered_in_the_recipients_language_and_kept_pending(app):
    with app.app_context():
        with db.unit_of_work() as session:
            english = outbox.enqueue(session, kind="test_message", recipient="a@example.org", language="en")
            french = outbox.enqueue(session, kind="test_message", recipient="b@example.org", language="fr")
        with db.unit_of_work() as session:
            rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [row.recipient for row in rows] == ["a@example.org", "b@example.org"]
    assert english is not None and french is not None
    assert rows[0].subject != rows[1].subject  # translated, not the English text twice
    assert all(row.status == MessageStatus.PENDING and row.attempts == 0 for row in rows)
    assert rows[1].subject in rows[1].html_body and "<html lang=\"fr\">" in rows[1].html_body
    assert rows[0].text_body.endswith("\n") and "<" not in rows[0].text_body


def test_the_same_event_is_enqueued_once_and_the_transaction_stays_usable(app):
    with app.app_context():
        with db.unit_of_work() as session:
            first = outbox.enqueue(session, kind="test_message", recipient="a@example.org", language="en",
                                   dedupe_key="event:1")
            again = outbox.enqueue(session, kind="test_message", recipient="a@example.org", language="en",
                                   dedupe_key="event:1")
            other = outbox.enqueue(session, kind="test_message", recipient="a@example.org", language="en",
                                   dedupe_key="event:2")
        with db.unit_of_work() as session:
            count = len(session.exec(select(OutboxMessage)).all())
    assert first is not None and again is None and other is not None
    assert count == 2


def test_a_rolled_back_change_leaves_no_message(app):
    with app.app_context():
        try:
            with db.unit_of_work() as session:
                outbox.enqueue(session, kind="test_message", recipient="a@example.org", language="de")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
        with db.unit_of_work() as session:
            assert session.exec(select(OutboxMessage)).all() == []
