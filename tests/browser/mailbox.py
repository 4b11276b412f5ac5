"""The browser tests' mail: the outbox the server wrote, delivered by the real sender to a real SMTP
server in the test process, and the newest mail, or a link in it, read from what that server received."""
from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import urlsplit

from service.smtp_capture import SmtpCapture, link_in

from app import create_app
from app.notifications import delivery


def delivered_mail(database_url: str, recipient: str) -> EmailMessage:
    """Send what is due, and return the newest mail `recipient` received."""
    with SmtpCapture() as smtp:
        app = create_app({"TESTING": True, "SECRET_KEY": "browser", "DATABASE_URL": database_url, **smtp.settings})
        try:
            with app.app_context():
                delivery.send_due()
        finally:
            app.extensions["talentpool.engine"].dispose()
        mails = [mail for mail in smtp.messages if mail["To"] == recipient]
        assert mails, f"no mail to {recipient}"
        return mails[-1]


def delivered_link(database_url: str, recipient: str, path: str) -> str:
    """Send what is due, and return the path and query of the link to `path` in `recipient`'s newest mail."""
    return link_path(delivered_mail(database_url, recipient), path)


def link_path(mail: EmailMessage, path: str) -> str:
    """The path and query of the link to `path` in `mail`, to open on the test's own server."""
    link = urlsplit(link_in(mail, path))
    return f"{link.path}?{link.query}"


def plain_text(mail: EmailMessage) -> str:
    """The mail's plain-text part, as a person reads it."""
    return mail.get_body(preferencelist=("plain",)).get_content()
