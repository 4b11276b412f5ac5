"""Every action the audit trail records, by name: what the administrators' filter offers.

Kept as a list rather than read from the table, so that an action nobody has done yet can be
chosen too, and a filter on a misspelt action is refused instead of answering nothing.
`tests/service/test_audit_actions.py` fails when code records an action missing here.
"""
from __future__ import annotations

KNOWN_ACTIONS: tuple[str, ...] = (
    "account.create",
    "account.disable",
    "account.enable",
    "category.create",
    "category.delete",
    "category.update",
    "ceiling.update",
    "demo.seed",
    "overlay.update",
    "round.cancel",
    "round.schedule",
    "session.sign_in",
    "session.sign_out",
    "throttle.lift",
    "two_factor.enrol",
    "two_factor.recovery_code_use",
    "two_factor.reset",
)
