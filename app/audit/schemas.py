"""The audit trail on the wire."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    actor_id = fields.Integer(allow_none=True, required=True)
    actor_role = fields.String(required=True)
    action = fields.String(required=True)
    state = fields.String(allow_none=True, required=True, attribute="state_code")
    subject = fields.String(required=True)
    details = fields.Dict(keys=fields.String(), required=True)


class AuditQuerySchema(Schema):
    state = fields.String(validate=validate.Length(equal=2))
    action = fields.String(validate=validate.Length(1, 64))
    actor_id = fields.Integer(strict=False, validate=validate.Range(1, 2**31 - 1))
