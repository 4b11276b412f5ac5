"""Member states and what their officials configure, on the wire."""
from __future__ import annotations

import copy

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
    taking_part = fields.Boolean(required=True, metadata={"description": "Whether it takes part in the pool today."})


class OverlaySchema(Schema):
    """A state's additions to the `eu` grid as stored and shown: every field present."""

    state = fields.String(validate=validate.OneOf(MEMBER_STATES), metadata={
        "description": "Defaults to the path's; another state's code is refused (422)."})
    name = fields.String(required=True, validate=validate.Length(1, 64))
    version = fields.String(required=True, validate=validate.Length(1, 64),
                            metadata={"description": "A label unique among this state's revisions."})
    description = fields.String(required=True, validate=validate.Length(max=2000))
    sources = fields.List(fields.String(validate=validate.Length(max=500)), required=True,
                          validate=validate.Length(max=50))
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), required=True,
                            validate=validate.Length(max=26))
    shortage_occupations = fields.List(fields.String(validate=ISCO_PREFIX), required=True,
                                       validate=validate.Length(max=600))
    min_total = fields.Integer(required=True, strict=True, validate=validate.Range(0, MAX_POINTS))
    points = fields.Nested(points_schema(shipped_grid()), required=True, metadata={
        "description": "Overrides of the per-state factor tables ({} for none)."})
    demo_data = StrictBoolean(required=True)


EFFECTIVE_FROM = {"metadata": {"description": "The date the revision takes effect; default and earliest: the "
                                              "date of the next nightly ranking."}}


class OverlayReplacementSchema(OverlaySchema):
    """`PUT`: a full replacement, so every field is required (nothing is kept or dropped unsaid)."""

    effective_from = fields.Date(**EFFECTIVE_FROM)


def _optional(field: fields.Field) -> fields.Field:
    optional = copy.copy(field)
    optional.required = False
    return optional


# `PATCH`: the fields given replace the newest revision's (`points` merges per factor); `version`
# is required, since the result is a new revision with its own label.
OverlayChangesSchema = Schema.from_dict({
    **{name: _optional(field) for name, field in OverlaySchema._declared_fields.items()},
    "version": OverlaySchema._declared_fields["version"],
    "effective_from": fields.Date(**EFFECTIVE_FROM),
}, name="OverlayChangesSchema")


class OverlayRevisionSchema(Schema):
    state = fields.String(required=True)
    revision = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The stored version's id; null for the overlay shipped with the grid."})
    source = fields.String(required=True, validate=validate.OneOf(["shipped", "official"]))
    effective_from = fields.Date(allow_none=True, required=True, metadata={
        "description": "The date it takes effect; null for the shipped overlay (in force until a revision is)."})
    in_force = fields.Boolean(required=True, metadata={"description": "Whether this is the revision in force today."})
    saved_at = fields.AwareDateTime(allow_none=True, required=True)
    saved_by = fields.Integer(allow_none=True, required=True)
    overlay = fields.Nested(OverlaySchema, required=True)


class ParticipationChangeSchema(Schema):
    taking_part = StrictBoolean(required=True)
    effective_from = fields.Date(**EFFECTIVE_FROM)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class ParticipationPlanSchema(Schema):
    taking_part = fields.Boolean(required=True)
    effective_from = fields.Date(required=True)
    reason = fields.String(required=True)


class ParticipationSchema(Schema):
    state = fields.String(required=True)
    taking_part = fields.Boolean(required=True)
    since = fields.Date(allow_none=True, required=True)
    reason = fields.String(required=True)
    upcoming = fields.List(fields.Nested(ParticipationPlanSchema), required=True)


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
    effective_from = fields.Date(**EFFECTIVE_FROM)


class CategoryRevisionSchema(Schema):
    revision = fields.Integer(required=True)
    title = fields.String(required=True)
    definition = fields.Nested(CategoryDefinitionSchema, required=True)
    effective_from = fields.Date(required=True, metadata={"description": "The date the revision takes effect."})
    created_at = fields.AwareDateTime(required=True)
    in_force = fields.Boolean(required=True, metadata={"description": "Whether it is the revision in force today."})


class CategorySchema(Schema):
    state = fields.String(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True, metadata={"description": "The title in force today."})
    definition = fields.Nested(CategoryDefinitionSchema, required=True,
                               metadata={"description": "The definition in force today."})
    effective_from = fields.Date(required=True, metadata={
        "description": "The date the revision in force today took effect (a new category's first revision "
                       "applies before its date too)."})
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True, metadata={"description": "When the newest revision was saved."})
    revisions = fields.List(fields.Nested(CategoryRevisionSchema), required=True,
                            metadata={"description": "Every revision, by the date it takes effect."})


class CategoryKeyArgs(Schema):
    key = fields.String(required=True, validate=CATEGORY_KEY)


ROUND_SIZE = fields.Integer(strict=True, validate=validate.Range(1, 1_000_000), metadata={
    "description": "The round to preview; default: the state's last completed round's quota."})

# A preview of an overlay change: the PATCH body, without needing a label yet.
OverlayPreviewSchema = Schema.from_dict({
    **{name: _optional(field) for name, field in OverlaySchema._declared_fields.items()},
    "effective_from": fields.Date(**EFFECTIVE_FROM),
    "round_size": ROUND_SIZE,
}, name="OverlayPreviewSchema")


class MinimumPreviewSchema(Schema):
    min_total = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100_000))
    effective_from = fields.Date(**EFFECTIVE_FROM)
    round_size = ROUND_SIZE


class CategoryPreviewSchema(Schema):
    definition = fields.Nested(CategoryDefinitionSchema, required=True)
    round_size = ROUND_SIZE


class CutoffPreviewSchema(Schema):
    score = fields.Integer(allow_none=True, required=True)
    submitted_at = fields.AwareDateTime(allow_none=True, required=True,
                                        metadata={"description": "The tie-break time of the last invitee."})


class PreviewSideSchema(Schema):
    eligible = fields.Integer(required=True)
    histogram = fields.List(fields.Integer(), required=True, metadata={"description": "Counts per bin of bin_edges."})
    invited = fields.Integer(required=True)
    cutoff = fields.Nested(CutoffPreviewSchema, required=True)


class PreviewRunSchema(Schema):
    id = fields.Integer(required=True)
    run_date = fields.Date(required=True)


class PreviewSchema(Schema):
    """What the change would do at the state, on the latest ranking run's pool (nothing is saved)."""

    state = fields.String(required=True)
    effective_from = fields.Date(required=True)
    ranking_run = fields.Nested(PreviewRunSchema, allow_none=True, required=True)
    round_size = fields.Integer(allow_none=True, required=True)
    round_size_source = fields.String(allow_none=True, required=True,
                                      validate=validate.OneOf(["given", "last_round"]))
    candidates = fields.Integer(required=True, metadata={"description": "Candidates who chose the state."})
    gain_eligibility = fields.Integer(required=True)
    lose_eligibility = fields.Integer(required=True)
    more_points = fields.Integer(required=True)
    fewer_points = fields.Integer(required=True)
    bin_edges = fields.List(fields.Integer(), required=True, metadata={"description": "Lower edge of each bin."})
    bin_width = fields.Integer(required=True)
    before = fields.Nested(PreviewSideSchema, required=True)
    after = fields.Nested(PreviewSideSchema, required=True)
