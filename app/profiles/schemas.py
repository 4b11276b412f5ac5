"""A candidate's expression of interest (the `eu` grid's inputs) and its score, on the wire.

The input schema is generated from the grid's input contract (`contract_schema`): its fields,
enums, ranges and list limits are the grid's, so the shape is checked here, field by field, and
a person gets one message per wrong field; the points engine then checks what only it knows
(e.g. plausible ages) and scores the profile. This module only adds the words.
"""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema
from app.hiring.verified_offers import candidate_inputs
from app.profiles.contract_schema import WorkingAge, Wording, schema_for
from app.states.grid import shipped_grid

_GRID = shipped_grid()
# The contract's value lists, for the other schemas that speak of the same things (overlays, categories).
MEMBER_STATES = _GRID.codes("preferences")
LANGUAGES = _GRID.codes("languages.language")
LEVELS = _GRID.codes("languages.listening")
STATUSES = ("active", "invited", "accepted", "withdrawn", "expired", "removed")

_NOT_A_STATE = "Not an EU member state code."
_LEVEL = "Use a CEFR level, A1 to C2."
_ISCO = "An ISCO-08 unit group is 4 digits, e.g. \"2512\"."
WORDING = Wording(
    errors={
        "languages.language": "Use the ISO 639-1 code of an official EU language (or lb, tr).",
        **{f"languages.{skill}": _LEVEL for skill in ("listening", "reading", "speaking", "writing")},
        "experience.occupation": _ISCO,
        "job_offer.state": _NOT_A_STATE,
        "job_offer.occupation": _ISCO,
        "preferences": _NOT_A_STATE,
    },
    descriptions={
        "education_level": "EQF level, 1-8.",
        "preferences": "Member states, most wanted first.",
        "experience": "Years per occupation; none above your age less 15 (work is counted from the age of 15).",
    },
    schema_names={"languages": "LanguageSchema", "experience": "ExperienceSchema", "job_offer": "JobOfferSchema"},
)

# Nobody's experience starts before 15 (ILO Convention 138's general minimum age for work).
WORKING_AGE = WorkingAge(birth="date_of_birth", years="experience.years", from_age=15)
# The verified offer is the service's to set (`app/hiring/verified_offers.py`), never the candidate's.
ProfileInputSchema = schema_for(candidate_inputs(_GRID.inputs), "ProfileInputSchema", WORDING,
                                "What a candidate submits; every other field of a profile is the service's to set.",
                                working_age=WORKING_AGE)


class StateScoreSchema(Schema):
    state = fields.String(required=True)
    preference = fields.Integer(required=True, metadata={"description": "1 = most wanted."})
    eligible = fields.Boolean(required=True)
    total = fields.Integer(allow_none=True, required=True,
                           metadata={"description": "Base total plus this state's additions; null if not eligible."})
    additions = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "Why not eligible here."})


class ScoreSchema(Schema):
    as_of = fields.Date(required=True, metadata={"description": "The date ages were computed at."})
    total = fields.Integer(required=True)
    eligible = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "Why not eligible."})
    breakdown = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    states = fields.List(fields.Nested(StateScoreSchema), required=True)


class UpcomingChangeSchema(Schema):
    state = fields.String(required=True)
    effective_from = fields.Date(required=True, metadata={"description": "The day the change takes effect."})
    kind = fields.String(required=True, validate=validate.OneOf(["overlay", "grid", "leaves_pool"]), metadata={
        "description": "overlay: the state's additions or minimum change; grid: a new version of the common grid "
                       "takes effect; leaves_pool: the state stops taking part."})
    grid_version = fields.String(metadata={"description": "With kind grid: the version that takes effect."})
    total_before = fields.Integer(allow_none=True, required=True, metadata={"description": "Your total there today."})
    eligible = fields.Boolean(required=True)
    total = fields.Integer(allow_none=True, required=True,
                           metadata={"description": "Your total there from that day; null if not eligible."})
    reasons = fields.List(fields.String(), required=True)


class StateStandingSchema(Schema):
    state = fields.String(required=True)
    total = fields.Integer(allow_none=True, required=True, metadata={"description": "The total ranked; null if not eligible there."})
    rank = fields.Integer(allow_none=True, required=True, metadata={"description": "1 = first at that state; null if not ranked."})


class StandingSchema(Schema):
    run_date = fields.Date(required=True, metadata={"description": "The nightly ranking this comes from."})
    states = fields.List(fields.Nested(StateStandingSchema), required=True)


class ProvisionalStandingSchema(StandingSchema):
    provisional = fields.Boolean(required=True, metadata={
        "description": "Always true: today's totals placed in that run; the next nightly run ranks everybody again."})


class ProfileSchema(ProfileInputSchema):
    """A profile as the service returns it: the inputs, where it stands, and its score now."""

    candidate_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    first_submitted_at = fields.AwareDateTime(required=True, metadata={
        "description": "The tie-break between equal scores; updates never change it."})
    updated_at = fields.AwareDateTime(required=True)
    confirmed_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True, metadata={"description": "Renew before this time."})
    score = fields.Nested(ScoreSchema, required=True)
    upcoming_changes = fields.List(fields.Nested(UpcomingChangeSchema), required=True, metadata={
        "description": "Rule changes already decided that move your total at a state you chose, earliest first."})
    standing = fields.Nested(StandingSchema, allow_none=True, required=True, metadata={
        "description": "Rank at each chosen state in the latest nightly ranking; null until first ranked."})
    provisional_standing = fields.Nested(ProvisionalStandingSchema, allow_none=True, required=True, metadata={
        "description": "The rank today's score would hold in the latest nightly ranking (same order as rounds: "
                       "total, then first submission, then candidate id), at each chosen state; provisional "
                       "until the next nightly run; null before the first run or when not in the pool."})
