"""Invitation rounds: the public record, and each state's own rounds for its officials."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.rounds import record, scheduling, simulation
from app.rounds.schemas import (
    InviteeSchema,
    OfficialRoundSchema,
    PublishedRoundSchema,
    RoundInputSchema,
    RoundQuerySchema,
    SimulationSchema,
)
from app.states import administration

public = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds",
                   description="Completed invitation rounds with their cut-offs (public).")
official = Blueprint("state_rounds", __name__, url_prefix="/api/v1/states",
                     description="A state's invitation rounds and invitees (its own officials only).")
officials_only = auth.require(Role.OFFICIAL)


@public.route("")
class Rounds(MethodView):
    @public.arguments(RoundQuerySchema, location="query")
    @public.response(200, PublishedRoundSchema(many=True))
    def get(self, query):
        """Every completed round, newest first: invited, cut-off score and tie-break time, inputs."""
        session = db.session()
        return [record.view(r) for r in session.exec(record.published(session, query.get("state"))).all()]


@public.route("/<string(maxlength=40):key>")
class PublishedRound(MethodView):
    @public.response(200, PublishedRoundSchema)
    def get(self, key):
        """One completed round."""
        return record.view(record.published_round(db.session(), key))


def _own(code: str):
    return administration.own_state(db.session(), auth.current_account(), code)


@official.route("/<state:code>/rounds")
class StateRounds(MethodView):
    decorators = [officials_only]

    @official.response(200, OfficialRoundSchema(many=True))
    @official.doc(security=BEARER)
    def get(self, code):
        """The state's rounds, scheduled and completed, newest first."""
        _own(code)
        return [record.view(r) for r in record.state_rounds(db.session(), code)]

    @official.arguments(RoundInputSchema)
    @official.response(201, OfficialRoundSchema)
    @official.alt_response(409, response="DEFAULT_ERROR", description="No ceiling set, or a round at that minute.")
    @official.doc(security=BEARER)
    def post(self, data, code):
        """Schedule a round: when, how many invitations (within the annual ceiling), category, minimum score.

        Refused with 422, beyond the schema (these depend on the time and on the state's data): a
        `scheduled_at` not in the future or more than 400 days ahead; more `invitations` than the
        state's annual ceiling leaves for that year; a `category` the state does not have.
        """
        state = _own(code)
        return record.view(scheduling.schedule(db.session(), auth.current_account(), state, data))


@official.route("/<state:code>/rounds/simulations")
class Simulations(MethodView):
    decorators = [officials_only]

    @official.response(200, SimulationSchema(many=True))
    @official.doc(security=BEARER)
    def get(self, code):
        """The state's kept simulations, newest first (the latest 50)."""
        _own(code)
        return [simulation.view(s) for s in simulation.of_state(db.session(), code)]

    @official.arguments(RoundInputSchema)
    @official.response(201, SimulationSchema)
    @official.alt_response(409, response="DEFAULT_ERROR", description="No ceiling set, or no ranking run yet.")
    @official.doc(security=BEARER)
    @db.reads_first
    def post(self, data, code):
        """Simulate a round before scheduling it: computed as the real draw at that moment would be
        (with the other states' rounds scheduled then), kept, and never an invitation."""
        computed = simulation.compute(db.session(), _own(code), data)  # the slow part, under a read transaction
        db.begin_write()
        return simulation.view(simulation.keep(db.session(), auth.current_account(), code, computed))


@official.route("/<state:code>/rounds/<string(maxlength=40):key>")
class StateRound(MethodView):
    decorators = [officials_only]

    @official.response(200, OfficialRoundSchema)
    @official.doc(security=BEARER)
    def get(self, code, key):
        """One of the state's rounds."""
        _own(code)
        return record.view(record.of_state(db.session(), code, key))

    @official.response(204)
    @official.alt_response(409, response="DEFAULT_ERROR", description="The round has run or is running.")
    @official.doc(security=BEARER)
    def delete(self, code, key):
        """Cancel a round that has not run (audited)."""
        state = _own(code)
        scheduling.cancel(db.session(), auth.current_account(), state, key)


@official.route("/<state:code>/rounds/<string(maxlength=40):key>/invitations")
class Invitees(MethodView):
    decorators = [officials_only]

    @official.response(200, InviteeSchema(many=True))
    @official.doc(security=BEARER)
    def get(self, code, key):
        """The round's invitees in rank order, by pseudonymous reference, with their answers."""
        _own(code)
        session = db.session()
        return [{**invitation.model_dump(), "reference": reference}
                for invitation, reference in record.invitees(session, record.of_state(session, code, key))]
