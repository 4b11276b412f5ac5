"""A candidate's expression of interest (the `eu` grid's inputs) and its score, on the wire.

The shape is checked here, field by field, so a person gets one message per wrong field; the
points engine then checks what only it knows (e.g. plausible ages) and scores the profile.
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from app.base_schema import Schema, StrictBoolean

MEMBER_STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
                 "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
# The EU's 24 official languages, plus Luxembourgish and Turkish (official in LU and CY).
LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
             "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "lb", "tr")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
SKILLS = ("listening", "reading", "speaking", "writing")
STATUSES = ("active", "invited", "accepted", "withdrawn", "expired")
ISCO_UNIT_GROUP = validate.Regexp(r"^[0-9]{4}$", error="An ISCO-08 unit group is 4 digits, e.g. \"2512\".")


def _state(**kwargs):
    return fields.String(validate=validate.OneOf(MEMBER_STATES, error="Not an EU member state code."), **kwargs)


def _level():
    return fields.String(required=True, validate=validate.OneOf(LEVELS, error="Use a CEFR level, A1 to C2."))


class LanguageSchema(Schema):
    language = fields.String(required=True, validate=validate.OneOf(
        LANGUAGES, error="Use the ISO 639-1 code of an official EU language (or lb, tr)."))
    listening = _level()
    reading = _level()
    speaking = _level()
    writing = _level()


class ExperienceSchema(Schema):
    occupation = fields.String(required=True, validate=ISCO_UNIT_GROUP)
    years = fields.Integer(required=True, strict=True, validate=validate.Range(1, 50))


class JobOfferSchema(Schema):
    state = _state(required=True)
    occupation = fields.String(required=True, validate=ISCO_UNIT_GROUP)


def _distinct(items: list, key: str, field: str) -> None:
    seen: set = set()
    for position, item in enumerate(items):
        value = item[key] if key else item
        if value in seen:
            raise ValidationError({position: {key: [f"{value} is listed twice."]} if key else
                                   [f"{value} is listed twice."]}, field)
        seen.add(value)


class ProfileInputSchema(Schema):
    """What a candidate submits; every other field of a profile is the service's to set."""

    date_of_birth = fields.Date(required=True)
    education_level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 8),
                                     metadata={"description": "EQF level, 1-8."})
    languages = fields.List(fields.Nested(LanguageSchema), load_default=list, validate=validate.Length(max=6),
                            metadata={"description": "Each language at most once."})
    experience = fields.List(fields.Nested(ExperienceSchema), load_default=list, validate=validate.Length(max=5),
                             metadata={"description": "Each occupation at most once."})
    job_offer = fields.Nested(JobOfferSchema, allow_none=True, load_default=None)
    eu_study = StrictBoolean(load_default=False)
    eu_work = StrictBoolean(load_default=False)
    talent_partnership = StrictBoolean(load_default=False)
    preferences = fields.List(_state(), required=True, validate=validate.Length(1, 5),
                              metadata={"description": "Member states, most wanted first, each once.",
                                        "uniqueItems": True})

    @validates_schema
    def _lists_are_distinct(self, data, **_kwargs):
        _distinct(data.get("languages", []), "language", "languages")
        _distinct(data.get("experience", []), "occupation", "experience")
        _distinct(data.get("preferences", []), "", "preferences")


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


class StateStandingSchema(Schema):
    state = fields.String(required=True)
    total = fields.Integer(allow_none=True, required=True, metadata={"description": "The total ranked; null if not eligible there."})
    rank = fields.Integer(allow_none=True, required=True, metadata={"description": "1 = first at that state; null if not ranked."})


class StandingSchema(Schema):
    run_date = fields.Date(required=True, metadata={"description": "The nightly ranking this comes from."})
    states = fields.List(fields.Nested(StateStandingSchema), required=True)


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
    standing = fields.Nested(StandingSchema, allow_none=True, required=True, metadata={
        "description": "Rank at each chosen state in the latest nightly ranking; null until first ranked."})
