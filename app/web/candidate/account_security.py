"""The account's safety pages: verify the address, forgotten password, change the password or the
address, sign out everywhere.

Each calls the service the API calls (`verification`, `password_reset`, `credentials`), with the
input checked by the API's schemas, so the rules and throttles are the same. A page opened from a
mailed link (`?token=...`) only shows a button: the token is used when the person presses it, not
when a mail scanner fetches the link. Asking for a reset link answers the same whether or not the
address is registered, as the API does.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import db
from app.accounts import credentials, password_reset, throttle, verification
from app.accounts.schemas import AddressChangeSchema, PasswordChangeSchema, PasswordResetRequestSchema
from app.errors import Conflict, InvalidInput, TooManyAttempts
from app.web import browser_session
from app.web.candidate.account import _schema_errors, _wait_message
from app.web.candidate.account_forms import (AddressChangeForm, EmailForm, LinkForm, NewPasswordForm,
                                             PasswordChangeForm)
from app.web.candidate.signed_in import candidate_page

blp = Blueprint("account_security_pages", __name__)


def _address() -> str:
    return throttle.client_address(request.remote_addr)


def _link_form(form_type):
    form = form_type()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")
    return form


def _new_password_message() -> str:
    return _("Enter a password of 10 to 256 characters.")


@blp.route("/account/verify", methods=["GET", "POST"])
def verify():
    form = _link_form(LinkForm)
    if request.method == "GET":
        return render_template("candidate/verify.html", form=form)
    try:
        verification.verify(db.session(), form.token.data or "")
    except InvalidInput:
        form.form_errors.append(_("This link has expired or has been used already. Sign in and ask for a new one "
                                  "on your account page."))
        return render_template("candidate/verify.html", form=form), 422
    return render_template("candidate/verified.html")


@blp.post("/account/verification")
@candidate_page
def resend_verification(account):
    resend_with_notice(account)
    return redirect(url_for("account_pages.overview"), 303)


def resend_with_notice(account) -> None:
    """Mail the verification link again, and say on the next page what happened (any role's page)."""
    try:
        verification.resend(account)
    except Conflict:
        flash(_("Your email address is verified already."), "success")
    except TooManyAttempts as error:
        flash(_wait_message(error), "error")
    else:
        flash(_("We sent a new link to %(email)s. It works once.", email=account.email), "success")


@blp.route("/password/forgotten", methods=["GET", "POST"])
def forgotten():
    form = EmailForm()
    if request.method == "GET":
        return render_template("candidate/forgotten.html", form=form)
    data = _schema_errors(form, PasswordResetRequestSchema(), {
        "email": _("Enter an email address in the correct format, like name@example.com.")})
    if data is None:
        return render_template("candidate/forgotten.html", form=form), 422
    try:
        password_reset.request_reset(data["email"])
    except TooManyAttempts as error:
        form.form_errors.append(_wait_message(error))
        return render_template("candidate/forgotten.html", form=form), 429
    return render_template("candidate/check_email.html", title=_("Check your email"), text=_(
        "If an account has this address, we have sent it a link to choose a new password. The link works once, "
        "for one hour. If no message arrives, check the address, and your spam folder."))


@blp.route("/password/reset", methods=["GET", "POST"])
def reset():
    form = _link_form(NewPasswordForm)
    if request.method == "GET":
        return render_template("candidate/reset.html", form=form)
    password = form.password.data or ""
    if not 10 <= len(password) <= 256:
        form.password.errors = [_new_password_message()]
        return render_template("candidate/reset.html", form=form), 422
    try:
        password_reset.complete_reset(form.token.data or "", password)
    except InvalidInput:
        return render_template("candidate/reset.html", form=form, unusable=True), 422
    browser_session.end()
    flash(_("Your password is changed and you are signed out everywhere. Sign in with the new password."), "success")
    return redirect(url_for("account_pages.sign_in"), 303)


@blp.route("/account/password", methods=["GET", "POST"])
@candidate_page
def change_password(account):
    form = PasswordChangeForm()
    if request.method == "GET":
        return render_template("candidate/password.html", form=form)
    data = _schema_errors(form, PasswordChangeSchema(), {
        "current_password": _("Enter your current password."), "new_password": _new_password_message()})
    if data is None:
        return render_template("candidate/password.html", form=form), 422
    _account, token = browser_session.signed_in()
    try:
        credentials.change_password(account, token, data["current_password"], data["new_password"], _address())
    except InvalidInput:
        form.current_password.errors = [_("The password is wrong.")]
        return render_template("candidate/password.html", form=form), 422
    except TooManyAttempts as error:
        form.form_errors.append(_wait_message(error))
        return render_template("candidate/password.html", form=form), 429
    flash(_("Your password is changed. Every other session is signed out."), "success")
    return redirect(url_for("account_pages.overview"), 303)


@blp.route("/account/email", methods=["GET", "POST"])
@candidate_page
def change_email(account):
    form = AddressChangeForm()
    if request.method == "GET":
        return render_template("candidate/email.html", form=form)
    data = _schema_errors(form, AddressChangeSchema(), {
        "email": _("Enter an email address in the correct format, like name@example.com."),
        "password": _("Enter your password.")})
    if data is None:
        return render_template("candidate/email.html", form=form), 422
    try:
        confirmed = credentials.confirm_password(account, data["password"], _address())
        verification.request_address_change(db.session(), confirmed, data["email"])
    except InvalidInput as error:
        if "email" in error.errors.get("json", {}):
            form.email.errors = [_("This is your email address already.")]
        else:
            form.password.errors = [_("The password is wrong.")]
        return render_template("candidate/email.html", form=form), 422
    except TooManyAttempts as error:
        form.form_errors.append(_wait_message(error))
        return render_template("candidate/email.html", form=form), 429
    return render_template("candidate/check_email.html", title=_("Check your new inbox"), text=_(
        "We have sent a link to the new address. Your account keeps its current address until you follow it."))


@blp.post("/account/sign-out-everywhere")
@candidate_page
def sign_out_everywhere(account):
    credentials.sign_out_everywhere(db.session(), account)
    browser_session.end()
    return render_template("candidate/signed_out.html", everywhere=True)
