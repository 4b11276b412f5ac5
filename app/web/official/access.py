"""Who may see a console page, and for which member state.

An official sees only their own state: the state comes from the account, never from the URL, so
no page can be pointed at another state. An administrator (no state of their own) picks one with
`?state=XX` where a page is about one state; pages that are not about one state (the audit trail,
accounts) take `admin_only=True`.
"""
from __future__ import annotations

from flask import request

from app.accounts.models import Account, Role
from app.web.candidate.signed_in import page_for

CONSOLE_ROLES = (Role.OFFICIAL, Role.ADMIN)


def state_of(account: Account) -> str | None:
    """The member state a page shows to `account`: the official's own, or the administrator's choice."""
    if account.role == Role.OFFICIAL:
        return account.state_code
    chosen = (request.args.get("state") or request.form.get("state") or "").upper()
    return chosen or None


def official_page(view=None, *, admin_only: bool = False):
    """Call `view(account, ...)` for a signed-in official or administrator (only administrators with
    `admin_only`); others sign in first, or get a 403."""
    decorate = page_for(Role.ADMIN) if admin_only else page_for(*CONSOLE_ROLES)
    return decorate(view) if view is not None else decorate
