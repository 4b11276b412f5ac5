"""Sign-in: exchange credentials for a bearer token; sign-out: revoke it."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import auth, db
from app.api import BEARER
from app.models import Account
from app.schemas.account import CredentialsSchema, TokenSchema
from app.services import tokens

blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Bearer tokens (sign in, sign out).")


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.arguments(CredentialsSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, response="DEFAULT_ERROR", description="Wrong e-mail address or password.")
    @blp.alt_response(429, response="DEFAULT_ERROR", description="Too many failed sign-ins; see Retry-After.")
    def post(self, data):
        """Exchange an e-mail address and password for a token that expires."""
        session = db.session()
        raw, token = tokens.issue(session, data["email"], data["password"])
        return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at,
                "account": session.get(Account, token.account_id)}

    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self):
        """Revoke the token this request was made with (sign out)."""
        account, token = auth.current()
        tokens.revoke(db.session(), account, token)
