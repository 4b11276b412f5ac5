"""Adding a message to the outbox, in the caller's transaction and in the recipient's language.

`enqueue` renders three templates of `templates/mail/`: `<kind>.subject.txt`, `<kind>.txt` and
`<kind>.html` (which extends `_layout.html`), with Flask-Babel set to the recipient's language,
so a message is translated like every page. It adds the row to the caller's session and never
commits: the message lands with the change it tells of, or not at all.
"""
from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app import clock
from app.notifications.models import MessageStatus, OutboxMessage

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
    """
    subject, text_body, html_body = render(kind, language, context or {})
    now = clock.now()
    values = dict(account_id=account_id, kind=kind, recipient=recipient, language=language, subject=subject,
                  text_body=text_body, html_body=html_body, dedupe_key=dedupe_key, created_at=now,
                  status=MessageStatus.PENDING.value, attempts=0, next_attempt_at=now)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(OutboxMessage).values(**values)
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    inserted = session.execute(statement.returning(OutboxMessage.id)).scalar_one_or_none()
    return None if inserted is None else session.get(OutboxMessage, inserted)


def for_account(session: Session, account_id: int) -> list[OutboxMessage]:
    """The messages of one account, newest first: the candidate's page of events and the export."""
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.account_id == account_id)
                             .order_by(OutboxMessage.id.desc())).all())
