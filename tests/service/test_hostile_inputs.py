"""A table of hostile inputs thrown at every route: never a 5xx, always the one JSON error shape.

Every operation of the OpenAPI document is a case (so a new route is covered without a word
here), called as the role that reaches its logic. Each hostile value goes in as the whole body,
in place of each field of a valid body, in each path parameter and in each query parameter;
the raw bodies are bytes no JSON encoder would write. Issue 9 found 45 of 913 such inputs
failing, 44 with a 500 (year 0001/9999 with offsets, ids past 2^63 on SQLite, among others).
"""
import json
from urllib.parse import quote

import pytest
from conftest import TEST_SETTINGS, sample_profile

from app import create_app

ERROR_KEYS = {"code", "status", "message", "errors"}

NUMBERS = [0, -1, 1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**100,
           1.5, -0.0, 1e308, -1e308, 5e-324, True, False, None]
TEXTS = ["", " ", "a" * 10_000, "\u202eevil", "😀" * 500, "' OR 1=1 --", "<script>alert(1)</script>",
         "../../etc/passwd", "%00", "null", "NaN", "DE\n", "de", "XX", "\t", "Ω" * 300, "0x10", "1e3", "-1",
         "\u0000", "a\u0000b", "\ufeff", "\u200b", "日本語", "$where", "{{7*7}}"]
TIMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01", "9999-12-31",
         "2026-02-30T10:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T25:00:00Z", "2026-12-01T10:00:00",
         "2026-12-01T10:00:00+99:00", "-0001-01-01T00:00:00Z", "2026-12-01T10:00:60Z", "1970-01-01T00:00:00Z",
         "2026-12-01T10:00:00.999999999Z", "2026-12-01 10:00", "now", "2999-12-31T23:59:59+14:00"]
SHAPES = [[], {}, [[]], {"a": {}}, [1] * 1000, {"a": [None] * 100}, ["DE"] * 6, [{"language": "en"}] * 7]
VALUES = NUMBERS + TEXTS + TIMES + SHAPES
RAW_BODIES = [b"NaN", b"Infinity", b"-Infinity", b"1e99999", b'{"a": 1e99999}', b'{"a":1,"a":2}', b"[", b"{",
              b"", b"\xff\xfe", b"\xef\xbb\xbf{}", b"null", b"0", b'"text"', b"1" * 5000, b'{"email": ' + b"9" * 5000 + b"}",
              b'{"email": "\\ud800"}', b'{"\\ud800": 1}', b'{"email": "a\\u0000"}', b"[" * 40 + b"]" * 40,
              b'{"a": "' + b"\\u" + b'zzzz"}', b"\x00", b"{'a': 1}", b"true"]
PATH_VALUES = ["0", "-1", str(2**31), str(2**63), str(2**64), "9" * 400, "1e3", "0x1", "%00", "%2e%2e", "..",
               "a" * 300, "DE", "de", "D", "DEU", "%F0%9F%98%80", "%ff", "null", " ", "%20", "1;DROP TABLE account",
               "20261201T1000Z-DE", "a/b", "%2F"]
QUERY_VALUES = PATH_VALUES + ["", "&&&", "[]", "%00", "x" * 5000]


def hostile_count() -> int:
    return len(VALUES) + len(RAW_BODIES) + len(set(PATH_VALUES) | set(QUERY_VALUES))


def test_the_table_holds_at_least_a_hundred_hostile_inputs():
    assert hostile_count() >= 100


@pytest.fixture(scope="module")
def operations():
    application = create_app({**TEST_SETTINGS, "DATABASE_URL": "sqlite://"})
    document = application.test_client().get("/api/openapi.json").get_json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            parameters = [p for p in operation.get("parameters", []) + item.get("parameters", []) if isinstance(p, dict)]
            found.append((method.upper(), path, parameters, "requestBody" in operation))
    return found


