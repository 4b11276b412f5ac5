"""Invitations on the wire, as their candidate sees them."""
from __future__ import annotations

from marshmallow import fields

from app.base_schema import Schema


class InvitationSchema(Schema):
    """An invitation as the candidate sees it."""

    id = fields.Integer(required=True)
    round = fields.String(required=True)
    state = fields.String(required=True)
    score = fields.Integer(required=True)
    rank = fields.Integer(required=True)
    status = fields.String(required=True)
    issued_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)
    responded_at = fields.AwareDateTime(allow_none=True, required=True)
