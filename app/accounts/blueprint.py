"""Registration, sign-in and sign-out, and the signed-in person's own account: read it, export it, erase it.

Export and erasure are the privacy package's work (they reach every domain); their routes stay
here because `/me` is the account.
"""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth, credentials, password_reset, registration, throttle, tokens, verification
from app.accounts.auth import BEARER
from app.accounts.models import Account, Role
from app.accounts.schemas import (AccountSchema, AddressChangeSchema, CredentialsSchema, PasswordChangeSchema,
                                  PasswordConfirmationSchema, PasswordResetRequestSchema, PasswordResetSchema,
                                  ReceiptSchema, RegistrationSchema, TokenInputSchema, TokenSchema)
from app.privacy import erasure, export
from app.privacy.schemas import ExportSchema

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Accounts and personal data rights.")
REGISTERED = ("If this address was new, its account is ready and a link to verify it was mailed; if it was "
              "registered already, its owner was sent a message instead. Either way, check that inbox.")
RESET_SENT = "If an account has this address, a link to choose a new password was mailed to it."
ADDRESS_SENT = "A link was mailed to the new address; it becomes yours when you follow it."


def _address() -> str:
    return throttle.client_address(request.remote_addr)
tokens_blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Bearer tokens (sign in, sign out).")


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(RegistrationSchema)
    @blp.response(202, ReceiptSchema)
    @blp.alt_response(429, response="DEFAULT_ERROR", description="Too many registrations from this address; see Retry-After.")
    def post(self, data):
        """Register as a candidate (officials and administrators are created from the command line).

        The answer is 202 with the same body whether or not the address was registered already, so
        it reveals nobody: a new address gets an account and a verification link, a known one's
        owner a message. Sign in with the password; the profile enters the pool once verified."""
        registration.sign_up(data["email"], data["password"], _address())
        return {"message": REGISTERED}


@blp.route("/accounts/verification")
class Verification(MethodView):
    @blp.arguments(TokenInputSchema)
    @blp.response(204)
    def post(self, data):
        """Verify an address with the token of the mailed link (no sign-in needed: the token is the proof)."""
        verification.verify(db.session(), data["token"])


@blp.route("/password-resets")
class PasswordResets(MethodView):
    @blp.arguments(PasswordResetRequestSchema)
    @blp.response(202, ReceiptSchema)
    @blp.alt_response(429, response="DEFAULT_ERROR", description="Too many messages asked for this address.")
    def post(self, data):
        """Ask for a password reset link; the same answer whether or not the address is registered."""
        password_reset.request_reset(data["email"])
        return {"message": RESET_SENT}


@blp.route("/password-resets/completion")
class PasswordResetCompletion(MethodView):
    @blp.arguments(PasswordResetSchema)
    @blp.response(204)
    def post(self, data):
        """Set a new password with the mailed link's token (single use; every session ends)."""
        password_reset.complete_reset(data["token"], data["password"])


@blp.route("/me/verification")
class VerificationAgain(MethodView):
    @blp.response(202, ReceiptSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The address is verified already.")
    @blp.doc(security=BEARER)
    def post(self):
        """Mail the verification link again (throttled per address)."""
        account = auth.current_account()
        verification.resend(account)
        return {"message": "A new link was mailed to your address."}


@blp.route("/me/password")
class Password(MethodView):
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    @blp.doc(security=BEARER)
    def post(self, data):
        """Change the password (the current one is needed); every other session and mailed link ends."""
        account, token = auth.current()
        credentials.change_password(account, token, data["current_password"], data["new_password"], _address())


@blp.route("/me/email")
class Email(MethodView):
    @blp.arguments(AddressChangeSchema)
    @blp.response(202, ReceiptSchema)
    @blp.doc(security=BEARER)
    def post(self, data):
        """Move to a new address (the password is needed): it becomes the account's when the link mailed to it is followed."""
        account = credentials.confirm_password(auth.current_account(), data["password"], _address())
        verification.request_address_change(db.session(), account, data["email"])
        return {"message": ADDRESS_SENT}


@blp.route("/me/tokens")
class AllTokens(MethodView):
    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self):
        """Sign out everywhere: revoke every token of the account, this one included."""
        credentials.sign_out_everywhere(db.session(), auth.current_account())


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, AccountSchema)
    @blp.doc(security=BEARER)
    def get(self):
        """The signed-in account."""
        return auth.current_account()

    @blp.arguments(PasswordConfirmationSchema)
    @blp.response(204)
    @blp.doc(security=BEARER)
    @auth.require(Role.CANDIDATE, Role.EMPLOYER)
    def delete(self, data):
        """Erase the account and personal data (the password is needed); what a round must keep stays, pseudonymised."""
        account = credentials.confirm_password(auth.current_account(), data["password"], _address())
        erasure.erase(db.session(), account)


@blp.route("/me/export")
class Export(MethodView):
    @blp.response(200, ExportSchema)
    @blp.doc(security=BEARER)
    @auth.require(Role.CANDIDATE, Role.EMPLOYER)
    def get(self):
        """Everything the service holds about the signed-in candidate or employer's person."""
        return export.collect(db.session(), auth.current_account())


@tokens_blp.route("/tokens")
class Tokens(MethodView):
    @tokens_blp.arguments(CredentialsSchema)
    @tokens_blp.response(201, TokenSchema)
    @tokens_blp.alt_response(401, response="DEFAULT_ERROR", description=(
        "Wrong e-mail address or password; a disabled account; or, for officials and administrators, "
        "the two-factor code missing (`otp` or `recovery_code`), wrong or already used, or two-factor "
        "sign-in not yet set up (done on the web). The message says which."))
    @tokens_blp.alt_response(429, response="DEFAULT_ERROR", description="Too many failed sign-ins or wrong codes; see Retry-After.")
    def post(self, data):
        """Exchange an e-mail address and password for a token that expires.

        Officials and administrators sign in with two factors: they also send `otp`, the current
        code of their authenticator app (RFC 6238), or one `recovery_code`. A code signs in once.
        """
        raw, token = tokens.issue(data["email"], data["password"], _address(),
                                  otp=data.get("otp"), recovery_code=data.get("recovery_code"))
        session = db.session()
        return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at,
                "account": session.get(Account, token.account_id)}

    @tokens_blp.response(204)
    @tokens_blp.doc(security=BEARER)
    def delete(self):
        """Revoke the token this request was made with (sign out)."""
        account, token = auth.current()
        tokens.revoke(db.session(), account, token)
