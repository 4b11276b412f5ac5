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
# Who a route is for, in the refusal's words.
ROLE_NAMES = {Role.CANDIDATE: "candidates", Role.OFFICIAL: "member-state officials", Role.ADMIN: "administrators",
              Role.EMPLOYER: "employers"}
SIGNED_IN_AS = {Role.CANDIDATE: "a candidate", Role.OFFICIAL: "an official", Role.ADMIN: "an administrator",
                Role.EMPLOYER: "an employer"}


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


def wrong_role(roles: tuple[Role, ...], role: Role) -> str:
    """The refusal of this route to `role`: the route, who it is for, and who is calling (the old
    message spoke of the caller's role, so an official calling the audit trail read "Officials can
    only manage their own member state.")."""
    allowed = " and ".join(ROLE_NAMES[r] for r in roles)
    return f"{request.method} {request.path} is for {allowed} only; you are signed in as {SIGNED_IN_AS[role]}."


def require(*roles: Role):
    """Let only accounts with one of `roles` through (401 when not signed in, 403 otherwise)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            account = current_account()
            if account.role not in roles:
                raise Forbidden(wrong_role(roles, Role(account.role)))
            return view(*args, **kwargs)

        return guarded

    return decorate
