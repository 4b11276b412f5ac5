"""The API and its OpenAPI document: bearer authentication described once, every domain's blueprint registered.

Each domain keeps its routes in its own `blueprint.py` (flask-smorest MethodViews, thin: the
domain's service functions do the work); this module only puts them together.
"""
from __future__ import annotations

from flask_smorest import Api

from app import health
from app.accounts import auth
from app.accounts import blueprint as accounts
from app.audit import blueprint as audit
from app.handoff import blueprint as handoff
from app.invitations import blueprint as invitations
from app.profiles import blueprint as profiles
from app.ranking_runs import blueprint as ranking_runs
from app.rounds import blueprint as rounds
from app.states import blueprint as states

# In registration order, which is the order of the OpenAPI document's tags.
BLUEPRINTS = (health.blp, accounts.blp, accounts.tokens_blp, profiles.blp, states.blp, audit.blp,
              rounds.public, rounds.official, invitations.blp, handoff.blp, ranking_runs.blp)


def init_app(app) -> Api:
    """Create the API, document bearer authentication, and register every blueprint."""
    api = Api(app, spec_kwargs={"info": {"description": "An EU-wide points-ranked pool of skilled-migration candidates."}})
    api.spec.components.security_scheme(
        auth.SCHEME, {"type": "http", "scheme": "bearer", "description": "A token from `POST /api/v1/tokens`."}
    )
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    return api
