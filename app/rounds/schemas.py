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
        "description": "In the future, at most 400 days ahead; the round runs at the whole minute, UTC."})
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
