"""Every action the audit trail records, with what it means.

The list is the contract of `GET /audit-events?action=` (an unknown action is a 422, not an
empty page that looks like "nothing happened") and of the OpenAPI document's enum; `trail.record`
refuses an action missing here, so a new audited action is added in this one place.
"""
from __future__ import annotations

ACTIONS = {
    "account.create": "An account created from the command line.",
    "session.sign_in": "An official or administrator signed in.",
    "session.sign_out": "An official or administrator revoked their token.",
    "throttle.lift": "An operator lifted a sign-in limit (`flask accounts unthrottle`).",
    "overlay.update": "A new version of a state's grid overlay.",
    "ceiling.update": "A state's annual invitation ceiling changed.",
    "category.create": "A state's category created.",
    "category.update": "A state's category replaced.",
    "category.delete": "A state's category removed.",
    "round.schedule": "A round scheduled.",
    "round.cancel": "A scheduled round cancelled.",
    "demo.seed": "Demonstration data written (`flask demo seed`).",
}
ACTOR_ROLES = ("candidate", "official", "admin", "cli")
