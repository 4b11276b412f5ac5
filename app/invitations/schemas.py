"""Invitations on the wire, as their candidate sees them."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema
from app.invitations.models import InvitationStatus

INVITATION_STATUSES = validate.OneOf([status.value for status in InvitationStatus])


class InvitationSchema(Schema):
    """An invitation as the candidate sees it."""

    id = fields.Integer(required=True)
    round = fields.String(required=True)
    state = fields.String(required=True)
    score = fields.Integer(required=True)
    rank = fields.Integer(required=True)
    status = fields.String(required=True, validate=INVITATION_STATUSES)
    issued_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)
    responded_at = fields.AwareDateTime(allow_none=True, required=True)
