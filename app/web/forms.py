"""CSRF protection for every form the pages post, and the base class of their forms.

Flask-WTF checks the token on every unsafe request outside `/api/`: the API is for programs and
authenticates with bearer tokens sent in a header, which a browser never adds on its own, so
cross-site requests cannot use it; the pages authenticate with a cookie, which it does add.
The check runs before any view (a hook, not a decorator per view), so a new page cannot forget it.
"""
from __future__ import annotations

from flask import Flask, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect

from app.db import WRITE_METHODS

API_PREFIX = "/api/"
csrf = CSRFProtect()


class PageForm(FlaskForm):
    """A form of the pages: CSRF-protected; WTForms' own messages ("This field is required.") come
    in the page's language, since Flask-WTF asks Flask-Babel for the locale (`WTF_I18N_ENABLED`)."""


def is_page_request() -> bool:
    """Whether the request is for the pages rather than the JSON API (or the health checks)."""
    path = request.path
    return not (path.startswith(API_PREFIX) or path in ("/api", "/healthz", "/readyz"))


def _protect() -> None:
    # An unmatched route (404, 405) says so rather than "the form expired".
    if request.method in WRITE_METHODS and is_page_request() and request.url_rule is not None:
        csrf.protect()


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # our hook decides where, see the docstring
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session's life
    app.config.setdefault("WTF_I18N_ENABLED", True)
    csrf.init_app(app)
    app.before_request(_protect)
