"""Refuse oversized, non-JSON and hostile JSON bodies before any view or parser reads them.

A chunked body has no Content-Length to check, and Werkzeug does not read it without one, so it is
read here, at most one byte past the limit, and handed on as an ordinary body of known length.

The API takes JSON bodies only (415 otherwise); the pages, outside `/api/`, take HTML forms too.
A JSON body is then checked once, on every route, anonymous ones included:
- nesting: Python's parser and marshmallow recurse once per level, so a body nested a thousand
  levels deep ended in a RecursionError (a 500). The depth is counted on the raw bytes, strings
  left out, before anything parses it; past `MAX_JSON_DEPTH` it is a 422 (our schemas nest a
  few levels).
- text: a NUL or a lone surrogate (`"\\ud800"` is valid JSON but no character) cannot be stored
  in PostgreSQL, nor encoded as UTF-8; any string holding one, value or key, is a 422 naming its
  place in the body.
- numbers: an integer of more than 4,300 digits is valid JSON that Python refuses to convert (a
  ValueError webargs does not catch: a 500); it is a 422.
flask-smorest's parser (webargs) parses the raw bytes again itself, which is safe once they have
passed here.
"""
from __future__ import annotations

import io
import json
import re

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from app.db import WRITE_METHODS
from app.errors import InvalidInput, field_errors

MAX_JSON_DEPTH = 32
# The pages (everything outside /api/) post HTML forms; the API takes JSON only.
PAGE_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_VALUE = "Text may not contain a NUL character (\\u0000) or an unpaired surrogate (\\ud800-\\udfff)."
TOO_LONG_NUMBER = "A number in the JSON body has more digits than any field takes."
UNSTORABLE_KEY = "This key contains a NUL character (\\u0000) or an unpaired surrogate (\\ud800-\\udfff)."


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
        if request.path.startswith("/api/") or request.mimetype not in PAGE_FORM_TYPES:
            raise UnsupportedMediaType("Send the request body as JSON, with `Content-Type: application/json`.")


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in the JSON text `raw` (0 for a scalar); brackets in strings do not count."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", raw)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def first_unstorable(value, path: tuple = ()) -> tuple[list[str], str] | None:
    """The path and message of the first string (value or key) in `value` holding a NUL or a lone surrogate."""
    if isinstance(value, str):
        return (list(path), UNSTORABLE_VALUE) if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(index), item) for index, item in enumerate(value))
    else:
        return None
    for key, item in items:
        if _UNSTORABLE.search(key):
            return [*path, _UNSTORABLE.sub("\ufffd", key)], UNSTORABLE_KEY
        found = first_unstorable(item, (*path, key))
        if found:
            return found
    return None


def _check_json() -> None:
    if not request.is_json or not request.content_length:
        return
    depth = json_depth(request.get_data(cache=True))
    if depth > MAX_JSON_DEPTH:
        message = f"The JSON body nests arrays and objects {depth} levels deep; at most {MAX_JSON_DEPTH} are accepted."
        raise InvalidInput(message, field_errors([], message))
    try:
        body = json.loads(request.get_data(cache=True))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # invalid JSON: left to the parser's usual 400
    except ValueError:  # valid JSON, but an integer Python refuses to convert (over 4,300 digits)
        raise InvalidInput(TOO_LONG_NUMBER, field_errors([], TOO_LONG_NUMBER)) from None
    found = first_unstorable(body)
    if found:
        path, message = found
        raise InvalidInput("Some text in the request cannot be stored; see `errors` for where.",
                           field_errors(path, message))


def init_app(app: Flask) -> None:
    """Install the body checks, size first."""
    app.before_request(_check_body)
    app.before_request(_check_json)
