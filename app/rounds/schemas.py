"""Rounds on the wire: what officials schedule, what everyone may read, and the invitees."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import BoundedDateTime, Schema
from app.invitations.schemas import INVITATION_STATUSES
from app.rounds.models import RoundStatus
from app.states.codes import StateCode
from app.states.schemas import CATEGORY_KEY


class RoundInputSchema(Schema):
    """What an official asks for; the round runs at the whole minute, UTC."""

    scheduled_at = BoundedDateTime(required=True, metadata={
        "example": "2026-12-01T10:00:00Z",
        "description": "A whole minute (a time with seconds is refused, not rounded), in the future, at most "
                       "400 days ahead, UTC."})
    invitations = fields.Integer(required=True, strict=True, validate=validate.Range(1, 1_000_000))
    category = fields.String(load_default=None, allow_none=True, validate=CATEGORY_KEY,
                             metadata={"description": "The key of one of the state's categories."})
    min_score = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(0, 10_000))


class CutoffSchema(Schema):
    score = fields.Integer(allow_none=True, required=True)
    submitted_at = fields.AwareDateTime(allow_none=True, required=True,
                                        metadata={"description": "The tie-break time of the last invitee."})


class RoundCategorySchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    definition = fields.Dict(keys=fields.String(), required=True)
    effective_from = fields.String(metadata={
        "description": "The date the category's revision in force took effect (ISO 8601): when scheduled, that "
                       "of the round's day; once completed, the one its ranking's date used."})


class PublishedRoundSchema(Schema):
    """A completed round as everyone may read it, with what it can be recomputed from."""

    key = fields.String(required=True)
    state = fields.String(required=True)
    scheduled_at = fields.AwareDateTime(required=True)
    completed_at = fields.AwareDateTime(required=True)
    drawn_with = fields.List(fields.String(), required=True,
                             metadata={"description": "The states whose rounds were allocated together."})
    category = fields.Nested(RoundCategorySchema, allow_none=True, required=True)
    min_score = fields.Integer(allow_none=True, required=True)
    quota = fields.Integer(required=True)
    invited = fields.Integer(required=True)
    eligible_pool = fields.Integer(required=True, metadata={"description": "Candidates this state could invite."})
    cutoff = fields.Nested(CutoffSchema, required=True,
                           metadata={"description": "Score and tie-break time of the last invitee."})
    ranking_run = fields.Integer(required=True)
    input_hash = fields.String(required=True)
    rule_versions = fields.Dict(keys=fields.String(), required=True)


class OfficialRoundSchema(Schema):
    """A state's round as its officials see it: scheduled or completed."""

    key = fields.String(required=True)
    state = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf([status.value for status in RoundStatus]))
    scheduled_at = fields.AwareDateTime(required=True)
    invitations = fields.Integer(required=True)
    category = fields.Nested(RoundCategorySchema, allow_none=True, required=True)
    min_score = fields.Integer(allow_none=True, required=True)
    completed_at = fields.AwareDateTime(allow_none=True, required=True)
    quota = fields.Integer(allow_none=True, required=True)
    invited = fields.Integer(allow_none=True, required=True)
    cutoff = fields.Nested(CutoffSchema, required=True)
    ranking_run = fields.Integer(allow_none=True, required=True)
    input_hash = fields.String(allow_none=True, required=True)


class RoundQuerySchema(Schema):
    state = StateCode()


class InviteeSchema(Schema):
    """An invitee as their state's officials see them: by pseudonymous reference."""

    invitation = fields.Integer(required=True, attribute="id")
    candidate = fields.String(required=True, attribute="reference")
    score = fields.Integer(required=True)
    rank = fields.Integer(required=True)
    preference = fields.Integer(required=True)
    status = fields.String(required=True, validate=INVITATION_STATUSES)
    issued_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)
    responded_at = fields.AwareDateTime(allow_none=True, required=True)


class CountSchema(Schema):
    candidates = fields.Integer(required=True)


class AgeBandSchema(CountSchema):
    band = fields.String(required=True, metadata={"example": "25-29"})


class EqfLevelSchema(CountSchema):
    level = fields.Integer(required=True)


class IscoGroupSchema(CountSchema):
    group = fields.String(required=True, metadata={"description": "ISCO-08 major group, 0 to 9."})


class LanguageCountSchema(CountSchema):
    language = fields.String(required=True)


class CohortSchema(Schema):
    """Who the simulated invitees are, in counts (a person may count in several groups or languages)."""

    size = fields.Integer(required=True)
    age_bands = fields.List(fields.Nested(AgeBandSchema), required=True,
                            metadata={"description": "Age on the round's date; the first band holds anyone younger."})
    eqf_levels = fields.List(fields.Nested(EqfLevelSchema), required=True)
    isco_major_groups = fields.List(fields.Nested(IscoGroupSchema), required=True,
                                    metadata={"description": "Invitees with experience in each major group."})
    languages = fields.List(fields.Nested(LanguageCountSchema), required=True,
                            metadata={"description": "Invitees listing each language, most listed first."})


class AloneSchema(Schema):
    invited = fields.Integer(required=True)
    cutoff = fields.Nested(CutoffSchema, required=True)


class SimulationSchema(Schema):
    """A simulated round and what it would do; kept, and never an invitation."""

    id = fields.Integer(required=True)
    state = fields.String(required=True)
    scheduled_at = fields.AwareDateTime(required=True)
    created_at = fields.AwareDateTime(required=True)
    invitations = fields.Integer(required=True, metadata={"description": "The invitations asked for."})
    category = fields.String(allow_none=True, required=True)
    min_score = fields.Integer(allow_none=True, required=True)
    drawn_with = fields.List(fields.String(), required=True,
                             metadata={"description": "Other states' rounds at that moment, allocated together."})
    ranking_run = fields.Integer(allow_none=True, required=True)
    input_hash = fields.String(required=True)
    invitees_hash = fields.String(required=True, metadata={
        "description": "SHA-256 of the invitees' sorted ids: equal to the real round's when it invites the same people."})
    quota = fields.Integer(required=True, metadata={"description": "The invitations, cut to the ceiling left."})
    eligible_pool = fields.Integer(required=True)
    invited = fields.Integer(required=True)
    cutoff = fields.Nested(CutoffSchema, required=True)
    alone = fields.Nested(AloneSchema, required=True,
                          metadata={"description": "The same round drawn without the other states' rounds."})
    drawn_away = fields.Integer(required=True, metadata={
        "description": "Candidates this state would invite alone whom the joint allocation sends to another state."})
    invitees = fields.Nested(CohortSchema, required=True)
