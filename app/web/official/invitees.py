"""The console's invitees: the candidates who accepted the official's state's invitations, their full
profile and address (with their consent), the application's progress, and a false claim if one is found.

Only officials, and only their own state's invitees (the state comes from the account): an
administrator, who works for no state, is not the authority the candidate consented to share with,
so sees none of this. The forms post to the same service functions as the API
(`handoff.progress.record`, `handoff.misrepresentation.record`), which audit each change.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from app import db
from app.accounts.models import Role
from app.errors import Conflict, InvalidInput, NotFound
from app.handoff import misrepresentation, progress, sharing
from app.handoff.models import ApplicationStatus
from app.handoff.schemas import ApplicationInputSchema, MisrepresentationInputSchema
from app.web import profile_wording
from app.web.forms import PageForm
from app.web.official.access import official_page

blp = Blueprint("invitee_pages", __name__, url_prefix="/official/invitees")

STATUS_LABELS = {
    ApplicationStatus.LODGED.value: _l("Lodged"),
    ApplicationStatus.APPROVED.value: _l("Approved"),
    ApplicationStatus.REFUSED.value: _l("Refused"),
    ApplicationStatus.WITHDRAWN.value: _l("Withdrawn"),
}


class ProgressForm(PageForm):
    status = RadioField(_l("Where the application stands"), choices=[
        SelectChoice(value, label) for value, label in STATUS_LABELS.items()], validate_choice=False)
    lodged_on = StringField(_l("Day it was lodged"))
    decided_on = StringField(_l("Day of the decision"))


class FindingForm(PageForm):
    claim = SelectField(_l("Which claim was found false"), validate_choice=False)
    decision_reference = StringField(_l("Reference of your decision"))


PROGRESS_MESSAGES = {
    "status": _l("Choose where the application stands."),
    "lodged_on": _l("Enter the day it was lodged, as YYYY-MM-DD, not in the future."),
    "decided_on": _l("Enter the day of the decision, as YYYY-MM-DD: not before it was lodged, not in the future, "
                     "and only for an outcome."),
}
FINDING_MESSAGES = {
    "claim": _l("Choose the claim that was found false."),
    "decision_reference": _l("Enter the reference of the decision, up to 120 characters."),
}


def _officials_state(account) -> str:
    if account.role != Role.OFFICIAL:
        abort(403)
    return account.state_code


def _finding_form() -> FindingForm:
    """The finding form (bound to the posted form on a POST, as every FlaskForm is), its claims the grid's inputs."""
    form = FindingForm()
    form.claim.choices = [SelectChoice("", _("Choose a claim"))] + [
        SelectChoice(name, str(profile_wording.LABELS.get(name, name))) for name in misrepresentation.claims()]
    return form


def _place(form, names: dict, messages) -> None:
    for name in messages:
        if name in names:
            form[name].errors = [str(names[name])]


@blp.get("")
@official_page
def index(account):
    state = _officials_state(account)
    return render_template("official/invitees.html", state=state, invitees=sharing.invitees(db.session(), state),
                           labels=STATUS_LABELS)


def _detail(state: str, invitation_id: int, progress_form=None, finding_form=None, status: int = 200):
    try:
        invitee = sharing.invitee(db.session(), state, invitation_id)
    except NotFound:
        abort(404)
    if progress_form is None:
        application = invitee["application"] or {}
        progress_form = ProgressForm(data={"status": application.get("status"),
                                           "lodged_on": application.get("lodged_on") or "",
                                           "decided_on": application.get("decided_on") or ""})
    return render_template("official/invitee.html", state=state, invitee=invitee, progress_form=progress_form,
                           finding_form=finding_form or _finding_form(), labels=STATUS_LABELS,
                           field_labels=profile_wording.LABELS), status


@blp.get("/<int:invitation_id>")
@official_page
def detail(account, invitation_id: int):
    return _detail(_officials_state(account), invitation_id)


@blp.post("/<int:invitation_id>/application")
@official_page
def record_progress(account, invitation_id: int):
    state = _officials_state(account)
    form = ProgressForm()
    raw = {name: (form[name].data or None) for name in ("status", "lodged_on", "decided_on")}
    try:
        data = ApplicationInputSchema().load({k: v for k, v in raw.items() if v is not None})
        progress.record(db.session(), account, invitation_id, data["status"], data["lodged_on"], data["decided_on"])
    except ValidationError as error:
        _place(form, PROGRESS_MESSAGES, error.messages)
        return _detail(state, invitation_id, progress_form=form, status=422)
    except InvalidInput as error:
        _place(form, PROGRESS_MESSAGES, (error.errors or {}).get("json", {}))
        return _detail(state, invitation_id, progress_form=form, status=422)
    except NotFound:
        abort(404)
    flash(_("The application's progress is recorded. The candidate is told."), "success")
    return redirect(url_for("invitee_pages.detail", invitation_id=invitation_id), 303)


@blp.post("/<int:invitation_id>/misrepresentation")
@official_page
def record_finding(account, invitation_id: int):
    state = _officials_state(account)
    form = _finding_form()
    raw = {"claim": form.claim.data or "", "decision_reference": (form.decision_reference.data or "").strip()}
    try:
        data = MisrepresentationInputSchema().load(raw)
        misrepresentation.record(db.session(), account, invitation_id, data["claim"], data["decision_reference"])
    except ValidationError as error:
        _place(form, FINDING_MESSAGES, error.messages)
        return _detail(state, invitation_id, finding_form=form, status=422)
    except InvalidInput as error:
        _place(form, FINDING_MESSAGES, (error.errors or {}).get("json", {}))
        return _detail(state, invitation_id, finding_form=form, status=422)
    except (NotFound, Conflict):
        abort(404)
    flash(_("The false claim is recorded. The candidate has left the pool and is told why and how to contest it."),
          "success")
    return redirect(url_for("invitee_pages.detail", invitation_id=invitation_id), 303)