VALID_BODIES = {
    "/api/v1/accounts": {"email": "new@example.eu", "password": "a long password"},
    "/api/v1/tokens": {"email": "candidate1@example.eu", "password": "a long password"},
    "/api/v1/me/profile": sample_profile(),
    "/api/v1/states/{code}/overlay": {"version": "2026.2"},
    "/api/v1/states/{code}/overlay/preview": {"min_total": 300},
    "/api/v1/states/{code}/minimum/preview": {"min_total": 300},
    "/api/v1/states/{code}/categories/{key}/preview": {"definition": {"occupations": ["22"]}},
    "/api/v1/states/{code}/participation": {"taking_part": True},
    "/api/v1/states/{code}/ceiling": {"annual_invitation_ceiling": 100},
    "/api/v1/states/{code}/categories/{key}": {"title": "Health", "definition": {"occupations": ["22"]}},
    "/api/v1/states/{code}/rounds": {"scheduled_at": "2030-01-01T10:00:00Z", "invitations": 5},
    "/api/v1/accounts/verification": {"token": "x" * 43},
    "/api/v1/password-resets": {"email": "candidate1@example.eu"},
    "/api/v1/password-resets/completion": {"token": "x" * 43, "password": "a long password"},
    "/api/v1/me/password": {"current_password": "a long password", "new_password": "a longer password"},
    "/api/v1/me/email": {"email": "new@example.eu", "password": "a long password"},
    "/api/v1/employers": {"name": "Werkstatt GmbH", "state": "DE", "registration_number": "HRB 1",
                          "contact_name": "Jana Muster", "address": "Hauptstraße 1, Berlin",
                          "email": "hr@employer.example", "password": "a long password"},
    "/api/v1/employers/me/people": {"email": "colleague@employer.example"},
    "/api/v1/employers/me/vacancies": {"occupation": "2512", "title": "Developer", "description": "Python.",
                                       "posts": 1, "location": "Berlin", "closing_date": "2030-01-01",
                                       "requirements": {"education_level": 6}},
    "/api/v1/states/{code}/employers/{employer_id}/suspension": {"reason": "Wages below the agreement."},
}
VALID_BODIES["/api/v1/employers/me/vacancies/{vacancy_id}"] = VALID_BODIES["/api/v1/employers/me/vacancies"]


def who(path: str, people: dict) -> dict:
    if path.startswith("/api/v1/employers/me"):
        return people["employer"]
    if path.startswith("/api/v1/states/"):
        return people["official"]
    if path.startswith("/api/v1/audit-events"):
        return people["admin"]
    return people["candidate"]


def check(response, what):
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:300])
    if response.status_code >= 400 and response.status_code != 405:
        payload = response.get_json(silent=True)
        assert isinstance(payload, dict) and ERROR_KEYS <= set(payload), (what, response.status_code, payload)


def path_with(path: str, parameters: list, replace: dict) -> str:
    defaults = {"code": "DE", "key": "health", "invitation_id": "1"}
    for parameter in parameters:
        if parameter["in"] == "path":
            name = parameter["name"]
            path = path.replace("{" + name + "}", replace.get(name, defaults.get(name, "1")))
    return path


def _send(client, method, path, headers, body=None, raw=None, query=""):
    url = path + (f"?{query}" if query else "")
    if raw is not None:
        return client.open(url, method=method, data=raw, content_type="application/json", headers=headers)
    if body is not None:
        return client.open(url, method=method, data=json.dumps(body), content_type="application/json", headers=headers)
    return client.open(url, method=method, headers=headers)


# One test per operation, by its place in the document (tests/service/test_openapi.py checks every
# route is documented); the first assertion says when a new route needs this raised.
OPERATIONS_LISTED = 92


@pytest.mark.parametrize("index", range(OPERATIONS_LISTED))
def test_hostile_inputs_at_every_operation(app, client, make_account, operations, index):
    assert len(operations) <= OPERATIONS_LISTED, "more operations: raise OPERATIONS_LISTED"
    if index >= len(operations):
        pytest.skip("fewer operations than slots")
    method, template, parameters, has_body = operations[index]
    people = {"candidate": make_account(), "official": make_account("official", "DE"), "admin": make_account("admin")}
    if template.startswith("/api/v1/employers/me"):
        from employers.employer_helpers import verified_employer
        people["employer"] = verified_employer(app, client, people["official"])
    headers = who(template, people)["headers"]
    path = path_with(template, parameters, {})
    sent = 0
    for name in [p["name"] for p in parameters if p["in"] == "path"]:
        for value in PATH_VALUES:
            check(_send(client, method, path_with(template, parameters, {name: quote(value, safe="%/;")}), headers,
                        VALID_BODIES.get(template) if has_body else None), (name, value))
            sent += 1
    for name in [p["name"] for p in parameters if p["in"] == "query"]:
        for value in QUERY_VALUES:
            check(_send(client, method, path, headers, query=f"{name}={quote(value, safe='%&[]')}"), (name, value))
            sent += 1
    if has_body or method in ("POST", "PUT", "PATCH"):
        valid = VALID_BODIES.get(template, {})
        for raw in RAW_BODIES:
            check(_send(client, method, path, headers, raw=raw), raw[:40])
            sent += 1
        for value in VALUES:
            check(_send(client, method, path, headers, body=value), value)
            sent += 1
            for field in valid:
                check(_send(client, method, path, headers, body={**valid, field: value}), (field, value))
                sent += 1
    for value in ("x" * 5000, "%ED%A0%80", "\u00ff"):
        check(client.open(path, method=method, headers={**headers, "X-Hostile": value}), "header")
    assert sent or not (parameters or has_body)
