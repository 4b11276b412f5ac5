"""Member states: a public list; the overlay, ceiling and categories for the state's officials only."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import clock, db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.errors import NotFound
from app.states import administration, ceiling, participation, previews
from app.states.models import MemberState
from app.states.schemas import (
    CategoryInputSchema,
    CategorySchema,
    CeilingSchema,
    CategoryPreviewSchema,
    CeilingStateSchema,
    MinimumPreviewSchema,
    OverlayChangesSchema,
    OverlayPreviewSchema,
    OverlayReplacementSchema,
    OverlayRevisionSchema,
    ParticipationChangeSchema,
    ParticipationSchema,
    PreviewSchema,
    StateSchema,
)

blp = Blueprint("states", __name__, url_prefix="/api/v1/states",
                description="EU member states and their settings (officials: own state only).")
officials_only = auth.require(Role.OFFICIAL)
admins_only = auth.require(Role.ADMIN)
FORBIDDEN = {"description": "Not an official of this state."}


def _own(code: str):
    return administration.own_state(db.session(), auth.current_account(), code)


@blp.route("")
class States(MethodView):
    @blp.response(200, StateSchema(many=True))
    def get(self):
        """The 27 member states (public), and whether each takes part in the pool today."""
        session = db.session()
        taking_part = set(participation.taking_part(session, clock.today()))
        return [{"code": state.code, "name": state.name, "annual_invitation_ceiling": state.annual_invitation_ceiling,
                 "taking_part": state.code in taking_part} for state in administration.all_states(session)]


@blp.route("/<state:code>/overlay")
class Overlay(MethodView):
    decorators = [officials_only]

    @blp.response(200, OverlayRevisionSchema)
    @blp.doc(security=BEARER)
    def get(self, code):
        """The state's newest overlay revision (see `effective_from` and `in_force`: it may take effect later)."""
        _own(code)
        return administration.overlay(db.session(), code)

    @blp.arguments(OverlayReplacementSchema)
    @blp.response(200, OverlayRevisionSchema)
    @blp.doc(security=BEARER)
    def put(self, body, code):
        """Save a new revision replacing every field (all required), from `effective_from` (validated, audited).

        Refused with 422, beyond the schema: a `state` other than the path's; banded `points`
        (`shortage_occupation`) whose first entry, for nothing matching, is not 0; an
        `effective_from` before the next nightly ranking's date. 409 for a `version` label the
        state has used already.
        """
        _own(code)
        return administration.save_overlay(db.session(), auth.current_account(), code, body)

    @blp.arguments(OverlayChangesSchema)
    @blp.response(200, OverlayRevisionSchema)
    @blp.doc(security=BEARER)
    def patch(self, body, code):
        """Save a new revision: the newest one with the fields given changed (a new `version` label)."""
        _own(code)
        return administration.patch_overlay(db.session(), auth.current_account(), code, body)


@blp.route("/<state:code>/overlay/preview")
class OverlayPreview(MethodView):
    decorators = [officials_only]

    @blp.arguments(OverlayPreviewSchema)
    @blp.response(200, PreviewSchema)
    @blp.doc(security=BEARER)
    def post(self, body, code):
        """What the newest overlay with these fields changed would do, from its effective date (nothing saved)."""
        _own(code)
        return previews.overlay_preview(db.session(), code, body)


@blp.route("/<state:code>/minimum/preview")
class MinimumPreview(MethodView):
    decorators = [officials_only]

    @blp.arguments(MinimumPreviewSchema)
    @blp.response(200, PreviewSchema)
    @blp.doc(security=BEARER)
    def post(self, body, code):
        """What another minimum score would do (the overlay's `min_total`; nothing saved)."""
        _own(code)
        return previews.overlay_preview(db.session(), code, body)


@blp.route("/<state:code>/overlay/revisions")
class OverlayRevisions(MethodView):
    decorators = [officials_only]

    @blp.response(200, OverlayRevisionSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, code):
        """Every saved revision, latest effective date first, ending with the one shipped with the grid."""
        _own(code)
        return administration.overlay_history(db.session(), code)


@blp.route("/<state:code>/ceiling")
class Ceiling(MethodView):
    decorators = [officials_only]

    @blp.response(200, CeilingStateSchema)
    @blp.doc(security=BEARER)
    def get(self, code):
        """How many invitations the state issues at most per calendar year."""
        return ceiling.view(_own(code))

    @blp.arguments(CeilingSchema)
    @blp.response(200, CeilingStateSchema)
    @blp.doc(security=BEARER)
    def put(self, body, code):
        """Set the annual invitation ceiling (audited); 409 listing the rounds if scheduled rounds need more."""
        state = _own(code)
        return ceiling.save(db.session(), auth.current_account(), state, body["annual_invitation_ceiling"])


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
        """Create a category, or give it a new revision taking effect on `effective_from` (validated,
        audited; earlier revisions are kept, and rounds use the one in force on their ranking's date).

        Refused with 422, beyond the schema: `min_years` without `occupations` (it counts years in
        them); an `effective_from` before the next nightly ranking's date.
        """
        _own(code)
        administration.check_category_key(key)
        shown, _created = administration.save_category(db.session(), auth.current_account(), code, key,
                                                       body["title"], body["definition"], body.get("effective_from"))
        return shown

    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self, code, key):
        """Remove a category and its revisions (audited; rounds keep the definition they ran with)."""
        _own(code)
        administration.delete_category(db.session(), auth.current_account(), code, key)


def _state(code: str) -> MemberState:
    state = db.session().get(MemberState, code)
    if state is None:
        raise NotFound(f"There is no EU member state with the code {code!r}.")
    return state


@blp.route("/<state:code>/participation")
class Participation(MethodView):
    @blp.response(200, ParticipationSchema)
    def get(self, code):
        """Whether the state takes part in the pool today, since when, and any change scheduled (public)."""
        _state(code)
        return participation.status(db.session(), code)

    @admins_only  # outermost: who is calling is checked before what they sent
    @blp.arguments(ParticipationChangeSchema)
    @blp.response(200, ParticipationSchema)
    @blp.doc(security=BEARER)
    def post(self, body, code):
        """Record that the state takes part or not from `effective_from` (administrators; audited)."""
        _state(code)
        return participation.change(db.session(), auth.current_account(), code, body["taking_part"],
                                    body.get("effective_from"), body["reason"])


@blp.route("/<state:code>/categories/<string(maxlength=64):key>/preview")
class CategoryPreview(MethodView):
    decorators = [officials_only]

    @blp.arguments(CategoryPreviewSchema)
    @blp.response(200, PreviewSchema)
    @blp.doc(security=BEARER)
    def post(self, body, code, key):
        """Whom a round restricted to the category would reach with this definition (nothing saved)."""
        _own(code)
        administration.check_category_key(key)
        return previews.category_preview(db.session(), code, key, body["definition"], body.get("round_size"))
