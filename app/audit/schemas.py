"""The audit trail on the wire."""
from __future__ import annotations

from marshmallow import fields, validate

from app.audit.actions import ACTIONS, ACTOR_ROLES
from app.base_schema import Schema
from app.states.codes import StateCode

ACTION_LIST = "; ".join(f"`{name}`: {meaning}" for name, meaning in ACTIONS.items())


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    actor_id = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The account that acted; null for the command line."})
    actor_role = fields.String(required=True, validate=validate.OneOf(ACTOR_ROLES))
    action = fields.String(required=True, validate=validate.OneOf(list(ACTIONS)), metadata={"description": ACTION_LIST})
    state = fields.String(allow_none=True, required=True, attribute="state_code")
    subject = fields.String(required=True)
    details = fields.Dict(keys=fields.String(), required=True)


class AuditQuerySchema(Schema):
    state = StateCode()
    action = fields.String(validate=validate.OneOf(list(ACTIONS)), metadata={
        "description": "Only this action; an unknown one is refused (422)."})
    actor_id = fields.Integer(strict=False, validate=validate.Range(1, 2**31 - 1), metadata={
        "description": "Only this account's actions; an id of no account (or of a candidate) matches nothing: "
                       "an empty page, not an error, since accounts may have been erased."})
