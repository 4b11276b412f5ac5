"""The OpenAPI document covers every route, and a property-based run against it (schemathesis)
finds no server error, no response that breaks its own documented schema, and no schema-valid
request refused (issue 9).

Every operation is called as each of the five kinds of caller (anonymous, candidate, official of
DE, administrator, a verified employer of DE) with schema-valid data (schemathesis' positive mode), checked by
`positive_data_acceptance`: a 400 or 422 for a request the document calls valid means a
constraint the service enforces is missing from the document. The role the route is for also
gets schema-invalid data (negative mode), which must not give a 5xx. Hypothesis runs
derandomized, so CI sees the same cases on every run; `EXAMPLES` sets the size (at least 2,000
cases per database).

What OpenAPI cannot say is in the operations' descriptions, and the run respects it where it
writes a request (`respect_what_openapi_cannot_say`): a round in the future, within the ceiling.
"""
import datetime as dt
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance, response_schema_conformance

from app import clock, create_app, web

# Per operation: schema-valid examples for each caller, schema-invalid ones for the route's own caller.
EXAMPLES = {"positive": 12, "negative": 24}
SKIP_RULES = {"static", "api-docs.openapi_json", "api-docs.openapi_swagger_ui"}
# The pages (app/web) are HTML for people, not part of the API.
PAGE_BLUEPRINTS = {web.shared.name} | {blueprint.name for blueprint in web.PAGES}
CALLERS = ("anonymous", "candidate", "official", "admin", "employer")


def test_every_route_is_in_the_openapi_document(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/unused.sqlite3"})
    document = app.test_client().get("/api/openapi.json").get_json()
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    missing = []
    for rule in app.url_map.iter_rules():
        if (rule.endpoint in SKIP_RULES or rule.endpoint.startswith("api-docs.")
                or rule.endpoint.split(".")[0] in PAGE_BLUEPRINTS):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (path, method) not in documented:
                missing.append(f"{method} {path}")
    assert not missing


@pytest.fixture
def people(app, make_account, client):
    from conftest import sample_profile

    crowd = {"anonymous": {"headers": {}}, "candidate": make_account(), "official": make_account("official", "DE"),
             "admin": make_account("admin")}
    client.put("/api/v1/me/profile", json=sample_profile(), headers=crowd["candidate"]["headers"])
    client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 10_000_000},
               headers=crowd["official"]["headers"])
    from employers.employer_helpers import verified_employer
    crowd["employer"] = verified_employer(app, client, crowd["official"])
    return crowd


def caller_for(path: str) -> str:
    if path.startswith("/api/v1/employers/me"):
        return "employer"
    if path.startswith("/api/v1/me"):
        return "candidate"
    if path.startswith("/api/v1/audit-events"):
        return "admin"
    if path.startswith("/api/v1/states/"):
        return "official"
    return "anonymous"


def respect_what_openapi_cannot_say(case) -> None:
    """Move a generated request inside the constraints the document can only describe."""
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    if case.method == "POST" and case.path.endswith("/rounds") and isinstance(body.get("scheduled_at"), str):
        # In the future, within 400 days: a relative time, which JSON Schema cannot state.
        moment = clock.now() + dt.timedelta(days=1 + len(body["scheduled_at"]) % 300, minutes=len(str(body)))
        body["scheduled_at"] = moment.strftime("%Y-%m-%dT%H:%M:00Z")
        body.pop("category", None)  # one of the state's categories: data, not schema
    if case.path.endswith("/overlay") and "state" in body:
        body["state"] = case.path_parameters["code"]  # the path's own state
    definition = body.get("definition")
    if "/categories/" in case.path and isinstance(definition, dict) and "min_years" in definition:
        definition.setdefault("occupations", ["22"])  # min_years qualifies occupations: described only
    points = body.get("points")
    if case.path.endswith("/overlay") and isinstance(points, dict) and points.get("shortage_occupation"):
        points["shortage_occupation"][0] = 0  # nothing matching gives nothing: described, not a schema
    if case.path == "/api/v1/me/profile" and str(body.get("date_of_birth")) > clock.today().isoformat():
        body["date_of_birth"] = "1990-01-01"  # not in the future
    if case.path.startswith("/api/v1/employers/me/vacancies") and "closing_date" in body:
        # From today to 366 days ahead, the salary range in order, each language once: described only.
        body["closing_date"] = (clock.today() + dt.timedelta(days=len(str(body)) % 366)).isoformat()
        if isinstance(body.get("salary_min"), int) and isinstance(body.get("salary_max"), int):
            body["salary_min"], body["salary_max"] = sorted((body["salary_min"], body["salary_max"]))
        requirements = body.get("requirements")
        if isinstance(requirements, dict) and isinstance(requirements.get("languages"), list):
            seen = {}
            for item in requirements["languages"]:
                if isinstance(item, dict):
                    seen.setdefault(item.get("language"), item)
            requirements["languages"] = list(seen.values())


# Their input is a secret mailed to a person (a verification or reset link's token): no schema can
# generate a valid one, so a schema-valid request is refused (422 on the token) by design. They
# still get the other checks; tests/service/test_account_mail.py covers them with real links.
NEEDS_A_MAILED_SECRET = {"POST /api/v1/accounts/verification", "POST /api/v1/password-resets/completion"}
# Erasing the account or revoking the token would leave the later operations only 401s to test.
LAST = ("DELETE /api/v1/me", "DELETE /api/v1/tokens")


def test_no_server_error_no_response_outside_its_schema_no_valid_request_refused(app, people):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: (op.label in LAST, op.label))
    failures, cases = [], []
    for operation in operations:
        runs = [(caller, GenerationMode.POSITIVE) for caller in CALLERS]
        runs.append((caller_for(operation.path), GenerationMode.NEGATIVE))
        for caller, mode in runs:
            checks = [not_a_server_error, response_schema_conformance]
            if mode == GenerationMode.POSITIVE and operation.label not in NEEDS_A_MAILED_SECRET:
                checks.append(positive_data_acceptance)

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES[mode.value], deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                if case.path_parameters and "code" in case.path_parameters and len(cases) % 4:
                    case.path_parameters["code"] = "DE"  # mostly the official's own state: reach the logic
                if mode == GenerationMode.POSITIVE:
                    respect_what_openapi_cannot_say(case)
                cases.append(case)
                response = case.call(headers=people[caller]["headers"])
                case.validate_response(response, checks=checks)

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                continue
            except Exception as error:  # noqa: BLE001 - collect every operation's failure, then report
                failures.append(f"{operation.label} as {caller} ({mode.value}): {error}")
    print(f"schemathesis: {len(cases)} cases over {len(operations)} operations")
    assert len(operations) >= 30
    assert not failures, "\n\n".join(failures)
    assert len(cases) >= 2000
