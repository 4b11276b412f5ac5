"""A member-state code as it arrives in a request, checked one way wherever it appears; and a
category key in a path, documented with the pattern the service holds it to.

In a path (`/states/<state:code>/...`, the `state` converter) and in a query (`?state=`, the
`StateCode` field) a code that is not one of the grid's member states is a 404 naming it, before
anything else looks at the request: `/rounds?state=XX` used to answer `[]` while
`/states/XX/rounds` answered 404. The OpenAPI document lists the codes (an `enum`) in both places.
The codes are the grid's (`states.grid.state_codes`), the same 27 the `member_state` table holds.
"""
from __future__ import annotations

from marshmallow import fields
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from app.states.grid import state_codes

STATE_CODES = tuple(state_codes())
DESCRIPTION = "An EU member state's two-letter code, in capitals; any other code is a 404."


def check(code: str) -> str:
    """`code` if it names a member state, else a 404 saying so."""
    if code not in STATE_CODES:
        raise NotFound(f"There is no EU member state with the code {code!r}.")
    return code


class StateCodeConverter(BaseConverter):
    """`<state:code>`: one path segment of two characters (anything else matches no route), checked by `check`."""

    regex = "[^/]{2}"

    def to_python(self, value: str) -> str:
        return check(value)


def converter_schema(_converter) -> dict:
    """The OpenAPI schema of a `<state:...>` path parameter (flask-smorest's `register_converter`)."""
    return {"type": "string", "enum": list(STATE_CODES), "description": DESCRIPTION}


class StateCode(fields.String):
    """A `state` query parameter: a member-state code, or a 404 as in a path."""

    def __init__(self, **kwargs):
        metadata = {"enum": list(STATE_CODES), "description": DESCRIPTION, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return check(super()._deserialize(value, attr, data, **kwargs))


CATEGORY_KEY_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$"


class CategoryKeyConverter(BaseConverter):
    """`<category_key:key>`: any path segment of 1 to 64 characters reaches the view, which
    refuses a key off the pattern with a 422 naming it (a PUT would otherwise create it)."""

    regex = "[^/]{1,64}"


def category_key_schema(_converter) -> dict:
    """The OpenAPI schema of a `<category_key:...>` path parameter."""
    return {"type": "string", "pattern": CATEGORY_KEY_PATTERN, "minLength": 1, "maxLength": 64}
