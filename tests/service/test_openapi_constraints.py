"""Every request constraint the service enforces is in the OpenAPI document, where OpenAPI can say it (issue 9).

This walks every operation's parameters and request body in the document and holds each value a
client may send to the bounds the service holds it to: integers with a minimum and a maximum (what
the database holds), strings with a length, a pattern, an enum or a format, lists with a most,
objects closed to unknown fields. The schemathesis run (`test_openapi.py`) checks the other way
round, that what the document calls valid is accepted; the named cases below pin the constraints
issue 9 found missing.
"""
import pytest

from app.states.codes import STATE_CODES

INT32 = 2**31 - 1


@pytest.fixture(scope="module")
def document():
    from app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:"})
    return app.test_client().get("/api/openapi.json").get_json()


def resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return {**resolve(document, schema["allOf"][0]), **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema


def unbounded(document, schema: dict, where: str):
    """Yield `where: problem` for every value under `schema` a client could send without bound."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        for branch in schema["anyOf"]:
            yield from unbounded(document, branch, where)
        return
    if schema.get("readOnly") or schema.get("enum") is not None:
        return
    kind = schema.get("type")
    if kind == "integer" and ("minimum" not in schema or "maximum" not in schema):
        yield f"{where}: an integer without minimum and maximum"
    elif kind == "integer" and not -2**63 <= schema["minimum"] <= schema["maximum"] < 2**63:
        yield f"{where}: an integer beyond 64 bits"
    elif kind == "string" and "maxLength" not in schema and "format" not in schema and not bounded(schema):
        yield f"{where}: a string without maxLength"
    elif kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: a list without maxItems"
        yield from unbounded(document, schema.get("items", {}), f"{where}[]")
    elif kind == "object":
        if "properties" in schema and schema.get("additionalProperties") is not False:
            yield f"{where}: an object open to unknown fields"
        for name, child in schema.get("properties", {}).items():
            if not resolve(document, child).get("readOnly"):
                yield from unbounded(document, child, f"{where}.{name}")


def bounded(schema: dict) -> bool:
    """A pattern that is anchored and repeats nothing without a count bounds the length itself."""
    pattern = schema.get("pattern", "")
    return pattern.startswith("^") and pattern.endswith("$") and not any(c in pattern for c in "*+")


# A page number is not stored anywhere: any page from 1 is answered (past the last, an empty page).
UNBOUNDED_ON_PURPOSE = {"GET /api/v1/audit-events query page"}


def requests_of(document):
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters":
                continue
            label = f"{method.upper()} {path}"
            for parameter in [*shared, *operation.get("parameters", [])]:
                yield f"{label} {parameter['in']} {parameter['name']}", parameter["schema"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                yield f"{label} body", body["schema"]


def test_every_value_a_client_sends_is_bounded(document):
    problems = [problem for where, schema in requests_of(document) if where not in UNBOUNDED_ON_PURPOSE
                for problem in unbounded(document, schema, where)]
    assert not problems, "\n".join(problems)


def test_every_state_code_lists_the_states(document):
    codes = [(where, resolve(document, schema)) for where, schema in requests_of(document)
             if where.endswith((" path code", " query state"))]
    assert len(codes) >= 15
    assert all(schema["enum"] == list(STATE_CODES) for _, schema in codes)


def schema_of(document, name):
    return document["components"]["schemas"][name]


def test_the_constraints_issue_9_found_missing(document):
    profile = schema_of(document, "ProfileInput")["properties"]
    assert profile["preferences"]["uniqueItems"] is True
    assert "No two items with the same language." in profile["languages"]["description"]
    assert profile["date_of_birth"]["pattern"] == "^(19|20)[0-9]{2}-"
    assert {"nullable": True, "enum": [None]} in profile["job_offer"]["anyOf"]  # null, not any object

    overlay = schema_of(document, "Overlay")["properties"]
    assert overlay["min_total"]["maximum"] == 10_000
    points = schema_of(document, "OverlayPoints")["properties"]
    assert points["job_offer"]["maximum"] == 50
    assert (points["shortage_occupation"]["minItems"], points["shortage_occupation"]["maxItems"]) == (5, 5)
    assert points["shortage_occupation"]["items"]["maximum"] == 50
    assert "the first band, nothing matching, must give 0" in points["shortage_occupation"]["description"]
    levels = schema_of(document, "StateLanguagePoints")
    assert set(levels["required"]) == {"A1", "A2", "B1", "B2", "C1", "C2"}
    assert all(level["maximum"] == 20 for level in levels["properties"].values())

    rounds = schema_of(document, "RoundInput")["properties"]
    assert "in the future, at most 400 days ahead" in rounds["scheduled_at"]["description"]
    assert "2001 to 2998" in rounds["scheduled_at"]["description"]

    category = schema_of(document, "CategoryInput")["properties"]["definition"]
    assert category["minProperties"] == 1
    key = document["paths"]["/api/v1/states/{code}/categories/{key}"]["parameters"][1]["schema"]
    assert key["pattern"] == "^[a-z0-9][a-z0-9_-]{0,63}$"

    invitation = document["paths"]["/api/v1/me/invitations/{invitation_id}/accept"]["parameters"][0]["schema"]
    assert (invitation["minimum"], invitation["maximum"]) == (1, INT32)


def test_free_text_says_it_takes_no_nul(document):
    title = schema_of(document, "CategoryInput")["properties"]["title"]
    assert title["pattern"] == "^[^\\u0000]*$"
