"""A candidate's invitations, and accepting or declining one behind a page that says what follows.

The answer goes through `invitations.accept` / `decline`, as `POST /api/v1/me/invitations/<id>/...`
does; someone else's invitation is not found (404), as in the API. Accepting asks, on the same
page, for the consent to share the profile and address with the state: without the box ticked
the page comes back (422) with the error summary linking to it, as the API answers 422.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from app import db
from app.errors import Conflict, InvalidInput
from app.invitations import lifecycle as invitations
from app.web.candidate.signed_in import candidate_page

blp = Blueprint("invitation_pages", __name__)
ANSWERS = {"accept": lambda session, account, invitation_id: invitations.accept(
               session, account, invitation_id, consent_to_share=request.form.get("consent_to_share") == "yes"),
           "decline": invitations.decline}


def _views(session, account) -> list[dict]:
    return [invitations.view(*row) for row in invitations.of_candidate(session, account)]


@blp.get("/invitations")
@candidate_page
def index(account):
    return render_template("candidate/invitations.html", invitations=_views(db.session(), account))


@blp.route("/invitations/<int:invitation_id>/<answer>", methods=["GET", "POST"])
@candidate_page
def answer(account, invitation_id: int, answer: str):
    if answer not in ANSWERS:
        abort(404)
    session = db.session()
    found = [view for view in _views(session, account) if view["id"] == invitation_id]
    if not found:
        abort(404)
    invitation = found[0]
    if request.method == "GET":
        return render_template("candidate/answer.html", invitation=invitation, answer=answer)
    try:
        answered = invitations.view(*ANSWERS[answer](session, account, invitation_id))
    except InvalidInput:
        return render_template("candidate/answer.html", invitation=invitation, answer=answer,
                               consent_missing=True), 422
    except Conflict:
        return render_template("candidate/answer.html", invitation=invitation, answer=answer, refused=True), 409
    return render_template("candidate/answered.html", invitation=answered, answer=answer)
