"""The console's employers: the official's state's employers (pending first), each with its vacancies,
and the state's control of them — verify, suspend with a reason, lift the suspension.

Only officials, and only their own state (the state comes from the account): an employer of another
state is a 404, as in the API. The buttons post to the service functions the API calls
(`employers.control`), which audit each action and mail the employer's people.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import db
from app.accounts.models import Role
from app.employers import control, membership, vacancies
from app.employers.schemas import SuspensionInputSchema
from app.error_translation import translate
from app.errors import Conflict
from app.web.employer.forms import SuspensionForm
from app.web.forms import checks_own_text, refuse_unstorable
from app.web.official.access import official_page

blp = Blueprint("employer_control_pages", __name__, url_prefix="/official/employers")
EMPLOYER = "/<int(min=1, max=2147483647):employer_id>"


def _officials_state(account) -> str:
    if account.role != Role.OFFICIAL:
        abort(403)
    return account.state_code


@blp.get("/")
@official_page
def index(account):
    state = _officials_state(account)
    return render_template("official/employers.html", state=state, employers=control.of_state(db.session(), state))


def _detail(account, employer_id, form=None, status=200):
    session = db.session()
    employer = control.get(session, _officials_state(account), employer_id)
    return render_template("official/employer.html", employer=employer, form=form or SuspensionForm(),
                           people=membership.people(session, employer.id),
                           vacancies=vacancies.own(session, employer)), status


@blp.get(EMPLOYER)
@official_page
def detail(account, employer_id):
    return _detail(account, employer_id)


def _act(account, employer_id, action, done: str):
    session = db.session()
    employer = control.get(session, _officials_state(account), employer_id)
    try:
        action(session, account, employer)
    except Conflict as error:
        flash(translate(error.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for("employer_control_pages.detail", employer_id=employer_id), 303)


@blp.post(f"{EMPLOYER}/verify")
@official_page
def verify(account, employer_id):
    return _act(account, employer_id, control.verify, _("The employer is verified: it may publish vacancies."))


@blp.post(f"{EMPLOYER}/lift")
@official_page
def lift(account, employer_id):
    return _act(account, employer_id, control.reinstate, _("The suspension is lifted."))


@blp.post(f"{EMPLOYER}/suspend")
@checks_own_text
@official_page
def suspend(account, employer_id):
    form = SuspensionForm()
    if refuse_unstorable(form):
        return _detail(account, employer_id, form, 422)
    if SuspensionInputSchema().validate({"reason": form.reason.data or ""}):
        form.reason.errors = [_("Say why the employer is suspended, in up to 500 characters.")]
        return _detail(account, employer_id, form, 422)
    reason = form.reason.data
    return _act(account, employer_id, lambda session, official, employer: control.suspend(
        session, official, employer, reason), _("The employer is suspended; its open vacancies are closed."))
