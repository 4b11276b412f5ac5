"""Adding a message to the outbox, in the caller's transaction and in the recipient's language.

`enqueue` renders three templates of `templates/mail/`: `<kind>.subject.txt`, `<kind>.txt` and
`<kind>.html` (which extends `_layout.html`), with Flask-Babel set to the recipient's language,
so a message is translated like every page. It adds the rows (the message and its body,
`models.OutboxBody`) in the caller's session and never commits: the message lands with the
change it tells of, or not at all.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Flask, render_template
from flask_babel import force_locale
from sqlalchemy import Connection, delete, exists, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app import clock
from app.notifications.models import MessageStatus, OutboxBody, OutboxMessage

BODIES = OutboxBody.__table__

# The messages' templates (no routes): registered so `render_template("mail/...")` finds them.
templates = Blueprint("notifications", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(templates)


def render(kind: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a message of `kind` in `language`."""
    with force_locale(language):
        subject = " ".join(render_template(f"mail/{kind}.subject.txt", **context).split())
        text_body = render_template(f"mail/{kind}.txt", **context).strip() + "\n"
        html_body = render_template(f"mail/{kind}.html", **context)
    return subject, text_body, html_body


def enqueue(session: Session, *, kind: str, recipient: str, language: str, context: dict | None = None,
            account_id: int | None = None, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Add a message to the outbox in `session`'s transaction; None if `dedupe_key` was already used.

    The insert is one `INSERT ... ON CONFLICT DO NOTHING` on the key, so two processes enqueueing
    the same event never fail, and the loser adds nothing; the transaction stays usable either way.
    The message's body is its own (rendered for this recipient), so a duplicate's is deleted again.
    """
    body_id = add_body(session.connection(), render(kind, language, context or {}))
    now = clock.now()
    values = dict(account_id=account_id, kind=kind, recipient=recipient, language=language, body_id=body_id,
                  dedupe_key=dedupe_key, created_at=now, status=MessageStatus.PENDING.value, attempts=0,
                  next_attempt_at=now)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(OutboxMessage).values(**values)
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    inserted = session.execute(statement.returning(OutboxMessage.id)).scalar_one_or_none()
    if inserted is None:
        delete_unused_bodies(session.connection(), [body_id])
        return None
    return session.get(OutboxMessage, inserted)


def add_body(connection: Connection, rendered: tuple[str, str, str]) -> int:
    """Store one rendered (subject, text, HTML); its id, for the messages that say it."""
    subject, text_body, html_body = rendered
    return connection.execute(insert(BODIES).values(subject=subject, text_body=text_body, html_body=html_body)
                              .returning(BODIES.c.id)).scalar_one()


def delete_unused_bodies(connection: Connection, body_ids: Iterable[int] | None = None) -> int:
    """Delete the bodies (of `body_ids`, or all) that no message says any more; how many."""
    messages = OutboxMessage.__table__
    statement = delete(BODIES).where(~exists().where(messages.c.body_id == BODIES.c.id))
    if body_ids is not None:
        ids = sorted(set(body_ids))
        if not ids:
            return 0
        statement = statement.where(BODIES.c.id.in_(ids))
    return connection.execute(statement).rowcount


def for_account(session: Session, account_id: int) -> list[OutboxMessage]:
    """The messages of one account, newest first: the candidate's page of events and the export."""
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.account_id == account_id)
                             .order_by(OutboxMessage.id.desc())).all())
