"""`/calculator`: the self-assessment calculator. The whole `eu` profile form, no account, nothing stored.

The answers go the way a submitted profile goes, short of storing it: the API's
`ProfileInputSchema`, the engine's encoding (`profiles.encoding.encode`, which refuses what
the engine refuses), and `profiles.score_report.explain` with the grid the service scores
with today, overlays included. So the calculator's numbers are the API's (a test compares them
on random profiles). Each chosen state's total is set beside the cut-off of its latest round.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app import clock, db
from app.errors import InvalidInput
from app.hiring import verified_offers
from app.profiles import encoding
from app.profiles import score_report
from app.states import grid as grids
from app.web.forms import checks_own_text
from app.web import occupation_chooser, profile_form, score_view

blp = Blueprint("calculator", __name__)


def score(grid, data: dict) -> dict:
    """The explained score of a loaded profile document, as `PUT /api/v1/me/profile` would give it."""
    return score_report.explain(grid, encoding.encode(grid, data), clock.today())


@blp.route("/calculator", methods=["GET", "POST"])
@checks_own_text
def calculator():
    session = db.session(write=False)  # a POST that stores nothing: no write lock
    grid = grids.current(session)
    root = verified_offers.candidate_inputs(grid.encoder.root)
    form_type = profile_form.form_class(root)
    action = request.form.get("action", "save")
    result, status = None, 200
    if request.method == "GET":
        form = form_type(formdata=None)
    else:
        posted = profile_form.read(root, form_type, action)
        form = posted.form
        if posted.data is not None:
            try:
                explained = score(grid, posted.data)
            except InvalidInput as error:
                profile_form.service_refusal(form, root, posted.given, error)
            else:
                states = [state["state"] for state in explained["states"]]
                result = score_view.arrange(grid, explained, score_view.latest_cutoffs(session, states))
        status = 422 if posted.saving and result is None else 200
    return render_template("public/calculator.html", form=form, result=result,
                           sections=profile_form.sections(form, root, occupation_chooser.searcher(action))), status
