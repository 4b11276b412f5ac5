"""An employer's hiring pages: a vacancy's matches (pseudonymous until a candidate accepts), interest
with a message, the contact a candidate shared, a job offer, and its withdrawal.

Its own blueprint until the employers' pages (`app/web/employer/__init__.py`, owned by them) give
one; every form goes through the service functions the API calls (`hiring.interest`, `offers`), and
another employer's vacancy is not found (404), as in the API.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import db
from app.accounts.models import Role
from app.error_translation import translate
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.hiring import interest, offers
from app.web.candidate.signed_in import page_for

blp = Blueprint("employer_hiring_pages", __name__, url_prefix="/employer")
employer_page = page_for(Role.EMPLOYER)


def _page(account, vacancy_id: int, status: int = 200, **problems):
    session = db.session()
    try:
        employer, vacancy = interest.own_vacancy(session, account, vacancy_id)
    except (NotFound, Forbidden):
        abort(404)
    made = {row[0].interest_id: offers.view(*row) for row in offers.of_employer(session, employer.id)}
    return render_template("employer/matches.html", employer=employer, vacancy=vacancy,
                           matches=interest.employer_view(session, vacancy), offers=made, **problems), status


@blp.get("/vacancies/<int:vacancy_id>/matches")
@employer_page
def vacancy_matches(account, vacancy_id: int):
    return _page(account, vacancy_id)


@blp.post("/vacancies/<int:vacancy_id>/interests")
@employer_page
def express(account, vacancy_id: int):
    reference = request.form.get("candidate", "")
    try:
        interest.express(db.session(), account, vacancy_id, reference, request.form.get("message", "")[:2000])
    except InvalidInput:
        return _page(account, vacancy_id, 422, message_missing=reference)
    except (Conflict, Forbidden) as refusal:
        return _page(account, vacancy_id, 409, refused=translate(refusal.message))
    except NotFound:
        abort(404)
    flash(_("Your interest is sent. The candidate is told and may share their contact with you."), "success")
    return redirect(url_for("employer_hiring_pages.vacancy_matches", vacancy_id=vacancy_id), 303)


@blp.post("/vacancies/<int:vacancy_id>/offers")
@employer_page
def make_offer(account, vacancy_id: int):
    try:
        offers.make(db.session(), account, request.form.get("interest", type=int) or 0)
    except (Conflict, Forbidden) as refusal:
        return _page(account, vacancy_id, 409, refused=translate(refusal.message))
    except NotFound:
        abort(404)
    flash(_("Your job offer is sent. The candidate is told."), "success")
    return redirect(url_for("employer_hiring_pages.vacancy_matches", vacancy_id=vacancy_id), 303)


@blp.post("/vacancies/<int:vacancy_id>/offers/<int:offer_id>/withdrawal")
@employer_page
def withdraw_offer(account, vacancy_id: int, offer_id: int):
    try:
        offers.withdraw_by_employer(db.session(), account, offer_id, request.form.get("reason", "")[:500])
    except InvalidInput:
        return _page(account, vacancy_id, 422, reason_missing=offer_id)
    except Conflict as refusal:
        return _page(account, vacancy_id, 409, refused=translate(refusal.message))
    except NotFound:
        abort(404)
    flash(_("The offer is withdrawn. The candidate is told."), "success")
    return redirect(url_for("employer_hiring_pages.vacancy_matches", vacancy_id=vacancy_id), 303)


