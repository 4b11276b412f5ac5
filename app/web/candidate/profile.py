"""The expression of interest: the form, the score, renewing and withdrawing.

The form is `profile_form`'s, generated from the grid; saving loads its document with the API's
`ProfileInputSchema` and calls `profiles.submit`, exactly as `PUT /api/v1/me/profile` does, and
the API's refusals come back onto the fields. The score page shows `profiles.view`'s score and
standing, the numbers `GET /api/v1/me/profile` returns.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from app import db
from app.accounts import language
from app.errors import Conflict, InvalidInput, NotFound
from app.hiring import verified_offers
from app.profiles import lifecycle as profiles
from app.states import grid as grids
from app.web.forms import checks_own_text
from app.web import occupation_chooser, profile_form, score_view
from app.web.candidate.signed_in import candidate_page

blp = Blueprint("profile_pages", __name__)
LOCKED = ("invited", "accepted")  # statuses in which the service refuses changes


def _own_profile(session, account) -> dict | None:
    try:
        return profiles.view(session, profiles.get(session, account))
    except NotFound:
        return None


@blp.route("/profile", methods=["GET", "POST"])
@checks_own_text
@candidate_page
def edit(account):
    session = db.session()
    root = verified_offers.candidate_inputs(grids.current(session).encoder.root)
    form_type = profile_form.form_class(root)
    existing = _own_profile(session, account)
    if existing is not None and existing["status"] in LOCKED:
        return render_template("candidate/profile_locked.html", profile=existing)
    status = 200
    action = request.form.get("action", "save")
    if request.method == "GET":
        form = form_type(formdata=None, data=profile_form.form_data(root, existing) if existing else None)
    else:
        posted = profile_form.read(root, form_type, action)
        form = posted.form
        if posted.data is not None:
            try:
                profiles.submit(session, language.remember(account), posted.data)
            except (InvalidInput, Conflict) as error:
                profile_form.service_refusal(form, root, posted.given, error)
            else:
                flash(_("Your profile is saved. This is your score today."), "success")
                return redirect(url_for("profile_pages.score"), 303)
        status = 422 if posted.saving else 200
    return render_template("candidate/profile.html", form=form, existing=existing,
                           sections=profile_form.sections(form, root, occupation_chooser.searcher(action))), status


@blp.get("/profile/score")
@candidate_page
def score(account):
    session = db.session()
    profile = _own_profile(session, account)
    if profile is None:
        return render_template("candidate/no_profile.html"), 404
    grid = grids.current(session)
    states = [state["state"] for state in profile["score"]["states"]]
    view = score_view.arrange(grid, profile["score"], score_view.latest_cutoffs(session, states), profile["standing"])
    return render_template("candidate/score.html", profile=profile, score=view)


@blp.post("/profile/renew")
@candidate_page
def renew(account):
    session = db.session()
    try:
        renewed = profiles.renew(session, account)
    except (Conflict, NotFound):
        flash(_("Only a profile that is in the pool and has not expired can be renewed. "
                "Send the form again to come back into the pool."), "error")
        return redirect(url_for("profile_pages.edit"), 303)
    flash(_("Your profile is confirmed until %(date)s.", date=format_date(renewed.expires_at, "long")), "success")
    return redirect(url_for("profile_pages.score"), 303)


@blp.route("/profile/withdraw", methods=["GET", "POST"])
@candidate_page
def withdraw(account):
    session = db.session()
    profile = _own_profile(session, account)
    if profile is None:
        return render_template("candidate/no_profile.html"), 404
    if request.method == "GET":
        return render_template("candidate/withdraw.html", profile=profile)
    profiles.withdraw(session, account)
    flash(_("You have left the pool. Your place in the queue is given up."), "success")
    return redirect(url_for("account_pages.overview"), 303)
