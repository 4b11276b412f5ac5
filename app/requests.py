"""Refuse oversized and non-JSON bodies before any view or parser reads them.

A chunked body has no Content-Length to check, and Werkzeug does not read it without one, so it is
read here, at most one byte past the limit, and handed on as an ordinary body of known length.
"""
from __future__ import annotations

import io

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from app.db import WRITE_METHODS


def _too_large(limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"The request body is larger than the limit of {limit} bytes.")


def _drain(stream, limit: int) -> None:
    # Reading a bounded amount of the rest lets the client receive the 413 instead of a connection
    # reset (closing a socket with unread data resets it); a body far over the limit is just cut off.
    for _ in range(16):
        if not stream.read(limit):
            return


def _read_chunked(limit: int | None) -> None:
    environ = request.environ
    stream = environ["wsgi.input"]
    body = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(body) > limit:
        _drain(stream, limit)
        raise _too_large(limit)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)


def _check_body() -> None:
    limit = request.max_content_length
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        _read_chunked(limit)
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    if request.method in WRITE_METHODS and request.content_length and not request.is_json:
        raise UnsupportedMediaType("Send the request body as JSON, with `Content-Type: application/json`.")


def init_app(app: Flask) -> None:
    """Install the body checks."""
    app.before_request(_check_body)
