"""The rounds console: a state's rounds, simulating one and then scheduling the same parameters,
cancelling one before it runs, and a round's result, invitees and latest simulation.

Over the same service functions as `/api/v1/states/<code>/rounds...`: `simulation.compute`/`keep`,
`scheduling.schedule`, `scheduling.cancel`. The flow is simulate → see the result → schedule:
the result page carries the simulated parameters in hidden fields, so what is scheduled is
exactly what was simulated. Only a state's own officials act; an administrator reads (`?state=`),
as in the API, where rounds are their officials' alone.

The services' refusals are in English for the API; here each refused field gets the page's own
message in the page's language (the field named by the service decides which).
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from app import clock, db
from app.accounts.models import Role
from app.errors import Conflict, InvalidInput, NotFound
from app.invitations.models import InvitationStatus
from app.occupations import isco
from app.rounds import record, scheduling, simulation
from app.states import administration
from app.web.forms import PageForm
from app.web.official.access import official_page, state_of

blp = Blueprint("official_rounds", __name__, url_prefix="/official/rounds")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
WITH_SECONDS = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d):\d\d")


def _date(form, field) -> None:
    try:
        datetime.strptime(field.data or "", "%Y-%m-%d")
    except ValueError:
        raise ValidationError(_("Enter the date as year-month-day, for example 2026-12-01.")) from None


def _time(form, field) -> None:
    value = (field.data or "").strip()
    if WITH_SECONDS.match(value):
        raise ValidationError(_("Enter hours and minutes only: rounds run at whole minutes."))
    if not TIME.match(value):
        raise ValidationError(_("Enter the time as hours and minutes, for example 10:00."))


class RoundForm(PageForm):
    """A proposed round: the same fields as the API's `RoundInputSchema`, date and time apart."""

    date = StringField(_l("Date (UTC)"), [InputRequired(_l("Enter the date of the round.")), _date])
    time = StringField(_l("Time (UTC)"), [InputRequired(_l("Enter the time of the round.")), _time])
    invitations = IntegerField(_l("Invitations"), [InputRequired(_l("Enter how many invitations to issue.")),
                                                   NumberRange(1, 1_000_000)])
    category = SelectField(_l("Category"), choices=[], validate_choice=True)
    min_score = IntegerField(_l("Minimum score (optional)"), [Optional(), NumberRange(0, 10_000)])

    def request_data(self) -> dict:
        """What the services take, as the API's schema loads it."""
        moment = datetime.strptime(f"{self.date.data} {self.time.data.strip()}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        return {"scheduled_at": moment, "invitations": self.invitations.data, "category": self.category.data or None,
                "min_score": self.min_score.data}


class CancelForm(PageForm):
    key = HiddenField()


def major_group_titles() -> dict:
    """ISCO-08 major groups' titles in the page's language (each with the language it is in)."""
    return {str(group): isco.title(str(group)) for group in range(10)}


def _state(account):
    state = state_of(account)
    found = {s.code: s for s in administration.all_states(db.session())}.get(state or "")
    return found, found.code if found and account.role == Role.ADMIN else None


def _form(state, formdata=None) -> RoundForm:
    form = RoundForm(formdata=formdata)
    form.category.choices = [("", _("No category: the whole pool"))] + [
        (c["key"], c["title"]) for c in administration.category_list(db.session(), state.code)]
    return form


def _render_index(account, state, admin_state, form, status=200):
    session = db.session()
    rounds = [record.view(r) for r in record.state_rounds(session, state.code)]
    return render_template("official/rounds_index.html", account=account, state=state, rounds=rounds, form=form,
                           state_arg={"state": admin_state} if admin_state else {},
                           ceiling=scheduling.ceiling_use(session, state, clock.now().year)), status


@blp.get("/")
@official_page
def index(account):
    state, admin_state = _state(account)
    if state is None:
        return render_template("official/rounds_index.html", account=account, state=None,
                               states=administration.all_states(db.session()), state_arg={})
    form = _form(state)
    form.invitations.data = form.invitations.data or None
    return _render_index(account, state, admin_state, form)


