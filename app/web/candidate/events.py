"""The candidate's events: every notice the pool wrote them (invitations, reminders, expiry, removal),
the same messages as the mails, read from the outbox (`outbox.for_account`), newest first.

A candidate whose mail went to spam, or who changed address, still sees what they were told.
"""
from __future__ import annotations

from flask import Blueprint, render_template

from app import db
from app.notifications import outbox
from app.web.candidate.signed_in import candidate_page

blp = Blueprint("event_pages", __name__)


@blp.get("/events")
@candidate_page
def index(account):
    return render_template("candidate/events.html", events=outbox.for_account(db.session(), account.id))
