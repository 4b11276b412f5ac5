"""The API and its OpenAPI document: bearer authentication described once, every domain's blueprint
registered, and the document's query parameters enforced.

Each domain keeps its routes in its own `blueprint.py` (flask-smorest MethodViews, thin: the
domain's service functions do the work); this module only puts them together.

Query parameters a route does not declare are refused (422 naming them), on every route the
document describes, by one hook that reads the names from the document itself: webargs, which
reads the declared ones, drops the others from a query by default, so `?actor=7` (for
`actor_id`) silently answered with everything, and routes with no parameters took any.
"""
from __future__ import annotations

import re

from flask import current_app, request
from flask_smorest import Api

from app import health
from app.accounts import auth
from app.accounts import blueprint as accounts
from app.audit import blueprint as audit
from app.employers import blueprint as employers
from app.errors import InvalidInput
from app.handoff import blueprint as handoff
from app.hiring import blueprint as hiring
from app.invitations import blueprint as invitations
from app.profiles import blueprint as profiles
from app.ranking_runs import blueprint as ranking_runs
from app.rounds import blueprint as rounds
from app.states import blueprint as states
from app.states import codes

# In registration order, which is the order of the OpenAPI document's tags.
BLUEPRINTS = (health.blp, accounts.blp, accounts.tokens_blp, profiles.blp, states.blp, audit.blp,
              rounds.public, rounds.official, invitations.blp, handoff.blp, ranking_runs.blp,
              employers.blp, hiring.blp)
API_DESCRIPTION = (
    "An EU-wide points-ranked pool of skilled-migration candidates.\n\n"
    "Every operation refuses, with 422 naming them, query parameters it does not list and body fields its "
    "schema does not list; text containing NUL or an unpaired surrogate; JSON nested more than 32 levels. "
    "A member-state code that is not one of the listed ones is a 404, in a path as in a query.")
_RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def init_app(app) -> Api:
    """Create the API, document bearer authentication, register every blueprint, enforce the query parameters."""
    app.url_map.converters["state"] = codes.StateCodeConverter
    app.url_map.converters["category_key"] = codes.CategoryKeyConverter
    api = Api(app, spec_kwargs={"info": {"description": API_DESCRIPTION}})
    api.register_converter(codes.StateCodeConverter, codes.converter_schema)
    api.register_converter(codes.CategoryKeyConverter, codes.category_key_schema)
    api.ma_plugin.converter.add_attribute_function(nested_or_exactly_null)
    api.ma_plugin.converter.add_attribute_function(text_without_nul)
    api.spec.components.security_scheme(
        auth.SCHEME, {"type": "http", "scheme": "bearer", "description": "A token from `POST /api/v1/tokens`."}
    )
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.extensions["talentpool.api"] = api
    app.before_request(refuse_unknown_query_parameters)
    return api


def nested_or_exactly_null(_converter, _field, ret: dict, **_kwargs) -> dict:
    """apispec writes a nullable nested schema, in OpenAPI 3.0, as `anyOf: [{type: object, nullable:
    true}, {$ref}]`: "null, or *any* object", so a client (or schemathesis) may send
    `"job_offer": {"x": 1}` as valid. The first branch becomes exactly null."""
    for branch in ret.get("anyOf", ()):
        if branch == {"type": "object", "nullable": True}:
            branch.clear()
            branch.update({"nullable": True, "enum": [None]})
    return {}


NO_NUL = "^[^\\u0000]*$"


def text_without_nul(_converter, field, ret: dict, **_kwargs) -> dict:
    """Every free-text string says that it takes no NUL (`requests.py` refuses one, since PostgreSQL
    cannot store it); strings with a pattern, a format or an enum say more already. (A lone
    surrogate, refused too, is not text at all: JSON Schema has no way to name it.)"""
    if ret.get("type") == "string" and not {"pattern", "format", "enum"} & set(ret) and not field.dump_only:
        return {"pattern": NO_NUL}
    return {}


def openapi_path(rule: str) -> str:
    """`/states/<state:code>/rounds` -> `/states/{code}/rounds`, as the document names paths."""
    return _RULE_VARIABLE.sub(r"{\1}", rule)


def _declared_query_parameters() -> dict[str, dict[str, frozenset[str]]]:
    """{path: {METHOD: query parameter names}} from the OpenAPI document, built once per app."""
    declared = current_app.extensions.get("talentpool.query_parameters")
    if declared is None:
        document = current_app.extensions["talentpool.api"].spec.to_dict()
        declared = {}
        for path, item in document["paths"].items():
            shared = [p for p in item.get("parameters", []) if p["in"] == "query"]
            declared[path] = {
                method.upper(): frozenset(p["name"] for p in [*shared, *operation.get("parameters", [])]
                                          if p["in"] == "query")
                for method, operation in item.items() if method != "parameters"}
        current_app.extensions["talentpool.query_parameters"] = declared
    return declared


def refuse_unknown_query_parameters() -> None:
    """A 422 naming every query parameter the document does not declare for this route and method.

    Runs before the view, so before authentication too: what a route takes is public (the
    document). Routes outside the document (the pages, the document itself) are left alone.
    """
    if not request.args or request.url_rule is None:
        return
    operations = _declared_query_parameters().get(openapi_path(request.url_rule.rule))
    method = "GET" if request.method == "HEAD" else request.method
    if operations is None or method not in operations:
        return
    allowed = operations[method]
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) if allowed else "no query parameters"
        raise InvalidInput(
            f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"{method} {request.path} takes {takes}.",
            {"query": {name: ["Unknown parameter."] for name in unknown}})
