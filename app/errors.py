"""Every error leaves the service in one JSON shape: `{code, status, message, errors}`.

That is flask-smorest's shape, extended so that `message` and `errors` are always present and so
that Werkzeug's own errors (401, 404, 405, 413, 415, 429 ...) and anything unexpected use it too.
An unexpected exception is logged with its traceback; the body only says that it happened.
`message` and the field messages are in the caller's language (`Accept-Language`, see
`app.error_translation`); `code`, `status` and the keys of `errors` stay English, for programs.
"""
from __future__ import annotations

import re
from http import HTTPStatus

from flask import current_app, jsonify
from flask_babel import get_locale
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.error_translation import translate, translate_tree

UNEXPECTED = "Something went wrong on our side; the error has been logged. Please try again later."


class ServiceError(Exception):
    """A refusal a person can act on, raised by services and mapped to its HTTP status here."""

    status = 400

    def __init__(self, message: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}


class Unauthorized(ServiceError):
    status = 401

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message, errors, {"WWW-Authenticate": 'Bearer realm="talentpool"'})


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class InvalidInput(ServiceError):
    """Input that is well formed but wrong; `errors` maps `json` -> field -> messages."""

    status = 422


class TooManyAttempts(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, headers={"Retry-After": str(retry_after)})


def body(code: int, message: str, errors: dict | None = None) -> dict:
    """The error body for `code`, its messages in the request's language."""
    return {"code": code, "status": HTTPStatus(code).phrase, "message": translate(message),
            "errors": translate_tree(errors or {})}


def _response(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
    """The JSON error response, saying which language its messages are in."""
    response = jsonify(body(code, message, errors))
    response.headers["Content-Language"] = str(get_locale() or "en")
    response.vary.add("Accept-Language")
    return response, code, headers or {}


def field_path(dotted: str) -> list[str]:
    """`languages[2].reading` -> ["languages", "2", "reading"], as marshmallow names nested fields."""
    return [part for part in re.split(r"[.\[\]]+", dotted or "") if part]


def field_errors(path: list, message: str) -> dict:
    """`{"json": {...}}` nested along `path` (keys and list indices), as marshmallow reports fields."""
    tree: dict = {}
    node = tree
    for key in ["json", *path[:-1]]:
        node = node.setdefault(key, {})
    node[path[-1] if path else "_schema"] = [message]
    return tree


def handle_service_error(error: ServiceError):
    """Flask error handler for `ServiceError`."""
    return _response(error.status, error.message, error.errors, error.headers)


def handle_http_exception(error: HTTPException):
    """Flask error handler for every `HTTPException`, including unexpected errors (as 500)."""
    if isinstance(error, InternalServerError) or error.code is None or error.code >= 500:
        original = getattr(error, "original_exception", None)
        if original is not None:
            current_app.logger.error("unexpected error", exc_info=original)
        code = error.code if error.code and error.code >= 500 else 500
        return _response(code, UNEXPECTED)
    data = getattr(error, "data", None) or {}
    message = data.get("message") or _default_message(error)
    errors = data.get("errors") or data.get("messages") or {}
    headers = dict(data.get("headers") or {})
    if getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return _response(error.code, message, errors, headers)


def _default_message(error: HTTPException) -> str:
    if error.code == 422:
        return "Some fields are invalid; see `errors` for what to change."
    if error.code == 400 and (getattr(error, "data", None) or {}).get("messages") == {"json": ["Invalid JSON body."]}:
        return "The request body is not valid JSON."
    return error.description or HTTPStatus(error.code).phrase


def handle_data_error(error: DataError):
    """The database refused a value the validation let through (e.g. an id past 32 bits in a path).

    That is bad input, so a 400 rather than a 500; it is logged, since it also means a schema or a
    route converter could be stricter.
    """
    current_app.logger.warning("database refused a request value: %s", error.orig)
    message = "A value in the request is outside what the service can store (e.g. a number too large to be an id)."
    return _response(400, message)


def handle_integrity_error(error: IntegrityError):
    """The database refused a change as conflicting with what it holds (e.g. one e-mail address
    registered by two requests at once): a 409 the person can retry, not a 500; logged."""
    current_app.logger.warning("database refused a change: %s", error.orig)
    return _response(409, "The change conflicts with one saved meanwhile; reload and try again.")


def init_app(app) -> None:
    """Route every error through the handlers above."""
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(HTTPException, handle_http_exception)
