"""Everything held about a candidate (or an employer's person), as `GET /api/v1/me/export` returns it."""
from __future__ import annotations

from marshmallow import fields

from app.accounts.schemas import AccountSchema
from app.base_schema import Schema
from app.employers.schemas import EmployerSchema
from app.handoff.schemas import MisrepresentationSchema
from app.hiring.schemas import HiringExportSchema
from app.invitations.schemas import InvitationSchema
from app.profiles.schemas import ProfileSchema


class ExportedAccountSchema(AccountSchema):
    reference = fields.String(required=True, metadata={
        "description": "The pseudonymous reference that remains in round records after erasure."})


class ExportedTokenSchema(Schema):
    created_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)
    revoked_at = fields.AwareDateTime(allow_none=True, required=True)


class ExportedLoginFailureSchema(Schema):
    failed_at = fields.AwareDateTime(required=True)


class ExportedMessageSchema(Schema):
    kind = fields.String(required=True)
    recipient = fields.String(required=True)
    language = fields.String(required=True)
    subject = fields.String(required=True)
    text_body = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    status = fields.String(required=True)
    sent_at = fields.AwareDateTime(allow_none=True, required=True)


class ExportedProfileSchema(ProfileSchema):
    withdrawn_at = fields.AwareDateTime(allow_none=True, required=True)


class ExportedMembershipSchema(Schema):
    organisation = fields.Nested(EmployerSchema, required=True)
    added_at = fields.AwareDateTime(required=True, metadata={"description": "Since when you act for it."})


class ExportSchema(Schema):
    exported_at = fields.AwareDateTime(required=True)
    account = fields.Nested(ExportedAccountSchema, required=True)
    profile = fields.Nested(ExportedProfileSchema, allow_none=True, required=True)
    tokens = fields.List(fields.Nested(ExportedTokenSchema), required=True)
    failed_sign_ins = fields.List(fields.Nested(ExportedLoginFailureSchema), required=True)
    invitations = fields.List(fields.Nested(InvitationSchema), required=True)
    misrepresentations = fields.List(fields.Nested(MisrepresentationSchema), required=True, metadata={
        "description": "Claims a state found false, and the bar on re-entering the pool that followed."})
    messages = fields.List(fields.Nested(ExportedMessageSchema), required=True, metadata={
        "description": "Every notice the pool wrote to you, as sent."})
    employer = fields.Nested(ExportedMembershipSchema, allow_none=True, required=True, metadata={
        "description": "An employer's person: the organisation you act for (null for candidates)."})
    hiring = fields.Nested(HiringExportSchema, required=True, metadata={
        "description": "Whether employers may find you (with the dates), their interest, your job offers, and the "
                       "vacancies' stored matches you are in."})
