"""A candidate's side of hiring on one page: being findable, the vacancies they meet, employers'
interest (accept with consent, or decline) and job offers (accept or decline).

Every answer goes through the service functions the API calls (`hiring.findability`, `interest`,
`offers`); someone else's interest or offer is not found (404), as in the API. Accepting interest
asks, in its form, for the consent to share the e-mail address and profile with that employer:
without the box ticked the page comes back (422) with the error summary linking to it.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from app import db
from app.error_translation import translate
from app.errors import Conflict, InvalidInput
from app.hiring import findability, interest, matches, offers
from app.web.candidate.signed_in import candidate_page

blp = Blueprint("hiring_pages", __name__)


def _page(account, status: int = 200, **problems):
    session = db.session()
    found = matches.for_candidate(session, account.id)
    return render_template(
        "candidate/hiring.html", findability=findability.view(findability.of(session, account.id)),
        matches=found, interests=[interest.candidate_view(*row) for row in interest.of_candidate(session, account.id)],
        offers=[offers.view(*row) for row in offers.of_candidate(session, account.id)], **problems), status


@blp.get("/hiring")
@candidate_page
def index(account):
    return _page(account)


@blp.post("/hiring/findability")
@candidate_page
def set_findability(account):
    session = db.session()
    if request.form.get("findable") == "no":
        try:
            findability.withdraw(session, account)
        except Conflict:
            pass  # not findable already: the page says so
    else:
        findability.give(session, account, any_state=request.form.get("any_state") == "yes")
    return redirect(url_for("hiring_pages.index"), 303)


@blp.post("/hiring/interests/<int:interest_id>/<answer>")
@candidate_page
def answer_interest(account, interest_id: int, answer: str):
    session = db.session()
    try:
        if answer == "accept":
            interest.accept(session, account, interest_id,
                            consent_to_share=request.form.get("consent_to_share") == "yes")
        elif answer == "decline":
            interest.decline(session, account, interest_id)
        else:
            abort(404)
    except InvalidInput:
        return _page(account, 422, consent_missing=interest_id)
    except Conflict:
        return _page(account, 409, answered=True)
    return redirect(url_for("hiring_pages.index"), 303)


@blp.post("/hiring/offers/<int:offer_id>/<answer>")
@candidate_page
def answer_offer(account, offer_id: int, answer: str):
    session = db.session()
    try:
        if answer == "accept":
            offers.accept(session, account, offer_id)
        elif answer == "decline":
            offers.decline(session, account, offer_id)
        else:
            abort(404)
    except Conflict as refusal:
        return _page(account, 409, offer_refused=translate(refusal.message))
    return redirect(url_for("hiring_pages.index"), 303)
