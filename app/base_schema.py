"""The base every schema derives from: unknown fields are an error, never silently dropped."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import RAISE, ValidationError, fields


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


class BoundedDateTime(fields.AwareDateTime):
    """An aware date-time in the years 2001 to 2998, checked before any arithmetic.

    Python's datetimes stop at the years 1 and 9999, so `0001-01-01T00:00+01:00` converted to UTC,
    or a date near 9999 plus a few days, raises OverflowError (it was a 500); no date the service
    schedules lies outside these years.
    """

    MIN_YEAR, MAX_YEAR = 2000, 2999

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        description = metadata.get("description", "")
        metadata["description"] = (description + " " if description else "") + \
            f"With a UTC offset; in the years {self.MIN_YEAR + 1} to {self.MAX_YEAR - 1}."
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not self.MIN_YEAR < moment.year < self.MAX_YEAR:  # a year away from the edges: offsets stay inside
            raise ValidationError(f"Use a time in the years {self.MIN_YEAR + 1} to {self.MAX_YEAR - 1}.")
        return moment
