"""A candidate's invitations, and their answer to each."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.invitations import lifecycle as invitations
from app.invitations.schemas import AcceptSchema, InvitationSchema

blp = Blueprint("invitations", __name__, url_prefix="/api/v1/me/invitations",
                description="Invitations to apply to a member state, and the candidate's answers.")
candidates_only = auth.require(Role.CANDIDATE)


@blp.route("")
class Invitations(MethodView):
    decorators = [candidates_only]

    @blp.response(200, InvitationSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """The candidate's invitations, newest first."""
        return [invitations.view(*pair) for pair in invitations.of_candidate(db.session(), auth.current_account())]


@blp.route("/<int(min=1, max=2147483647):invitation_id>/accept")
class Accept(MethodView):
    decorators = [candidates_only]

    @blp.arguments(AcceptSchema)
    @blp.response(200, InvitationSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Already answered, or expired.")
    @blp.doc(security=BEARER)
    @db.reads_first
    def post(self, answer, invitation_id):
        """Accept, consenting to share your profile and address with that state: you leave the pool, and the
        member state's application procedure follows."""
        invitations.refuse_unless_own(db.session(), auth.current_account(), invitation_id)
        return invitations.view(*invitations.accept(db.begin_write(), auth.current_account(), invitation_id,
                                                    consent_to_share=answer["consent_to_share"]))


@blp.route("/<int(min=1, max=2147483647):invitation_id>/decline")
class Decline(MethodView):
    decorators = [candidates_only]

    @blp.response(200, InvitationSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Already answered, or expired.")
    @blp.doc(security=BEARER)
    @db.reads_first
    def post(self, invitation_id):
        """Decline: you are back in the pool, keeping your place in the queue."""
        invitations.refuse_unless_own(db.session(), auth.current_account(), invitation_id)
        return invitations.view(*invitations.decline(db.begin_write(), auth.current_account(), invitation_id))
