"""Register, sign in and out, and the account's own page: download the data, erase the account.

Registration and sign-in go through the same functions as `POST /api/v1/accounts` and
`POST /api/v1/tokens` (`_register` and `_sign_in` below are the only calls), so throttling and
every rule of the API hold here too; their input is checked with the API's schemas. Registering
says the same whether or not the address was known, as the API does. Signing in
rotates the browser session (`browser_session.start`).
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from app import db
from app.accounts import registration, throttle, tokens
from app.accounts.two_factor import SecondFactorNeeded
from app.accounts.models import Role
from app.accounts.schemas import CredentialsSchema, RegistrationSchema
from app.errors import NotFound, TooManyAttempts, Unauthorized
from app.privacy import erasure, export
from app.privacy.schemas import ExportSchema
from app.profiles import lifecycle as profiles
from app.web import browser_session
from app.web.forms import checks_own_text, refuse_unstorable
from app.web.candidate.account_forms import PasswordForm, RegisterForm, SignInForm
from app.web.candidate.signed_in import candidate_page, current_account, safe_next
from app.web.official import sign_in_code

blp = Blueprint("account_pages", __name__)


def _register(email: str, password: str) -> None:
    registration.sign_up(email, password, throttle.client_address(request.remote_addr))


def _sign_in(email: str, password: str) -> str:
    raw, _token = tokens.issue(email, password, throttle.client_address(request.remote_addr))
    return raw


def _schema_errors(form, schema, messages_by_field: dict) -> dict | None:
    """Load the form's text with the API's `schema`; on refusal put the page's message on each field.

    Text no database can store is refused first, with its own message (the API's JSON check does not
    see a form)."""
    if refuse_unstorable(form):
        return None
    try:
        return schema.load({name: form[name].data or "" for name in messages_by_field})
    except ValidationError as error:
        for name in error.messages:
            if name in messages_by_field:
                form[name].errors = [str(messages_by_field[name])]
        return None


def _wait_message(error: TooManyAttempts) -> str:
    minutes = max(1, -(-int(error.headers.get("Retry-After", "60")) // 60))
    return _("Too many attempts. Wait %(minutes)s minutes, then try again.", minutes=minutes)


def _checked_sign_in(form, field, email: str, password: str, wrong: str) -> tuple[str | None, int]:
    """(new token, 200), or (None, status of the refusal) with its message on `field` or the form."""
    try:
        return _sign_in(email, password), 200
    except SecondFactorNeeded:
        raise
    except Unauthorized as error:
        field.errors = [_("This account has been disabled. Ask an administrator.")
                        if error.message == tokens.DISABLED else wrong]
        return None, 401
    except TooManyAttempts as error:
        form.form_errors.append(_wait_message(error))
        return None, 429


@blp.route("/register", methods=["GET", "POST"])
@checks_own_text
def register():
    form = RegisterForm()
    if request.method == "POST":
        data = _schema_errors(form, RegistrationSchema(), {
            "email": _("Enter an email address in the correct format, like name@example.com."),
            "password": _("Enter a password of 10 to 256 characters."),
        })
        if data is not None:
            try:
                _register(data["email"], data["password"])
            except TooManyAttempts as error:
                form.form_errors.append(_wait_message(error))
                return render_template("candidate/register.html", form=form), 429
            # The same words whether the address was new or known (the service mailed its owner).
            flash(_("Check your inbox: we have sent a message to this address. You can sign in now and fill in "
                    "your profile; it enters the pool once you have followed the link in the message."), "success")
            return redirect(url_for("account_pages.sign_in", next=url_for("profile_pages.edit")), 303)
        return render_template("candidate/register.html", form=form), 422
    return render_template("candidate/register.html", form=form)


@blp.route("/sign-in", methods=["GET", "POST"])
@checks_own_text
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        return render_template("candidate/sign_in.html", form=form)
    data = _schema_errors(form, CredentialsSchema(), {
        "email": _("Enter your email address."), "password": _("Enter your password.")})
    if data is None:
        return render_template("candidate/sign_in.html", form=form), 422
    try:
        raw, status = _checked_sign_in(form, form.email, data["email"], data["password"],
                                       _("The email address or the password is wrong."))
    except SecondFactorNeeded as needed:  # an official or administrator: the code comes next
        return sign_in_code.next_step(needed, form.next.data)
    if raw is None:
        return render_template("candidate/sign_in.html", form=form), status
    browser_session.start(raw)
    return redirect(safe_next(form.next.data) or _landing_page(), 303)


LANDING = {Role.CANDIDATE: "account_pages.overview", Role.EMPLOYER: "employer_pages.home"}


def _landing_page() -> str:
    """Where a sign-in without a `next` goes: the candidate's account, the employer's home, or the officials' console."""
    found = browser_session.signed_in()
    return url_for(LANDING.get(found[0].role, "official_pages.home") if found else "account_pages.overview")


@blp.post("/sign-out")
def sign_out():
    raw = browser_session.end()
    found = tokens.authenticate(db.session(), raw) if raw else None
    if found:
        tokens.revoke(db.session(), *found)
    return render_template("candidate/signed_out.html")


@blp.get("/account")
@candidate_page
def overview(account):
    session = db.session()
    try:
        profile = profiles.view(session, profiles.get(session, account))
    except NotFound:
        profile = None
    return render_template("candidate/account.html", account=account, profile=profile)


@blp.get("/account/export")
@candidate_page
def download(account):
    """The same document as `GET /api/v1/me/export`, as a file to keep."""
    document = ExportSchema().dump(export.collect(db.session(), account))
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="talent-pool-my-data.json"'})


@blp.route("/account/erase", methods=["GET", "POST"])
@checks_own_text
@candidate_page
def erase(account):
    """Erase the account once the password is typed again: a session left open is not enough."""
    form = PasswordForm()
    if request.method == "GET":
        return render_template("candidate/erase.html", form=form)
    password = form.password.data or ""
    if refuse_unstorable(form):
        return render_template("candidate/erase.html", form=form), 422
    if not password:
        form.password.errors = [_("Enter your password.")]
        return render_template("candidate/erase.html", form=form), 422
    # The API's sign-in checks it: a wrong password counts towards the same throttle. That check
    # hashes with no transaction open and counts in its own, so the request's transaction (opened to
    # find the signed-in account, nothing written yet) ends first; the erasure below opens the next.
    email = account.email
    db.end_read()
    raw, status = _checked_sign_in(form, form.password, email, password, _("The password is wrong."))
    if raw is None:
        return render_template("candidate/erase.html", form=form), status
    erasure.erase(db.session(), account)
    browser_session.end()
    return render_template("candidate/erased.html")


@blp.app_context_processor
def signed_in_account():
    """`page_account()` in every template: the header shows "Your account" or "Sign in"."""
    return {"page_account": current_account}
