"""Accounts and tokens on the wire."""
from __future__ import annotations

from marshmallow import fields, validate

from app.base_schema import Schema

PASSWORD = validate.Length(min=10, max=256, error="Use a password of 10 to 256 characters.")


class RegistrationSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=PASSWORD)


class CredentialsSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))
    otp = fields.String(load_only=True, validate=[validate.Length(max=16),
                                                  validate.Regexp(r"^\s*\d{6}\s*$", error="Send the 6 digits.")],
                        metadata={"description": "Officials and administrators: the current 6-digit code of "
                                                 "their authenticator app (each code signs in once).",
                                  "example": "123456"})
    recovery_code = fields.String(load_only=True, validate=validate.Length(min=10, max=32),
                                  metadata={"description": "Officials and administrators, instead of `otp`: one of "
                                                           "the ten single-use recovery codes, e.g. `abcde-fghjk`."})


class AccountSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The stable candidate id."})
    email = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["candidate", "official", "admin", "employer"]))
    state = fields.String(allow_none=True, attribute="state_code",
                          metadata={"description": "The member state of an official."})
    created_at = fields.AwareDateTime(required=True)
    email_verified_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "When the address was proven; until then the profile is left out of rankings."})


class ReceiptSchema(Schema):
    """The answer to a request whose outcome must not say whether an address is registered."""

    message = fields.String(required=True)


class TokenInputSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "The `token` parameter of the link in the message."})


class PasswordResetRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class PasswordResetSchema(TokenInputSchema):
    password = fields.String(required=True, load_only=True, validate=PASSWORD)


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, load_only=True, validate=PASSWORD)


class PasswordConfirmationSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class AddressChangeSchema(PasswordConfirmationSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Send as `Authorization: Bearer <token>`."})
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_at = fields.AwareDateTime(required=True)
    account = fields.Nested(AccountSchema, required=True)
