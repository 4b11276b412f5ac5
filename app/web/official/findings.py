"""The console's false claims: every finding of misrepresentation, a finding's page, and lifting its bar.

An administrator sees every state's findings, filtered by state and by where the bar stands
(active, lifted, ended), and lifts a bar with a reason after a confirmation page; the lift is
`handoff.misrepresentation.lift`, which audits it and tells the candidate. An official sees their
own state's findings, read only (the state comes from the account, never from the URL: another
state's finding is a 404). The filters are a GET form, so a filtered list can be bookmarked; a
filter the form does not offer is a 422 with the message on its field.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, HiddenField, SelectField, StringField

from app import clock, db
from app.accounts.models import Role
from app.errors import Conflict, InvalidInput
from app.handoff import misrepresentation
from app.states import administration
from app.web import profile_wording
from app.web.forms import PageForm
from app.web.languages import state_name
from app.web.official.access import official_page

blp = Blueprint("finding_pages", __name__, url_prefix="/official/findings")
REASON_LENGTH = 300

STANDING_LABELS = {
    misrepresentation.Standing.ACTIVE: _l("Barred now"),
    misrepresentation.Standing.LIFTED: _l("Lifted"),
    misrepresentation.Standing.ENDED: _l("Ended"),
}


class FindingFilterForm(Form):
    """The list's filters, read from the query string (no CSRF: it only reads)."""

    state = SelectField(_l("Member state"), default="")
    standing = SelectField(_l("Bar"), default="")


class LiftForm(PageForm):
    reason = StringField(_l("Why the bar is lifted"))
    confirmed = HiddenField()


def _filters(session, account) -> FindingFilterForm:
    args = request.args.copy()
    if account.role == Role.OFFICIAL:
        args["state"] = account.state_code  # their own state, whatever the URL says
    form = FindingFilterForm(args)
    if account.role == Role.OFFICIAL:
        form.state.choices = [(account.state_code, state_name(account.state_code))]
    else:
        form.state.choices = [("", _("Every state"))] + [
            (s.code, state_name(s.code)) for s in administration.all_states(session)]
    form.standing.choices = [("", _("Any"))] + [(value.value, str(label)) for value, label in STANDING_LABELS.items()]
    return form


def claim_label(claim: str) -> str:
    return str(profile_wording.LABELS.get(claim, claim))


def _view(finding, now) -> dict:
    standing = misrepresentation.standing(finding, now)
    return {"finding": finding, "standing": standing, "standing_label": STANDING_LABELS[standing],
            "claim_label": claim_label(finding.claim)}


@blp.get("")
@official_page
def index(account):
    session = db.session()
    form = _filters(session, account)
    if not form.validate():
        return render_template("official/findings.html", form=form, findings=None), 422
    state = account.state_code if account.role == Role.OFFICIAL else (form.state.data or None)
    now = clock.now()
    standing = misrepresentation.Standing(form.standing.data) if form.standing.data else None
    findings = [_view(f, now) for f in misrepresentation.findings(session, state, standing, now)]
    return render_template("official/findings.html", form=form, findings=findings)


def _finding_for(session, account, finding_id: int):
    finding = misrepresentation.get(session, finding_id)
    if finding is None or (account.role == Role.OFFICIAL and finding.state_code != account.state_code):
        abort(404)
    return finding


@blp.get("/<int:finding_id>")
@official_page
def detail(account, finding_id: int):
    finding = _finding_for(db.session(), account, finding_id)
    return render_template("official/finding.html", item=_view(finding, clock.now()), form=LiftForm(formdata=None),
                           can_lift=account.role == Role.ADMIN)


@blp.post("/<int:finding_id>/lift")
@official_page(admin_only=True)
def lift(account, finding_id: int):
    """Two steps: the reason (checked), then a confirmation page that carries it; lifted on "Yes"."""
    session = db.session()
    finding = _finding_for(session, account, finding_id)
    form = LiftForm()
    item = _view(finding, clock.now())
    reason = (form.reason.data or "").strip()
    if not form.validate() or not reason or len(reason) > REASON_LENGTH:
        form.reason.errors = [_("Say why the bar is lifted (for example, the decision that set the finding "
                                "aside), in up to 300 characters.")]
        return render_template("official/finding.html", item=item, form=form, can_lift=True), 422
    if form.confirmed.data != "yes":
        return render_template("official/finding_lift.html", item=item, form=form, reason=reason)
    try:
        misrepresentation.lift(session, account, finding.id, reason)
    except (Conflict, InvalidInput):
        flash(_("This bar was lifted already."), "error")
        return redirect(url_for("finding_pages.detail", finding_id=finding.id), 303)
    flash(_("The bar is lifted: the candidate may enter the pool again, and has been told."), "success")
    return redirect(url_for("finding_pages.detail", finding_id=finding.id), 303)
