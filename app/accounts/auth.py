"""Who is calling: the bearer token on the request, resolved once per request."""
from __future__ import annotations

from functools import wraps

from flask import g, request

from app import db
from app.accounts import tokens
from app.accounts.models import Account, Role, Token
from app.errors import Forbidden, Unauthorized

# The OpenAPI security scheme of bearer tokens, and the requirement views that need one declare.
SCHEME = "bearerAuth"
BEARER = [{SCHEME: []}]
ROLE_PLACES = {
    Role.CANDIDATE: "Candidates can only reach their own data under /api/v1/me.",
    Role.OFFICIAL: "Officials can only manage their own member state.",
    Role.ADMIN: "Administrators cannot do this.",
}


def _bearer() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def current() -> tuple[Account, Token]:
    """The signed-in account and its token, or 401."""
    if "auth" not in g:
        raw = _bearer()
        if raw is None:
            raise Unauthorized("Sign in first: send `Authorization: Bearer <token>` (tokens come from POST /api/v1/tokens).")
        found = tokens.authenticate(db.session(), raw)
        if found is None:
            raise Unauthorized("The token is unknown, expired or revoked; sign in again.")
        g.auth = found
    return g.auth


def current_account() -> Account:
    """The signed-in account, or 401."""
    return current()[0]


def require(*roles: Role):
    """Let only accounts with one of `roles` through (401 when not signed in, 403 otherwise)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            account = current_account()
            if account.role not in roles:
                raise Forbidden(ROLE_PLACES[Role(account.role)])
            return view(*args, **kwargs)

        return guarded

    return decorate
