"""The browser tests' mail: the outbox the server wrote, delivered by the real sender to a real SMTP
server in the test process, and a link read from what that server received."""
from __future__ import annotations

from urllib.parse import urlsplit

from service.smtp_capture import SmtpCapture, link_in

from app import create_app
from app.notifications import delivery


def delivered_link(database_url: str, recipient: str, path: str) -> str:
    """Send what is due, and return the path and query of the link to `path` in `recipient`'s newest mail."""
    with SmtpCapture() as smtp:
        app = create_app({"TESTING": True, "SECRET_KEY": "browser", "DATABASE_URL": database_url, **smtp.settings})
        try:
            with app.app_context():
                delivery.send_due()
        finally:
            app.extensions["talentpool.engine"].dispose()
        mails = [mail for mail in smtp.messages if mail["To"] == recipient]
        assert mails, f"no mail to {recipient}"
        link = urlsplit(link_in(mails[-1], path))
    return f"{link.path}?{link.query}"
