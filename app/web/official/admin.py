"""The administrators' pages of the console: the audit trail, and officials' accounts.

The audit trail is filtered by a GET form (state, action from `audit.actions.ACTIONS`,
actor, a date range), so a filtered page can be bookmarked and works without JavaScript; a filter
the form does not offer (a misspelt action, a date that is not one) is a 422 with the message on
its field, never an empty page that looks like "nothing happened". Account changes are POSTs with
CSRF, each audited by the service (`accounts.staff`, `accounts.two_factor.reset`).
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlmodel import func, select
from wtforms import DateField, EmailField, Form, IntegerField, PasswordField, SelectField
from wtforms.validators import NumberRange, Optional

from app import db
from app.accounts import staff, two_factor
from app.accounts.passwords import hash_password
from app.accounts.schemas import RegistrationSchema
from app.audit import trail
from app.audit.actions import ACTIONS
from app.errors import Conflict, InvalidInput
from app.states import administration
from app.web.forms import PageForm
from app.web.languages import state_name
from app.web.official.access import official_page

blp = Blueprint("admin_pages", __name__, url_prefix="/official")
PAGE_SIZE = 50


class AuditFilterForm(Form):
    """The audit trail's filters, read from the query string (no CSRF: it only reads)."""

    state = SelectField(_l("Member state"), default="")
    action = SelectField(_l("Action"), default="")
    actor = SelectField(_l("Who"), default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To (inclusive)"), validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=10**9)])


class NewOfficialForm(PageForm):
    email = EmailField(_l("Email address"))
    state = SelectField(_l("Member state"), validate_choice=False)
    password = PasswordField(_l("First password"))


def _state_choices(session, first: str) -> list[tuple[str, str]]:
    return [("", first)] + [(s.code, state_name(s.code)) for s in administration.all_states(session)]


def _audit_filters(session) -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.state.choices = _state_choices(session, _("Every state"))
    form.action.choices = [("", _("Every action"))] + [(a, a) for a in sorted(ACTIONS)]
    form.actor.choices = [("", _("Anyone"))] + [(str(m.account.id), m.account.email) for m in staff.list_staff(session)]
    return form


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@blp.get("/audit")
@official_page(admin_only=True)
def audit(account):
    session = db.session()
    form = _audit_filters(session)
    if not form.validate():
        return render_template("official/audit.html", form=form, events=[], emails={}, pages=None), 422
    since = _day_start(form.since.data) if form.since.data else None
    before = _day_start(form.until.data + timedelta(days=1)) if form.until.data else None
    statement = trail.query(state_code=form.state.data or None, action=form.action.data or None,
                            actor_id=int(form.actor.data) if form.actor.data else None, since=since, before=before)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    page = form.page.data or 1
    events = session.exec(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    emails = {value: label for value, label in form.actor.choices if value}
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    pages = {"page": page, "count": max(1, -(-total // PAGE_SIZE)), "total": total, "args": args}
    return render_template("official/audit.html", form=form, events=events, emails=emails, pages=pages)


@blp.get("/accounts")
@official_page(admin_only=True)
def accounts(account):
    return render_template("official/accounts.html", members=staff.list_staff(db.session()), me=account)


def _new_official_page(form, status=200):
    form.state.choices = _state_choices(db.session(), _("Choose a member state"))
    return render_template("official/accounts_new.html", form=form), status


@blp.route("/accounts/new", methods=["GET", "POST"])
@official_page(admin_only=True)
def new_official(account):
    form = NewOfficialForm()
    if request.method == "GET":
        return _new_official_page(form)
    try:
        data = RegistrationSchema().load({"email": form.email.data or "", "password": form.password.data or ""})
    except ValidationError as error:
        data = None
        if "email" in error.messages:
            form.email.errors = [_("Enter an email address in the correct format, like name@example.com.")]
        if "password" in error.messages:
            form.password.errors = [_("Enter a password of 10 to 256 characters.")]
    if not form.state.data:
        form.state.errors = [_("Choose the member state the official works for.")]
    if data is None or form.state.errors:
        return _new_official_page(form, 422)
    db.end_read()  # the hash below holds no database lock (the request had only read)
    password_hash = hash_password(data["password"])
    try:
        created = staff.create_official(db.session(), account, data["email"], password_hash, form.state.data.upper())
    except InvalidInput:
        form.state.errors = [_("Choose the member state the official works for.")]
        return _new_official_page(form, 422)
    except Conflict:
        form.email.errors = [_("An account with this email address already exists.")]
        return _new_official_page(form, 422)
    flash(_("Account created for %(email)s. They set up two-factor sign-in when they first sign in.",
            email=created.email), "success")
    return redirect(url_for("admin_pages.accounts"), 303)


@blp.post("/accounts/<int:account_id>/disable")
@official_page(admin_only=True)
def disable(account, account_id):
    return _change(account, account_id, "disable")


@blp.post("/accounts/<int:account_id>/enable")
@official_page(admin_only=True)
def enable(account, account_id):
    return _change(account, account_id, "enable")


@blp.post("/accounts/<int:account_id>/reset-two-factor")
@official_page(admin_only=True)
def reset_two_factor(account, account_id):
    return _change(account, account_id, "reset")


def _change(actor, account_id: int, what: str):
    session = db.session()
    target = staff.get(session, account_id)
    try:
        if what == "reset":
            two_factor.reset(session, actor, target)
            message = _("Two-factor sign-in reset for %(email)s: they set it up again at their next sign-in.",
                        email=target.email)
        else:
            staff.set_disabled(session, actor, target, what == "disable")
            message = (_("%(email)s is disabled and signed out everywhere.", email=target.email) if what == "disable"
                       else _("%(email)s can sign in again.", email=target.email))
    except Conflict:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("admin_pages.accounts"), 303)
    flash(message, "success")
    return redirect(url_for("admin_pages.accounts"), 303)
