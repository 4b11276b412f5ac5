"""Error pages for people: a page request that fails gets an HTML page in its language.

The API keeps its JSON errors (`app.errors`): these handlers wrap those and hand every request
under `/api/` (and the health checks) back to them unchanged. They are installed after
`app.errors`, whose registrations they replace, and log unexpected errors the same way.
"""
from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import errors
from app.web.forms import is_page_request

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You cannot see this page"),
    404: _l("Page not found"),
    405: _l("This page cannot be used that way"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Sorry, something went wrong on our side"),
}
EXPLANATIONS = {
    400: _l("Go back, check what you entered and try again."),
    403: _l("You may need to sign in with another account."),
    404: _l("If you typed the web address, check it is correct. If you followed a link, it may be out of date."),
    405: _l("Go back to the previous page and use its links and buttons."),
    413: _l("Send less at once and try again."),
    429: _l("Wait a few minutes, then try again."),
    500: _l("The error has been logged. Please try again later."),
}
CSRF_TITLE = _l("This form has expired")
CSRF_EXPLANATION = _l("For your security, forms stop working after a while or when you sign in or out. "
                      "Go back, reload the page and send the form again.")


def page(code: int, title=None, explanation=None, headers: dict | None = None):
    shown = code if code in TITLES else (500 if code >= 500 else 400)
    html = render_template("error.html", code=code, title=title or TITLES[shown],
                           explanation=explanation or EXPLANATIONS[shown])
    return html, code, headers or {}


def handle_http_exception(error: HTTPException):
    if not is_page_request():
        return errors.handle_http_exception(error)
    code = error.code or 500
    if code >= 500:
        original = getattr(error, "original_exception", None)
        if original is not None:
            current_app.logger.error("unexpected error", exc_info=original)
    if isinstance(error, CSRFError):
        return page(400, CSRF_TITLE, CSRF_EXPLANATION)
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    return page(code, headers=headers)


def handle_service_error(error: errors.ServiceError):
    if not is_page_request():
        return errors.handle_service_error(error)
    return page(error.status, headers=error.headers)


def init_app(app: Flask) -> None:
    """Install the handlers (call after `app.errors.init_app`)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(errors.ServiceError, handle_service_error)
