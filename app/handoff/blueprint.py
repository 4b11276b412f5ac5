"""The hand-off's routes: a state's invitees and their applications (its officials), findings of
misrepresentation (the state's officials record, administrators lift), and the published outcomes."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.errors import NotFound
from app.handoff import misrepresentation, outcomes, progress, sharing
from app.handoff.schemas import (
    ApplicationInputSchema,
    InviteeProfileSchema,
    LiftInputSchema,
    MisrepresentationInputSchema,
    MisrepresentationSchema,
    OutcomesSchema,
)
from app.rounds import record
from app.states import administration
from app.states.models import MemberState

blp = Blueprint("handoff", __name__, url_prefix="/api/v1",
                description="The hand-off to the member state: invitees who accepted, their applications, "
                            "false claims, and what became of the invitations.")
officials_only = auth.require(Role.OFFICIAL)
admins_only = auth.require(Role.ADMIN)


def _own(code: str) -> str:
    return administration.own_state(db.session(), auth.current_account(), code).code


@blp.route("/states/<state:code>/invitees")
class Invitees(MethodView):
    decorators = [officials_only]

    @blp.response(200, InviteeProfileSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, code):
        """Your state's invitees who accepted, with their profile and address while they consent."""
        return sharing.invitees(db.session(), _own(code))


@blp.route("/states/<state:code>/invitees/<int(min=1, max=2147483647):invitation_id>")
class Invitee(MethodView):
    decorators = [officials_only]

    @blp.response(200, InviteeProfileSchema)
    @blp.doc(security=BEARER)
    def get(self, code, invitation_id):
        """One invitee who accepted your state's invitation."""
        return sharing.invitee(db.session(), _own(code), invitation_id)


@blp.route("/states/<state:code>/invitees/<int(min=1, max=2147483647):invitation_id>/application")
class InviteeApplication(MethodView):
    decorators = [officials_only]

    @blp.arguments(ApplicationInputSchema)
    @blp.response(200, InviteeProfileSchema)
    @blp.doc(security=BEARER)
    def put(self, data, code, invitation_id):
        """Record the application's progress: lodged, approved, refused or withdrawn, with its days (audited)."""
        state = _own(code)
        session = db.session()
        progress.record(session, auth.current_account(), invitation_id, data["status"], data["lodged_on"],
                        data["decided_on"])
        return sharing.invitee(session, state, invitation_id)


@blp.route("/states/<state:code>/invitees/<int(min=1, max=2147483647):invitation_id>/misrepresentation")
class InviteeMisrepresentation(MethodView):
    decorators = [officials_only]

    @blp.arguments(MisrepresentationInputSchema)
    @blp.response(201, MisrepresentationSchema)
    @blp.doc(security=BEARER)
    def post(self, data, code, invitation_id):
        """Record that a claim was found false in your procedure: the candidate leaves the pool and is barred."""
        _own(code)
        return misrepresentation.record(db.session(), auth.current_account(), invitation_id, data["claim"],
                                        data["decision_reference"])


@blp.route("/misrepresentations")
class Misrepresentations(MethodView):
    decorators = [admins_only]

    @blp.response(200, MisrepresentationSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """Every finding of misrepresentation, newest first."""
        return misrepresentation.of_state(db.session(), None)


@blp.route("/misrepresentations/<int(min=1, max=2147483647):finding_id>/lift")
class Lift(MethodView):
    decorators = [admins_only]

    @blp.arguments(LiftInputSchema)
    @blp.response(200, MisrepresentationSchema)
    @blp.doc(security=BEARER)
    def post(self, data, finding_id):
        """Lift a bar (the finding was set aside): the candidate may enter the pool again (audited)."""
        return misrepresentation.lift(db.session(), auth.current_account(), finding_id, data["reason"])


@blp.route("/rounds/<string(maxlength=40):key>/outcomes")
class RoundOutcomes(MethodView):
    @blp.response(200, OutcomesSchema)
    def get(self, key):
        """What became of a completed round's invitations (counts under 10: "fewer than 10")."""
        session = db.session()
        return outcomes.of_round(session, record.published_round(session, key))


@blp.route("/states/<state:code>/outcomes")
class StateOutcomes(MethodView):
    @blp.response(200, OutcomesSchema)
    def get(self, code):
        """What became of all of a state's invitations so far (counts under 10: "fewer than 10")."""
        session = db.session()
        if session.get(MemberState, code) is None:
            raise NotFound(f"There is no EU member state with the code {code!r}.")
        return outcomes.of_state(session, code)