def _refusal_on_fields(form: RoundForm, state, refusal: InvalidInput) -> None:
    """The service's 422, field by field, in the page's words."""
    fields = (refusal.errors or {}).get("json", {})
    if "scheduled_at" in fields:
        problem = _("Choose a whole minute in the future, at most %(days)s days ahead.",
                    days=scheduling.MAX_DAYS_AHEAD)
        form.date.errors = [*form.date.errors, problem]
    if "invitations" in fields:
        left = scheduling.ceiling_use(db.session(), state, form.request_data()["scheduled_at"].year)["left"]
        form.invitations.errors = [*form.invitations.errors,
                                   _("At most %(left)s: what is left of the annual ceiling that year.", left=left)]
    if "category" in fields:
        form.category.errors = [*form.category.errors, _("Choose one of your state's categories.")]


def _conflict_message(state) -> str:
    if state.annual_invitation_ceiling is None:
        return _("Your state has no annual ceiling yet: set it before scheduling rounds.")
    return _("The pool has not been ranked yet, or your state already has a round at that minute.")


def _checked(account):
    """The official's state and the posted form, validated; (state, form, error response)."""
    if account.role != Role.OFFICIAL:
        abort(403)
    state, admin_state = _state(account)
    form = _form(state, request.form)
    if not form.validate():
        return state, form, _render_index(account, state, admin_state, form, 422)
    return state, form, None


def _submitted(account, act):
    """Validate the posted round, then `act(state, form)`; (its result, None) or (None, the refusal page)."""
    state, form, refused = _checked(account)
    if refused:
        return None, refused
    try:
        return act(state, form), None
    except InvalidInput as refusal:
        _refusal_on_fields(form, state, refusal)
        return None, _render_index(account, state, None, form, 422)
    except Conflict:
        form.form_errors.append(_conflict_message(state))
        return None, _render_index(account, state, None, form, 409)


@blp.post("/simulate")
@db.reads_first
@official_page
def simulate(account):
    def run(state, form):
        computed = simulation.compute(db.session(), state, form.request_data())  # under a read transaction
        db.begin_write()
        kept = simulation.keep(db.session(), account, state.code, computed)
        return render_template("official/rounds_simulation.html", account=account, state=state, form=form,
                               simulation=simulation.view(kept), major_groups=major_group_titles(), state_arg={})

    page, refused = _submitted(account, run)
    return refused or page


@blp.post("/schedule")
@official_page
def schedule(account):
    round_, refused = _submitted(account, lambda state, form: scheduling.schedule(
        db.session(), account, state, form.request_data()))
    return refused or redirect(url_for("official_rounds.detail", key=round_.key, scheduled=1), 303)


@blp.get("/<key>")
@official_page
def detail(account, key: str):
    state, admin_state = _state(account)
    if state is None:
        abort(404)
    session = db.session()
    try:
        round_ = record.of_state(session, state.code, key)
    except NotFound:
        abort(404)
    pairs = record.invitees(session, round_)
    invitees = [{"reference": reference, "score": i.score, "rank": i.rank, "status": i.status}
                for i, reference in pairs]
    answers = Counter(i["status"] for i in invitees)
    latest = simulation.latest(session, state.code, round_.scheduled_at)
    same = None
    if latest is not None and round_.invited is not None:
        same = simulation.invitees_hash([i.candidate_id for i, _ref in pairs]) == latest.invitees_hash
    return render_template("official/rounds_round.html", account=account, state=state, round=record.view(round_),
                           invitees=invitees, answers={s.value: answers.get(s.value, 0) for s in InvitationStatus},
                           simulation=simulation.view(latest) if latest else None, same_invitees=same,
                           major_groups=major_group_titles(),
                           cancel=CancelForm(key=key), just_scheduled=bool(request.args.get("scheduled")),
                           state_arg={"state": admin_state} if admin_state else {})


@blp.route("/<key>/cancel", methods=["GET", "POST"])
@official_page
def cancel(account, key: str):
    if account.role != Role.OFFICIAL:
        abort(403)
    state, _admin = _state(account)
    session = db.session()
    try:
        round_ = record.of_state(session, state.code, key)
    except NotFound:
        abort(404)
    form = CancelForm()
    if request.method == "GET" or not form.validate():
        return render_template("official/rounds_cancel.html", account=account, state=state,
                               round=record.view(round_), form=form, state_arg={})
    try:
        scheduling.cancel(session, account, state, key)
    except Conflict:
        return render_template("official/rounds_cancel.html", account=account, state=state,
                               round=record.view(round_), form=form, refused=True, state_arg={}), 409
    return redirect(url_for("official_rounds.index", cancelled=round_.key), 303)
