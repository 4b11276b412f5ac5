"""Member states and what their officials configure, on the wire."""
from __future__ import annotations

from marshmallow import fields, validate

from ranking.grid.points import MAX_POINTS

from app.base_schema import Schema, StrictBoolean
from app.profiles.schemas import LANGUAGES, LEVELS, MEMBER_STATES
from app.states.codes import CATEGORY_KEY_PATTERN
from app.states.grid import shipped_grid
from app.states.overlay_points import points_schema

ISCO_PREFIX = validate.Regexp(r"^[0-9]{1,4}$", error="An ISCO-08 prefix is 1 to 4 digits, e.g. \"22\".")
CATEGORY_KEY = validate.Regexp(CATEGORY_KEY_PATTERN,
                               error="Use 1-64 lower-case letters, digits, '-' or '_'.")


class StateSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    annual_invitation_ceiling = fields.Integer(allow_none=True, required=True)


class OverlaySchema(Schema):
    """A state's additions to the `eu` grid; the points engine validates the content."""

    state = fields.String(validate=validate.OneOf(MEMBER_STATES), metadata={
        "description": "Defaults to the path's; another state's code is refused (422)."})
    name = fields.String(validate=validate.Length(1, 64))
    version = fields.String(required=True, validate=validate.Length(1, 64))
    description = fields.String(validate=validate.Length(max=2000))
    sources = fields.List(fields.String(validate=validate.Length(max=500)), validate=validate.Length(max=50))
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), validate=validate.Length(max=26))
    shortage_occupations = fields.List(fields.String(validate=ISCO_PREFIX), validate=validate.Length(max=600))
    min_total = fields.Integer(strict=True, validate=validate.Range(0, MAX_POINTS))
    points = fields.Nested(points_schema(shipped_grid()), metadata={
        "description": "Overrides of the per-state factor tables."})
    demo_data = StrictBoolean()


class OverlayRevisionSchema(Schema):
    state = fields.String(required=True)
    revision = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The stored version's id; null for the overlay shipped with the grid."})
    source = fields.String(required=True, validate=validate.OneOf(["shipped", "official"]))
    saved_at = fields.AwareDateTime(allow_none=True, required=True)
    saved_by = fields.Integer(allow_none=True, required=True)
    overlay = fields.Nested(OverlaySchema, required=True)


class CeilingSchema(Schema):
    annual_invitation_ceiling = fields.Integer(required=True, allow_none=True, strict=True,
                                               validate=validate.Range(0, 10_000_000))


class CeilingStateSchema(CeilingSchema):
    state = fields.String(required=True)
    updated_at = fields.AwareDateTime(allow_none=True, required=True)


class MinLanguageSchema(Schema):
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), validate=validate.Length(1, 26))


class CategoryDefinitionSchema(Schema):
    """Predicates over a candidate's profile; all present ones must hold."""

    occupations = fields.List(fields.String(validate=ISCO_PREFIX), validate=validate.Length(1, 200))
    min_years = fields.Integer(strict=True, validate=validate.Range(1, 50))
    min_language = fields.Nested(MinLanguageSchema)
    min_education_level = fields.Integer(strict=True, validate=validate.Range(1, 8))


class CategoryInputSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(1, 200))
    definition = fields.Nested(CategoryDefinitionSchema, required=True, metadata={
        "minProperties": 1,
        "description": "At least one condition; `min_years` only together with `occupations`."})


class CategorySchema(CategoryInputSchema):
    state = fields.String(required=True, attribute="state_code")
    key = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class CategoryKeyArgs(Schema):
    key = fields.String(required=True, validate=CATEGORY_KEY)
