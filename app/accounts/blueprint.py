"""Registration, sign-in and sign-out, and the signed-in person's own account: read it, export it, erase it.

Export and erasure are the privacy package's work (they reach every domain); their routes stay
here because `/me` is the account.
"""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth, language, registration, throttle, tokens
from app.accounts.auth import BEARER
from app.accounts.models import Account, Role
from app.accounts.schemas import AccountSchema, CredentialsSchema, RegistrationSchema, TokenSchema
from app.privacy import erasure, export
from app.privacy.schemas import ExportSchema

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Accounts and personal data rights.")
tokens_blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Bearer tokens (sign in, sign out).")


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(RegistrationSchema)
    @blp.response(201, AccountSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The e-mail address is already registered.")
    @blp.alt_response(429, response="DEFAULT_ERROR", description="Too many registrations from this address; see Retry-After.")
    def post(self, data):
        """Register as a candidate (officials and administrators are created from the command line)."""
        return language.remember(registration.sign_up(data["email"], data["password"],
                                                      throttle.client_address(request.remote_addr)))


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, AccountSchema)
    @blp.doc(security=BEARER)
    def get(self):
        """The signed-in account."""
        return auth.current_account()

    @blp.response(204)
    @blp.doc(security=BEARER)
    @auth.require(Role.CANDIDATE)
    def delete(self):
        """Erase the account and personal data; what a round must keep stays, pseudonymised."""
        erasure.erase(db.session(), auth.current_account())


@blp.route("/me/export")
class Export(MethodView):
    @blp.response(200, ExportSchema)
    @blp.doc(security=BEARER)
    @auth.require(Role.CANDIDATE)
    def get(self):
        """Everything the service holds about the signed-in candidate."""
        return export.collect(db.session(), auth.current_account())


@tokens_blp.route("/tokens")
class Tokens(MethodView):
    @tokens_blp.arguments(CredentialsSchema)
    @tokens_blp.response(201, TokenSchema)
    @tokens_blp.alt_response(401, response="DEFAULT_ERROR", description="Wrong e-mail address or password.")
    @tokens_blp.alt_response(429, response="DEFAULT_ERROR", description="Too many failed sign-ins; see Retry-After.")
    def post(self, data):
        """Exchange an e-mail address and password for a token that expires."""
        raw, token = tokens.issue(data["email"], data["password"], throttle.client_address(request.remote_addr))
        session = db.session()
        return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at,
                "account": session.get(Account, token.account_id)}

    @tokens_blp.response(204)
    @tokens_blp.doc(security=BEARER)
    def delete(self):
        """Revoke the token this request was made with (sign out)."""
        account, token = auth.current()
        tokens.revoke(db.session(), account, token)
