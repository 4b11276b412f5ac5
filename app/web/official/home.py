"""The console's first page: where an official or administrator lands after signing in."""
from __future__ import annotations

from flask import Blueprint, render_template

from app import db
from app.states import administration
from app.web.official.access import official_page, state_of

blp = Blueprint("official_pages", __name__, url_prefix="/official")


@blp.get("/")
@official_page
def home(account):
    state = state_of(account)
    states = {s.code: s for s in administration.all_states(db.session())}
    return render_template("official/home.html", account=account, state=states.get(state) if state else None)
