"""Invitations on the wire, as their candidate sees them."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema, StrictBoolean
from app.invitations.models import InvitationStatus

INVITATION_STATUSES = validate.OneOf([status.value for status in InvitationStatus])


class ApplicationProgressSchema(Schema):
    """The application that followed an acceptance, as the inviting state records it."""

    status = fields.String(required=True, metadata={"description": "lodged, approved, refused or withdrawn"})
    lodged_on = fields.Date(allow_none=True, required=True)
    decided_on = fields.Date(allow_none=True, required=True)
    updated_at = fields.AwareDateTime(required=True)


class AcceptSchema(Schema):
    """Accepting needs explicit consent to share the profile and e-mail address with the inviting state."""

    consent_to_share = StrictBoolean(required=True, metadata={
        "description": "true: you consent to the inviting state's authority receiving your profile and e-mail "
                       "address for its procedure (kept until the retention after its final outcome)."})


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
    consent_at = fields.AwareDateTime(allow_none=True, required=True)
    withdrawn_at = fields.AwareDateTime(allow_none=True, required=True)
    application = fields.Nested(ApplicationProgressSchema, allow_none=True, required=True)
