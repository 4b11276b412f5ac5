"""The hiring steps on the wire: findability, matches, interest and job offers."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema, StrictBoolean
from app.hiring.models import InterestStatus, OfferStatus
from app.profiles.schemas import LANGUAGES, LEVELS, MEMBER_STATES

ISCO = validate.Regexp(r"^[0-9]{4}$")
REFERENCE = validate.Regexp(r"^M-[0-9A-F]{10}$", error="A match reference is M- and 10 hexadecimal digits.")


class FindabilityInputSchema(Schema):
    any_state = StrictBoolean(load_default=False, metadata={
        "description": "Also employers of member states you did not choose may find you."})


class FindabilitySchema(Schema):
    findable = fields.Boolean(required=True, metadata={"description": "Employers may find you (pseudonymously)."})
    any_state = fields.Boolean(required=True)
    given_at = fields.AwareDateTime(allow_none=True, required=True)
    withdrawn_at = fields.AwareDateTime(allow_none=True, required=True)


class MetLanguageSchema(Schema):
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    listening = fields.String(required=True, validate=validate.OneOf(LEVELS))
    reading = fields.String(required=True, validate=validate.OneOf(LEVELS))
    speaking = fields.String(required=True, validate=validate.OneOf(LEVELS))
    writing = fields.String(required=True, validate=validate.OneOf(LEVELS))


class MeetsSchema(Schema):
    education_level = fields.Integer(required=True, metadata={"description": "EQF level."})
    languages = fields.List(fields.Nested(MetLanguageSchema), required=True, metadata={
        "description": "The candidate's levels in the vacancy's required languages."})
    years_in_occupation = fields.Integer(required=True)
    years_in_group = fields.Integer(required=True, metadata={"description": "In the occupation's ISCO-08 minor group."})


class ContactSchema(Schema):
    email = fields.String(required=True)
    profile = fields.Dict(allow_none=True, required=True, metadata={
        "description": "The candidate's expression of interest as they wrote it."})


class MatchInterestSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in InterestStatus]))
    created_at = fields.AwareDateTime(required=True)
    answered_at = fields.AwareDateTime(allow_none=True, required=True)
    contact = fields.Nested(ContactSchema, allow_none=True, required=True, metadata={
        "description": "Only once the candidate accepted your interest."})


class MatchSchema(Schema):
    reference = fields.String(required=True, metadata={"description": "The candidate's pseudonym for this vacancy only."})
    rank = fields.Integer(required=True)
    fit = fields.Integer(required=True, metadata={"description": "How well the candidate fits (docs/matching.md)."})
    meets = fields.Nested(MeetsSchema, allow_none=True, required=True)
    computed_at = fields.AwareDateTime(required=True)
    interest = fields.Nested(MatchInterestSchema, allow_none=True, required=True)


class InterestInputSchema(Schema):
    candidate = fields.String(required=True, validate=REFERENCE, metadata={"description": "The match's reference."})
    message = fields.String(required=True, validate=validate.Length(1, 2000))


class InterestVacancySchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(MEMBER_STATES))
    occupation = fields.String(required=True, validate=ISCO)
    location = fields.String(required=True)


class InterestSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in InterestStatus]))
    message = fields.String(required=True)
    employer = fields.String(required=True)
    vacancy = fields.Nested(InterestVacancySchema, required=True)
    created_at = fields.AwareDateTime(required=True)
    answered_at = fields.AwareDateTime(allow_none=True, required=True)
    contact_shared_at = fields.AwareDateTime(allow_none=True, required=True)


class InterestAcceptSchema(Schema):
    consent_to_share = StrictBoolean(required=True, metadata={
        "description": "Must be true: your e-mail address and profile are shared with this employer only."})


class OfferVacancySchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(required=True)


class OfferSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in OfferStatus]))
    verified = fields.Boolean(required=True, metadata={
        "description": "Accepted, from an employer verified by its state: it earns the job-offer points there."})
    state = fields.String(required=True, validate=validate.OneOf(MEMBER_STATES))
    occupation = fields.String(required=True, validate=ISCO)
    employer = fields.String(required=True)
    vacancy = fields.Nested(OfferVacancySchema, required=True)
    made_at = fields.AwareDateTime(required=True)
    answered_at = fields.AwareDateTime(allow_none=True, required=True)
    withdrawn_at = fields.AwareDateTime(allow_none=True, required=True)
    withdrawal_reason = fields.String(allow_none=True, required=True)


class OfferInputSchema(Schema):
    interest = fields.Integer(required=True, validate=validate.Range(1, 2147483647), metadata={
        "description": "The interest the candidate accepted."})


class WithdrawalSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 500))


class CandidateMatchSchema(Schema):
    fit = fields.Integer(required=True)
    vacancy = fields.Nested(InterestVacancySchema, required=True)
    employer = fields.String(required=True)
    closing_date = fields.Date(required=True)


class StoredMatchSchema(Schema):
    """A stored match of the candidate, as the export shows it."""

    vacancy = fields.String(required=True)
    reference = fields.String(required=True)
    rank = fields.Integer(required=True)
    fit = fields.Integer(required=True)
    computed_at = fields.AwareDateTime(required=True)


class HiringExportSchema(Schema):
    findability = fields.Nested(FindabilitySchema, required=True)
    interests = fields.List(fields.Nested(InterestSchema), required=True)
    offers = fields.List(fields.Nested(OfferSchema), required=True)
    matches = fields.List(fields.Nested(StoredMatchSchema), required=True)
