"""The base every schema derives from: unknown fields are an error, never silently dropped."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import RAISE, fields


class Schema(ma.Schema):
    """Rejects unknown fields, so a client can never slip in a score, a status or someone else's id."""

    class Meta:
        unknown = RAISE


class StrictBoolean(fields.Boolean):
    """Only JSON `true`/`false`; marshmallow's Boolean would also take "yes", 1 or "on"."""

    truthy = {True}
    falsy = {False}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
