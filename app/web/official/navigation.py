"""The console's menu: (endpoint, label, who sees it). Each console blueprint adds its own line."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import Role

BOTH = frozenset({Role.OFFICIAL, Role.ADMIN})
OFFICIALS = frozenset({Role.OFFICIAL})
ADMIN = frozenset({Role.ADMIN})

SECTIONS: list[tuple[str, object, frozenset]] = [
    ("official_pages.home", _l("Dashboard"), BOTH),
    ("rules_pages.overview", _l("Rules"), BOTH),
    ("official_rounds.index", _l("Rounds"), BOTH),
    ("invitee_pages.index", _l("Invitees"), OFFICIALS),
    ("employer_control_pages.index", _l("Employers"), OFFICIALS),
    ("offer_pages.index", _l("Job offers"), OFFICIALS),
    ("admin_pages.audit", _l("Audit trail"), ADMIN),
    ("admin_pages.accounts", _l("Official accounts"), ADMIN),
    ("rules_pages.taking_part", _l("Member states taking part"), ADMIN),
    # Administrators lift bars; a state's officials read their own state's findings.
    ("finding_pages.index", _l("False claims"), BOTH),
]


def sections_for(role: str) -> list[tuple[str, object]]:
    """The menu entries `role` may use, in order."""
    return [(endpoint, label) for endpoint, label, roles in SECTIONS if role in roles]


def current_entry(endpoints: list[str], endpoint: str | None, blueprint: str | None) -> str | None:
    """The menu entry of the page being shown: its own, or else the first of its blueprint (a
    round's page is under "Rounds"), so at most one entry is marked current."""
    if endpoint in endpoints:
        return endpoint
    return next((entry for entry in endpoints if blueprint and entry.startswith(blueprint + ".")), None)
