"""The signed-in candidate's expression of interest, scored on every read and write."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth, language
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.profiles import lifecycle as profiles
from app.profiles.schemas import ProfileInputSchema, ProfileSchema

blp = Blueprint("profile", __name__, url_prefix="/api/v1/me/profile",
                description="A candidate's expression of interest and its score.")
candidates_only = auth.require(Role.CANDIDATE)


@blp.route("")
class Profile(MethodView):
    decorators = [candidates_only]

    @blp.response(200, ProfileSchema)
    @blp.doc(security=BEARER)
    def get(self):
        """The expression of interest with its score today."""
        session = db.session()
        return profiles.view(session, profiles.get(session, auth.current_account()))

    @blp.arguments(ProfileInputSchema)
    @blp.response(200, ProfileSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The profile is in a round and cannot change.")
    @blp.doc(security=BEARER)
    @db.reads_first
    def put(self, data):
        """Submit or replace the expression of interest; the answer carries its score now.

        Refused with 422, beyond the schema (it depends on the day): a `date_of_birth` in the future.
        """
        session = db.session()
        account = auth.current_account()
        draft = profiles.draft(session, data, account)  # the slow part, under a read transaction
        around = profiles.around(session, account.id, draft.scoring)  # what the answer shows, read too
        db.begin_write()
        submitted = profiles.submit(session, language.remember(account), draft)
        return profiles.view(session, submitted, draft.scoring, around)

    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self):
        """Withdraw from the pool."""
        profiles.withdraw(db.session(), auth.current_account())


@blp.route("/renewal")
class Renewal(MethodView):
    decorators = [candidates_only]

    @blp.response(200, ProfileSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The profile has expired or is in a round.")
    @blp.doc(security=BEARER)
    def post(self):
        """Confirm the profile for another 12 months, keeping its place in the queue."""
        session = db.session()
        return profiles.view(session, profiles.renew(session, auth.current_account()))
