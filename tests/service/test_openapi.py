"""The OpenAPI document covers every route, and a property-based run against it (schemathesis)
finds no server error and no response that breaks its own documented schema.

The run signs in as the role each route is for, so it reaches the logic behind the guards, and
mostly names the official's own state in paths. A larger run against the live server is in
the README's "Service" section.
"""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from app import create_app, web

EXAMPLES_PER_OPERATION = 10
SKIP_RULES = {"static", "api-docs.openapi_json", "api-docs.openapi_swagger_ui"}
# The pages (app/web) are HTML for people, not part of the API.
PAGE_BLUEPRINTS = {web.shared.name} | {blueprint.name for blueprint in web.PAGES}


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
def people(make_account, client):
    from conftest import sample_profile

    crowd = {"candidate": make_account(), "official": make_account("official", "DE"), "admin": make_account("admin")}
    client.put("/api/v1/me/profile", json=sample_profile(), headers=crowd["candidate"]["headers"])
    return crowd


def role_for(path: str) -> str:
    if path.startswith("/api/v1/me"):
        return "candidate"
    if path.startswith("/api/v1/audit-events"):
        return "admin"
    return "official"


# Erasing the account or revoking the token would leave the later operations only 401s to test.
LAST = ("DELETE /api/v1/me", "DELETE /api/v1/tokens")


def test_no_server_error_and_no_response_outside_its_schema(app, people):
    """Valid and invalid requests (schemathesis' positive and negative modes) to every operation."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: (op.label in LAST, op.label))
    failures, cases = [], []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                if case.path_parameters and "code" in case.path_parameters and len(cases) % 4:
                    case.path_parameters["code"] = "DE"  # mostly the official's own state: reach the logic
                cases.append(case)
                response = case.call(headers=people[role_for(case.path)]["headers"])
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                continue
            except Exception as error:  # noqa: BLE001 - collect every operation's failure, then report
                failures.append(f"{operation.label} ({mode.value}): {error}")
    print(f"schemathesis: {len(cases)} cases over {len(operations)} operations")
    assert len(operations) >= 20
    assert not failures, "\n\n".join(failures)
