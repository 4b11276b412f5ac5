"""Refuse oversized and non-JSON bodies before any view or parser reads them."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from app.db import WRITE_METHODS


def _check_body() -> None:
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(f"The request body is larger than the limit of {limit} bytes.")
    has_body = bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")
    if request.method in WRITE_METHODS and has_body and not request.is_json:
        raise UnsupportedMediaType("Send the request body as JSON, with `Content-Type: application/json`.")


def init_app(app: Flask) -> None:
    """Install the body checks."""
    app.before_request(_check_body)
