"""The hand-off on the wire: invitees as their state sees them, the application's progress, findings, outcomes."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema
from app.handoff.models import ApplicationStatus
from app.invitations.schemas import ApplicationProgressSchema


class SharedApplicationSchema(ApplicationProgressSchema):
    shared_until = fields.AwareDateTime(allow_none=True, required=True, metadata={
        "description": "The shared profile and address are deleted after this (set by a final outcome)."})


class InviteeProfileSchema(Schema):
    """An invitee who accepted, as the inviting state's officials see them."""

    invitation = fields.Integer(required=True)
    round = fields.String(required=True)
    candidate = fields.String(required=True, metadata={"description": "The pseudonymous reference."})
    status = fields.String(required=True, metadata={"description": "accepted, or withdrawn by the candidate"})
    score = fields.Integer(required=True)
    rank = fields.Integer(required=True)
    accepted_at = fields.AwareDateTime(allow_none=True, required=True)
    consent_at = fields.AwareDateTime(allow_none=True, required=True)
    withdrawn_at = fields.AwareDateTime(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True, metadata={
        "description": "Shared with consent; null once withdrawn, erased or past the retention."})
    profile = fields.Dict(allow_none=True, required=True, metadata={
        "description": "The profile as submitted (the input contract); null as for `email`."})
    application = fields.Nested(SharedApplicationSchema, allow_none=True, required=True)


class ApplicationInputSchema(Schema):
    """The application's progress in the state's procedure."""

    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ApplicationStatus]))
    lodged_on = fields.Date(load_default=None, allow_none=True)
    decided_on = fields.Date(load_default=None, allow_none=True)


class MisrepresentationInputSchema(Schema):
    """A claim of the profile found false in the state's procedure."""

    claim = fields.String(required=True, validate=validate.Length(1, 64), metadata={
        "description": "The profile's input that was false: date_of_birth, education_level, languages, ..."})
    decision_reference = fields.String(required=True, validate=validate.Length(1, 120))


class LiftInputSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 300))


class MisrepresentationSchema(Schema):
    id = fields.Integer(required=True)
    invitation = fields.Integer(required=True, attribute="invitation_id")
    state = fields.String(required=True, attribute="state_code")
    claim = fields.String(required=True)
    decision_reference = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)
    barred_until = fields.AwareDateTime(required=True)
    lifted_at = fields.AwareDateTime(allow_none=True, required=True)
    lift_reason = fields.String(allow_none=True, required=True)
    address_kept = fields.Method("_address_kept", required=True, metadata={
        "description": "Whether a keyed hash of the barred address is kept (until the bar ends or is lifted), "
                       "so that the bar holds for a new account with that address."})

    def _address_kept(self, finding) -> bool:
        return finding.address_digest is not None


class PublishedCountSchema(Schema):
    count = fields.Integer(allow_none=True, required=True, metadata={"description": "null when fewer than 10"})
    fewer_than = fields.Integer(allow_none=True, required=True)


class OutcomesSchema(Schema):
    """What became of a round's (or a state's) invitations; counts under 10 as "fewer than 10"."""

    round = fields.String(allow_none=True, required=True)
    state = fields.String(required=True)
    invited = fields.Nested(PublishedCountSchema, required=True)
    accepted = fields.Nested(PublishedCountSchema, required=True)
    declined = fields.Nested(PublishedCountSchema, required=True)
    expired = fields.Nested(PublishedCountSchema, required=True)
    lodged = fields.Nested(PublishedCountSchema, required=True)
    approved = fields.Nested(PublishedCountSchema, required=True)
