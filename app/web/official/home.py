"""The console's first page, where an official or administrator lands after signing in: the dashboard."""
from __future__ import annotations

from flask import Blueprint

from app.web.official import dashboard
from app.web.official.access import official_page, state_of

blp = Blueprint("official_pages", __name__, url_prefix="/official")


@blp.get("/")
@official_page
def home(account):
    return dashboard.page(account, state_of(account))
