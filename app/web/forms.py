"""CSRF protection for every form the pages post, and the base class of their forms.

Flask-WTF checks the token on every unsafe request outside `/api/`: the API is for programs and
authenticates with bearer tokens sent in a header, which a browser never adds on its own, so
cross-site requests cannot use it; the pages authenticate with a cookie, which it does add.
The check runs before any view (a hook, not a decorator per view), so a new page cannot forget it.
The same hook refuses text no database can store (a NUL) on every form whose view does not put
that message on the field itself (`checks_own_text`), so no form can turn it into a 500.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import Field, FieldList, FormField

from app.db import WRITE_METHODS
from app.requests import first_unstorable

API_PREFIX = "/api/"
csrf = CSRFProtect()


class PageForm(FlaskForm):
    """A form of the pages: CSRF-protected; WTForms' own messages ("This field is required.") come
    in the page's language, since Flask-WTF asks Flask-Babel for the locale (`WTF_I18N_ENABLED`)."""


UNSTORABLE = _l("This text has a character that cannot be stored (a NUL or a broken character). "
                 "Delete it and type the text again.")


def is_page_request() -> bool:
    """Whether the request is for the pages rather than the JSON API (or the health checks)."""
    return is_page_request_path(request.path)


def is_page_request_path(path: str) -> bool:
    return not (path.startswith(API_PREFIX) or path in ("/api", "/healthz", "/readyz"))


def input_fields(form) -> Iterator[Field]:
    """Every input of `form`, in its order: sub-forms (FormField) and repeated fields (FieldList) walked."""
    for field in form:
        if isinstance(field, FormField):
            yield from input_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from input_fields([entry])
        else:
            yield field


def refuse_unstorable(form) -> bool:
    """Put a message on every field of `form` whose posted text holds a NUL or a lone surrogate; whether any did.

    The API refuses such text for every JSON body (`app.requests`); a form's text reaches the
    services without that check, and PostgreSQL cannot store (nor even compare) a NUL in text, so a
    view calls this before handing the form's text on. (Werkzeug already turns the bytes of a lone
    surrogate into U+FFFD when it decodes a form, so in practice the NUL is what is caught.)
    """
    refused = False
    for field in input_fields(form):
        if any(isinstance(text, str) and first_unstorable(text) for text in field.raw_data or ()):
            field.errors = [*field.errors, str(UNSTORABLE)]
            refused = True
    return refused


def _protect() -> None:
    # An unmatched route (404, 405) says so rather than "the form expired".
    if request.method in WRITE_METHODS and is_page_request() and request.url_rule is not None:
        # The safety net: a form whose view does not check its text itself cannot hand a NUL to
        # the database (PostgreSQL refuses it: a 500); the page says what is wrong instead (422).
        view = current_app.view_functions.get(request.endpoint)
        if not getattr(view, "checks_own_text", False) and _holds_unstorable_text():
            abort(422, description=str(UNSTORABLE))
        csrf.protect()


def checks_own_text(view):
    """Mark a view that puts unstorable text's message on the field itself (`refuse_unstorable`);
    every other page form gets the safety net of `_protect`. Put it right under the route."""
    view.checks_own_text = True
    return view


def _holds_unstorable_text() -> bool:
    return any(first_unstorable(value) for values in request.form.listvalues() for value in values)


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # our hook decides where, see the docstring
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session's life
    app.config.setdefault("WTF_I18N_ENABLED", True)
    csrf.init_app(app)
    app.before_request(_protect)
