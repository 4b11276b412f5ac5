"""Member states: a public list; the overlay, ceiling and categories for the state's officials only."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.states import administration
from app.states.schemas import (
    CategoryInputSchema,
    CategorySchema,
    CeilingSchema,
    CeilingStateSchema,
    OverlayRevisionSchema,
    OverlaySchema,
    StateSchema,
)

blp = Blueprint("states", __name__, url_prefix="/api/v1/states",
                description="EU member states and their settings (officials: own state only).")
officials_only = auth.require(Role.OFFICIAL)
FORBIDDEN = {"description": "Not an official of this state."}


def _own(code: str):
    return administration.own_state(db.session(), auth.current_account(), code)


@blp.route("")
class States(MethodView):
    @blp.response(200, StateSchema(many=True))
    def get(self):
        """The 27 member states (public)."""
        return administration.all_states(db.session())


@blp.route("/<state:code>/overlay")
class Overlay(MethodView):
    decorators = [officials_only]

    @blp.response(200, OverlayRevisionSchema)
    @blp.doc(security=BEARER)
    def get(self, code):
        """The state's active grid overlay (its latest version)."""
        _own(code)
        return administration.overlay(db.session(), code)

    @blp.arguments(OverlaySchema)
    @blp.response(200, OverlayRevisionSchema)
    @blp.doc(security=BEARER)
    def put(self, body, code):
        """Save a new version of the overlay (validated by the points engine, audited).

        Refused with 422, beyond the schema: a `state` other than the path's; banded `points`
        (`shortage_occupation`) whose first entry, for nothing matching, is not 0.
        """
        _own(code)
        return administration.save_overlay(db.session(), auth.current_account(), code, body)


@blp.route("/<state:code>/overlay/revisions")
class OverlayRevisions(MethodView):
    decorators = [officials_only]

    @blp.response(200, OverlayRevisionSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, code):
        """Every saved version, newest first, ending with the one shipped with the grid."""
        _own(code)
        return administration.overlay_history(db.session(), code)


@blp.route("/<state:code>/ceiling")
class Ceiling(MethodView):
    decorators = [officials_only]

    @blp.response(200, CeilingStateSchema)
    @blp.doc(security=BEARER)
    def get(self, code):
        """How many invitations the state issues at most per calendar year."""
        return administration.ceiling(_own(code))

    @blp.arguments(CeilingSchema)
    @blp.response(200, CeilingStateSchema)
    @blp.doc(security=BEARER)
    def put(self, body, code):
        """Set the annual invitation ceiling (audited)."""
        state = _own(code)
        return administration.save_ceiling(db.session(), auth.current_account(), state,
                                           body["annual_invitation_ceiling"])


@blp.route("/<state:code>/categories")
class Categories(MethodView):
    decorators = [officials_only]

    @blp.response(200, CategorySchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, code):
        """The categories the state's rounds may be restricted to."""
        _own(code)
        return administration.category_list(db.session(), code)


@blp.route("/<state:code>/categories/<category_key:key>")
class CategoryItem(MethodView):
    decorators = [officials_only]

    @blp.response(200, CategorySchema)
    @blp.doc(security=BEARER)
    def get(self, code, key):
        """One category."""
        _own(code)
        return administration.category(db.session(), code, key)

    @blp.arguments(CategoryInputSchema)
    @blp.response(200, CategorySchema)
    @blp.doc(security=BEARER)
    def put(self, body, code, key):
        """Create or replace a category (validated, audited).

        Refused with 422, beyond the schema: `min_years` without `occupations` (it counts years in them).
        """
        _own(code)
        administration.check_category_key(key)
        row, _created = administration.save_category(db.session(), auth.current_account(), code, key,
                                                     body["title"], body["definition"])
        return row

    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self, code, key):
        """Remove a category (audited)."""
        _own(code)
        administration.delete_category(db.session(), auth.current_account(), code, key)
