"""Browser sessions: a signed, HttpOnly cookie that holds a bearer token from `app.accounts.tokens`.

A page signs in through the same token service as the API, so a browser session can be revoked,
expires and is throttled exactly like a token, and signing out revokes it on the server (a signed
cookie alone could not be taken back). The cookie is SameSite=Lax, and Secure whenever the
request came over HTTPS (as `app.proxies` reports it behind a proxy): a fixed `Secure` would stop
sign-in on a developer's plain-HTTP loopback, and a missing one would leak it on a network.

`start` rotates the session: everything the browser held before signing in, the CSRF token
included, is dropped, so nothing planted in a session before sign-in survives into it.
"""
from __future__ import annotations

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface

from app import db
from app.accounts import tokens
from app.accounts.models import Account, Token

TOKEN_KEY = "token"


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, Secure exactly when the request is over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def start(raw_token: str) -> None:
    """Sign the browser in with a token just issued: a fresh session (and so a fresh CSRF token)."""
    session.clear()
    session[TOKEN_KEY] = raw_token
    session.permanent = False


def end() -> str | None:
    """Forget the session; returns the token it held, for the caller to revoke."""
    raw = session.get(TOKEN_KEY)
    session.clear()
    return raw


def signed_in() -> tuple[Account, Token] | None:
    """The account and token of the browser's session, or None (also for a revoked or expired token)."""
    raw = session.get(TOKEN_KEY)
    return tokens.authenticate(db.session(), raw) if raw else None


def init_app(app: Flask) -> None:
    app.config["SESSION_COOKIE_NAME"] = "talentpool_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = SessionCookies()
