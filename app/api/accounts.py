"""Registration, and the signed-in person's own account: read it, export it, erase it."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import auth, db
from app.api import BEARER
from app.models import Role
from app.schemas.account import AccountSchema, RegistrationSchema
from app.schemas.export import ExportSchema
from app.services import accounts, erasure, export

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Accounts and personal data rights.")


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(RegistrationSchema)
    @blp.response(201, AccountSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The e-mail address is already registered.")
    def post(self, data):
        """Register as a candidate (officials and administrators are created from the command line)."""
        return accounts.create(db.session(), data["email"], data["password"])


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
