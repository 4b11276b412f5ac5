"""The organisation's pages: register it, verify the address, accept an invitation, its home, colleagues.

Registering goes through `employers.registration.register`, as `POST /api/v1/employers` does (the
same throttle, the same answer whether or not the address was known); the mailed links open pages
that ask for a button press (verification) or a password (a colleague's invitation) before the
token is used, as the candidates' pages do.
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from wtforms.fields.choices import SelectChoice

from app import db
from app.accounts import password_reset, throttle, verification
from app.accounts.models import Role
from app.employers import membership, registration, vacancies
from app.employers.schemas import EmployerRegistrationSchema, InvitationInputSchema
from app.errors import Conflict, Forbidden, InvalidInput, TooManyAttempts
from app.states.codes import STATE_CODES
from app.web.candidate import account_security
from app.web.candidate.account import _wait_message
from app.web.candidate.account_forms import LinkForm
from app.web.candidate.signed_in import page_for
from app.web.employer.forms import ColleagueForm, EmployerRegistrationForm, InvitationForm, place_errors
from app.web.forms import checks_own_text, refuse_unstorable
from app.web.languages import state_name

blp = Blueprint("employer_pages", __name__, url_prefix="/employer")
ORGANISATION = ("name", "state", "registration_number", "contact_name", "address")


def employer_page(view):
    """Call `view(account, employer, ...)` for a signed-in person acting for an employer."""
    @page_for(Role.EMPLOYER)
    @wraps(view)
    def wrapper(account, *args, **kwargs):
        return view(account, membership.employer_of(db.session(), account), *args, **kwargs)
    return wrapper


def _registration_form() -> EmployerRegistrationForm:
    form = EmployerRegistrationForm()
    form.state.choices = [SelectChoice("", _("Choose a member state"))] + sorted(
        (SelectChoice(code, state_name(code)) for code in STATE_CODES), key=lambda choice: choice.label)
    return form


@blp.route("/register", methods=["GET", "POST"])
@checks_own_text
def register():
    form = _registration_form()
    if request.method == "GET":
        return render_template("employer/register.html", form=form)
    if refuse_unstorable(form):
        return render_template("employer/register.html", form=form), 422
    try:
        data = EmployerRegistrationSchema().load({name: form[name].data or "" for name in (*ORGANISATION, "email",
                                                                                         "password")})
        registration.register({name: data[name] for name in ORGANISATION}, data["email"], data["password"],
                              throttle.client_address(request.remote_addr))
    except ValidationError as error:
        place_errors(form, error.messages)
        return render_template("employer/register.html", form=form), 422
    except Conflict as error:
        place_errors(form, (error.errors or {}).get("json", {}))
        form.registration_number.errors = [_("An organisation with this registration number is registered in "
                                             "that member state already. Ask its people to add you.")]
        return render_template("employer/register.html", form=form), 409
    except TooManyAttempts as error:
        form.form_errors.append(_wait_message(error))
        return render_template("employer/register.html", form=form), 429
    flash(_("Check your inbox: we have sent a message to this address. You can sign in now and prepare vacancies; "
            "an official of your member state verifies your organisation once you have followed the link."), "success")
    return redirect(url_for("account_pages.sign_in", next=url_for("employer_pages.home")), 303)


def _verify_page(form):
    return render_template("candidate/verify.html", form=form, action=url_for("employer_pages.verify"), explanation=_(
        "Press the button to confirm that this email address is yours. An official of your member state can then "
        "verify your organisation."))


@blp.route("/verify", methods=["GET", "POST"])
def verify():
    form = LinkForm()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")
        return _verify_page(form)
    try:
        verification.verify(db.session(), form.token.data or "")
    except InvalidInput:
        form.form_errors.append(_("This link has expired or has been used already. Sign in and ask for a new one "
                                  "on your organisation's page."))
        return _verify_page(form), 422
    return render_template("employer/verified.html")


@blp.route("/invitation", methods=["GET", "POST"])
@checks_own_text
def invitation():
    form = InvitationForm()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")
        return render_template("employer/invitation.html", form=form)
    if refuse_unstorable(form):
        return render_template("employer/invitation.html", form=form), 422
    password = form.password.data or ""
    if not 10 <= len(password) <= 256:
        form.password.errors = [_("Enter a password of 10 to 256 characters.")]
        return render_template("employer/invitation.html", form=form), 422
    try:
        password_reset.complete_reset(form.token.data or "", password)
    except InvalidInput:
        form.form_errors.append(_("This link has expired or has been used already. Ask your colleague to add you "
                                  "again."))
        return render_template("employer/invitation.html", form=form), 422
    flash(_("Your password is set. Sign in to act for your organisation."), "success")
    return redirect(url_for("account_pages.sign_in", next=url_for("employer_pages.home")), 303)


@blp.get("/")
@employer_page
def home(account, employer):
    return render_template("employer/home.html", account=account, employer=employer,
                           vacancies=vacancies.own(db.session(), employer))


@blp.post("/verification")
@employer_page
def resend_verification(account, employer):
    account_security.resend_with_notice(account)
    return redirect(url_for("employer_pages.home"), 303)


@blp.route("/colleagues", methods=["GET", "POST"])
@checks_own_text
@employer_page
def colleagues(account, employer):
    form = ColleagueForm()
    status = 200
    if request.method == "POST":
        try:
            if refuse_unstorable(form):
                raise ValidationError({})
            data = InvitationInputSchema().load({"email": form.email.data or ""})
            registration.invite(db.session(), account, employer, data["email"])
        except ValidationError as error:
            if error.messages:
                form.email.errors = [_("Enter an email address in the correct format, like name@example.com.")]
            status = 422
        except Forbidden:
            form.form_errors.append(_("Your organisation can add colleagues once its member state has verified it, "
                                      "and not while it is suspended."))
            status = 403
        else:
            flash(_("If this address was new, your colleague has an account under your organisation now and a link "
                    "to choose a password; if it was registered already, its owner was told instead."), "success")
            return redirect(url_for("employer_pages.colleagues"), 303)
    return render_template("employer/colleagues.html", form=form, employer=employer,
                           people=membership.people(db.session(), employer.id)), status
