"""The links the service mailed, read from the outbox (the delivery itself is tests/service/test_mail_delivery.py)."""
from __future__ import annotations

from urllib.parse import urlsplit

from profile_form_posts import csrf_token
from sqlmodel import select

from app import db
from app.notifications.models import OutboxMessage


def mailed_link(app, kind: str, recipient: str | None = None) -> str:
    """The path and query of the link in the newest message of `kind` (to `recipient`)."""
    with app.app_context(), db.unit_of_work() as session:
        statement = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id.desc())
        if recipient:
            statement = statement.where(OutboxMessage.recipient == recipient)
        message = session.exec(statement).first()
    assert message is not None, f"no {kind} message"
    for word in message.text_body.split():
        if "token=" in word:
            parts = urlsplit(word)
            return f"{parts.path}?{parts.query}"
    raise AssertionError(message.text_body)


def follow_verification(app, client, recipient: str | None = None):
    """Open the verification link and press its button, as the candidate does."""
    link = mailed_link(app, "account_verify", recipient)
    page = client.get(link)
    token = link.split("token=", 1)[1]
    return client.post("/account/verify", data={"csrf_token": csrf_token(page.text), "token": token})
