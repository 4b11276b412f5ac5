"""The language a person's mails are written in: the one they last used the service in.

Taken from the request's language (Flask-Babel's choice: `?lang=`, the cookie, Accept-Language)
where a person registers and where they save their profile, so a candidate who filled the form
in German gets German mails, months later, from a nightly job that has no request to ask.
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale

from app.accounts.models import Account


def remember(account: Account) -> Account:
    """Store the request's language on `account` (in the caller's session); returns the account."""
    if has_request_context():
        chosen = str(get_locale() or "")
        if chosen and account.language != chosen:
            account.language = chosen
    return account
