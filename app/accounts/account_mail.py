"""The account's own messages: the verification link, the reset link, "you are registered already".

Each is written to the outbox (`app.notifications.outbox`) in the caller's transaction, in the
language of the page or API request that caused it (the account has no stored language), with a
link to the pages at `PUBLIC_URL`. The raw token travels only in the mail; the link's token is a
query parameter of a page that asks for a button press before using it, so a mail scanner that
follows links uses nothing up.
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from flask_babel import get_locale
from sqlmodel import Session

from app.accounts import mail_tokens
from app.accounts.models import Account, MailTokenPurpose
from app.config import setting
from app.notifications import outbox


def request_language() -> str:
    """The language of the current page or API request (its `Accept-Language`), English without one."""
    locale = get_locale()
    return str(locale) if locale else "en"


def link(path: str, token: str) -> str:
    return f"{setting('PUBLIC_URL').rstrip('/')}{path}?{urlencode({'token': token})}"


def send_verification(session: Session, account: Account, email: str, language: str | None = None, *,
                      kind: str | None = None, page: str = "/account/verify") -> None:
    """Mail `email` a link that proves it belongs to `account` (its address now, or the one it moves to).

    `kind` and `page`: another message and page for the same link (an employer's first person is
    not told about a profile)."""
    ttl = timedelta(hours=float(setting("VERIFICATION_TTL_HOURS")))
    raw = mail_tokens.issue(session, account, MailTokenPurpose.VERIFY, email, ttl)
    kind = kind or ("account_verify" if email == account.email else "address_verify")
    outbox.enqueue(session, kind=kind, recipient=email, language=language or request_language(),
                   account_id=account.id, context={"link": link(page, raw),
                                                   "hours": int(ttl.total_seconds() // 3600)})


def send_already_registered(session: Session, account: Account, language: str | None = None) -> None:
    """Tell the owner of `account` that someone tried to register (or move another account to) their address."""
    outbox.enqueue(session, kind="account_exists", recipient=account.email, language=language or request_language(),
                   account_id=account.id, context={"sign_in": f"{setting('PUBLIC_URL').rstrip('/')}/sign-in",
                                                   "reset": f"{setting('PUBLIC_URL').rstrip('/')}/password/forgotten"})


def send_reset(session: Session, account: Account, language: str | None = None) -> None:
    """Mail the owner a single-use link to choose a new password."""
    ttl = timedelta(minutes=float(setting("PASSWORD_RESET_TTL_MINUTES")))
    raw = mail_tokens.issue(session, account, MailTokenPurpose.RESET, account.email, ttl)
    outbox.enqueue(session, kind="password_reset", recipient=account.email, language=language or request_language(),
                   account_id=account.id, context={"link": link("/password/reset", raw),
                                                   "minutes": int(ttl.total_seconds() // 60)})


def send_password_changed(session: Session, account: Account, language: str | None = None) -> None:
    """Tell the owner their password changed, so a change they did not make does not go unseen."""
    outbox.enqueue(session, kind="password_changed", recipient=account.email, language=language or request_language(),
                   account_id=account.id,
                   context={"reset": f"{setting('PUBLIC_URL').rstrip('/')}/password/forgotten"})
