"""The API answers alike wherever the same thing is asked (issue 11, "API consistency").

- a query parameter a route does not declare is a 422 naming it, on every documented operation;
- enumerations are closed: an unknown audit action is a 422 (it used to be an empty page), an
  actor id of no account an empty page, as documented;
- a member-state code is checked one way in paths and queries: `/rounds?state=XX` is the 404
  that `/states/XX/rounds` is;
- a refusal names the route that refused, not the caller's usual place.
"""
import pathlib
import re

import pytest
from conftest import sample_profile

from app.audit import trail
from app.audit.actions import ACTIONS

FILLED = {"code": "DE", "key": "health", "invitation_id": "1", "finding_id": "1", "vacancy_id": "1", "employer_id": "1",
          "reference": "0123456789abcdef", "interest_id": "1", "offer_id": "1"}


def test_an_undeclared_query_parameter_is_refused_on_every_operation(client):
    document = client.get("/api/openapi.json").get_json()
    operations = [(method.upper(), path) for path, item in document["paths"].items() for method in item
                  if method != "parameters"]
    wrong = []
    for method, path in operations:
        url = re.sub(r"\{(\w+)\}", lambda m: FILLED[m.group(1)], path)
        response = client.open(url, method=method, query_string={"actor": "7", "page": "1"})
        body = response.get_json()
        if response.status_code != 422 or "actor" not in body["errors"].get("query", {}) or "actor" not in body["message"]:
            wrong.append(f"{method} {path}: {response.status_code} {body}")
    assert len(operations) >= 30
    assert not wrong, "\n".join(wrong)


def test_audit_filters_are_closed(client, make_account):
    admin = make_account("admin")
    official = make_account("official", "DE")
    client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 10}, headers=official["headers"])

    def events(**query):
        return client.get("/api/v1/audit-events", query_string=query, headers=admin["headers"])

    assert [e["action"] for e in events(action="ceiling.update").get_json()] == ["ceiling.update"]
    unknown = events(action="ceiling.set")
    assert unknown.status_code == 422
    assert "action" in unknown.get_json()["errors"]["query"]
    assert events(actor_id=official["id"]).get_json()[0]["actor_id"] == official["id"]
    assert events(actor_id=2**31 - 1).get_json() == []  # no such account: nothing, not everything
    assert events(actor="7").status_code == 422
    assert events(state="DE").status_code == 200
    assert events(state="XX").status_code == 404


def test_a_state_code_is_checked_alike_in_paths_and_queries(client, make_account):
    official = make_account("official", "DE")
    in_query = client.get("/api/v1/rounds", query_string={"state": "XX"})
    in_path = client.get("/api/v1/states/XX/rounds", headers=official["headers"])
    assert in_query.status_code == in_path.status_code == 404
    assert in_query.get_json()["message"] == in_path.get_json()["message"] == \
        "There is no EU member state with the code 'XX'."
    assert client.get("/api/v1/rounds", query_string={"state": "de"}).status_code == 404
    assert client.get("/api/v1/rounds", query_string={"state": "DE"}).get_json() == []


@pytest.mark.parametrize("role, url, route_words", [
    ("official", "/api/v1/audit-events", "GET /api/v1/audit-events is for administrators only"),
    ("official", "/api/v1/me/profile", "GET /api/v1/me/profile is for candidates only"),
    ("candidate", "/api/v1/states/DE/overlay", "GET /api/v1/states/DE/overlay is for member-state officials only"),
    ("admin", "/api/v1/me/invitations", "GET /api/v1/me/invitations is for candidates only"),
])
def test_a_refusal_names_the_route_that_refused(client, make_account, role, url, route_words):
    person = make_account(role, "DE" if role == "official" else None)
    response = client.get(url, headers=person["headers"])
    assert response.status_code == 403
    message = response.get_json()["message"]
    assert message.startswith(route_words), message
    assert "manage their own member state" not in message


# trail.record(session, actor, "the.action", ...): the third argument, wherever the call wraps,
# also `"a.one" if condition else "a.other"`.
RECORDED = re.compile(r'trail\.record\(\s*[^,()]+,\s*[^,()]+,\s*("[a-z_.]+"(?:\s+if\s+[^,]+?\s+else\s+"[a-z_.]+")?)')
ACTION = re.compile(r'"([a-z_]+\.[a-z_.]+)"')


def test_every_audited_action_is_listed_and_nothing_else_is_recorded(app):
    recorded = {action for source in pathlib.Path(app.root_path).rglob("*.py")
                for argument in RECORDED.findall(source.read_text()) for action in ACTION.findall(argument)}
    recorded |= {action for source in pathlib.Path(app.root_path).rglob("*.py")
                 for action in re.findall(r'"(category\.(?:create|update))"', source.read_text())}
    assert recorded - set(ACTIONS) == set(), "add these to app/audit/actions.py"
    assert set(ACTIONS) - recorded == set(), "no code records these any more"
    with app.test_request_context("/"), pytest.raises(ValueError, match="ceiling.set"):
        trail.record(None, None, "ceiling.set", "ceiling:DE")


def test_response_enumerations_are_in_the_document(client, candidate):
    client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"])
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert schemas["AuditEvent"]["properties"]["action"]["enum"] == list(ACTIONS)
    assert schemas["AuditEvent"]["properties"]["actor_role"]["enum"] == ["candidate", "official", "admin", "employer", "cli"]
    assert set(schemas["Invitation"]["properties"]["status"]["enum"]) == {"pending", "accepted", "declined", "expired",
                                                                          "withdrawn"}
    assert set(schemas["OfficialRound"]["properties"]["status"]["enum"]) == {"scheduled", "completed"}
    assert set(schemas["Account"]["properties"]["role"]["enum"]) == {"candidate", "official", "admin", "employer"}
    assert "enum" in schemas["Profile"]["properties"]["status"]
