"""The console's job offers: those made by the official's state's employers, which are verified
(accepted, from a verified employer: they earn the job-offer points), and withdrawing one for
abuse with a reason, through `hiring.offers.withdraw_by_official` as the API does (audited, the
candidate told, the points gone at the next ranking). Only officials, only their own state.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import db
from app.accounts.models import Role
from app.error_translation import translate
from app.errors import Conflict, InvalidInput, NotFound
from app.hiring import offers
from app.web.official.access import official_page

blp = Blueprint("offer_pages", __name__, url_prefix="/official/offers")


def _state(account) -> str:
    if account.role != Role.OFFICIAL:
        abort(403)
    return account.state_code


def _page(state: str, status: int = 200, **problems):
    listed = [offers.view(*row) for row in offers.of_state(db.session(), state)]
    return render_template("official/offers.html", state=state, offers=listed,
                           made=len(listed), verified=sum(offer["verified"] for offer in listed), **problems), status


@blp.get("")
@official_page
def index(account):
    return _page(_state(account))


@blp.post("/<int:offer_id>/withdrawal")
@official_page
def withdraw(account, offer_id: int):
    state = _state(account)
    try:
        offers.withdraw_by_official(db.session(), account, state, offer_id, request.form.get("reason", ""))
    except InvalidInput:
        return _page(state, 422, reason_missing=offer_id)
    except Conflict as refusal:
        return _page(state, 409, refused=translate(refusal.message))
    except NotFound:
        abort(404)
    flash(_("The offer is withdrawn. The candidate is told; its points go at the next ranking."), "success")
    return redirect(url_for("offer_pages.index"), 303)
