"""Small functions the templates call that are about showing things, not about the service."""
from __future__ import annotations

import unicodedata

from flask_babel import format_date, format_time
from wtforms import Form

from app.web.forms import input_fields


def moment(value) -> str:
    """A date and time to the minute in the page's language ("1 Dec 2026, 22:10"); times are UTC."""
    return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"


def by_state_name(items, state_name) -> list:
    """Member states (rows with `.code`, or dicts with "state") in the alphabetical order of their
    names in the page's language, accents folded: "Österreich" among the O's, "Éire" among the E's."""
    def key(item):
        code = item["state"] if isinstance(item, dict) else item.code
        folded = unicodedata.normalize("NFKD", state_name(code).casefold())
        return "".join(c for c in folded if not unicodedata.combining(c))

    return sorted(items, key=key)


def form_errors(form: Form) -> list[tuple[str, str]]:
    """Every error of `form` as (id of the field to link to, message), in the form's order.

    Sub-forms (FormField) and repeated fields (FieldList) are walked, so the error summary links
    to the very input at fault; the CSRF field's error is shown against the form as a whole.
    """
    found: list[tuple[str, str]] = []
    for field in input_fields(form):
        target = "error-summary" if field.name.endswith("csrf_token") else field.id
        found.extend((target, message) for message in field.errors if isinstance(message, str))
    for message in getattr(form, "form_errors", []):
        found.append(("error-summary", message))
    return found
