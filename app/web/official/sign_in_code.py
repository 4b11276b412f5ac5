"""The second step of an official's or administrator's sign-in: the code, or first the enrolment.

The password page (`candidate/account.py`) checks the password with the API's token service; for
these roles that service answers `SecondFactorNeeded` instead of a token, and `next_step` remembers in
the signed browser session whose password was right, until when (`SECOND_FACTOR_WAIT_SECONDS`)
and where to go next. No token exists until the code is right, so nothing on the site can be
reached in between: an account not yet enrolled is sent to enrolment before anything else.

Enrolment keeps its new secret in that same session (signed, HttpOnly, the person's own browser)
until a first code confirms it; only then is it stored, and the ten recovery codes are shown, once,
on the page that answers the confirmation (never in a URL, never stored in clear).
"""
from __future__ import annotations

import segno
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from app import clock
from app.accounts import throttle, tokens, two_factor
from app.errors import Conflict, InvalidInput, TooManyAttempts, Unauthorized
from app.web import browser_session
from app.web.candidate.signed_in import safe_next
from app.web.forms import PageForm

blp = Blueprint("sign_in_code_pages", __name__)
PENDING_KEY = "second_factor"


class CodeForm(PageForm):
    code = StringField(_l("Code"))


def next_step(needed: two_factor.SecondFactorNeeded, next_page: str | None):
    """After the right password of an official or administrator: remember it, go to the next step."""
    wait = int(current_app.config["SECOND_FACTOR_WAIT_SECONDS"])
    pending = {"account": needed.account_id, "email": needed.email, "until": clock.now().timestamp() + wait,
               "next": safe_next(next_page) or ""}
    if not needed.enrolled:
        pending["secret"] = two_factor.new_secret()
    session[PENDING_KEY] = pending
    return redirect(url_for("sign_in_code_pages.enrol" if not needed.enrolled else "sign_in_code_pages.code"), 303)


def _pending() -> dict | None:
    pending = session.get(PENDING_KEY)
    if not pending or pending.get("until", 0) < clock.now().timestamp():
        return None
    return pending


def _start_again():
    session.pop(PENDING_KEY, None)
    return redirect(url_for("account_pages.sign_in"), 303)


def _wait(error: TooManyAttempts) -> str:
    minutes = max(1, -(-int(error.headers.get("Retry-After", "60")) // 60))
    return _("Too many wrong codes. Wait %(minutes)s minutes, then try again.", minutes=minutes)


def _signed_in(raw: str, pending: dict):
    """Rotate the browser session onto the new token (the pending step goes with the old session)."""
    browser_session.start(raw)
    return pending["next"] or url_for("official_pages.home")


@blp.route("/sign-in/code", methods=["GET", "POST"])
def code():
    pending = _pending()
    if pending is None or "secret" in pending:
        return _start_again() if pending is None else redirect(url_for("sign_in_code_pages.enrol"), 303)
    form = CodeForm()
    if request.method == "GET":
        return render_template("official/sign_in_code.html", form=form)
    typed = "".join((form.code.data or "").split())
    if not typed:
        form.code.errors = [_("Enter the code from your authenticator app, or a recovery code.")]
        return render_template("official/sign_in_code.html", form=form), 422
    as_otp = typed.isdigit()
    try:
        raw, _token, _codes = tokens.issue_after_password(
            pending["account"], throttle.client_address(request.remote_addr),
            otp=typed if as_otp else None, recovery_code=None if as_otp else typed)
    except TooManyAttempts as error:
        form.form_errors.append(_wait(error))
        return render_template("official/sign_in_code.html", form=form), 429
    except two_factor.SecondFactorNeeded:  # reset by an administrator in between
        return _start_again()
    except Unauthorized as error:
        if error.message == tokens.DISABLED:
            return _start_again()
        form.code.errors = [_("The code is wrong, expired or already used. Enter the newest code from your app.")]
        return render_template("official/sign_in_code.html", form=form), 401
    return redirect(_signed_in(raw, pending), 303)


def qr_code_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG, drawn here: the secret never leaves the service."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=4, svgclass="qr-code", lineclass=None,
                                                  title=_("QR code for your authenticator app"))


def _enrol_page(form, pending: dict, status: int = 200):
    uri = two_factor.provisioning_uri(pending["email"], pending["secret"])
    secret = pending["secret"]
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("official/enrol.html", form=form, qr_code=qr_code_svg(uri), secret=grouped), status


@blp.route("/sign-in/enrol", methods=["GET", "POST"])
def enrol():
    pending = _pending()
    if pending is None or "secret" not in pending:
        return _start_again() if pending is None else redirect(url_for("sign_in_code_pages.code"), 303)
    form = CodeForm()
    if request.method == "GET":
        return _enrol_page(form, pending)
    typed = "".join((form.code.data or "").split())
    if not (typed.isdigit() and len(typed) == 6):
        form.code.errors = [_("Enter the 6-digit code your authenticator app shows.")]
        return _enrol_page(form, pending, 422)
    try:
        raw, _token, codes = tokens.issue_after_password(
            pending["account"], throttle.client_address(request.remote_addr), otp=typed,
            enrol_secret=pending["secret"])
    except TooManyAttempts as error:
        form.form_errors.append(_wait(error))
        return _enrol_page(form, pending, 429)
    except InvalidInput:
        form.code.errors = [_("The code is wrong or expired. Enter the newest code your app shows.")]
        return _enrol_page(form, pending, 422)
    except (Conflict, Unauthorized):
        return _start_again()
    next_page = _signed_in(raw, pending)
    return render_template("official/recovery_codes.html", codes=codes, next_page=next_page)
