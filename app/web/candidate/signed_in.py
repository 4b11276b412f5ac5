"""Which candidate a page is for: the account of the browser's session, or a way to sign in first."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for

from app.accounts.models import Role
from app.web import browser_session


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (never another site: `//evil.example` or `https://...`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def page_for(*roles: Role):
    """A decorator: call `view(account, ...)` for a signed-in account of one of `roles`; send anyone
    signed out to sign in, and answer 403 to other roles.

    After signing in, the person comes back to the page they asked for (a GET: a form posted
    without a session has nothing to come back to but its page)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            found = browser_session.signed_in()
            if found is None:
                back = request.full_path.rstrip("?") if request.method == "GET" else request.path
                return redirect(url_for("account_pages.sign_in", next=back), 303)
            account, _token = found
            if account.role not in roles:
                abort(403)
            return view(account, *args, **kwargs)

        return wrapper

    return decorate


# A candidate's own pages.
candidate_page = page_for(Role.CANDIDATE)


def current_account():
    """The signed-in account or None, for the header's links (any role)."""
    found = browser_session.signed_in()
    return found[0] if found else None
