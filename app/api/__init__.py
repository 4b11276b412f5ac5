"""One flask-smorest blueprint per resource; views are thin, `app.services` does the work."""
from __future__ import annotations

from flask_smorest import Api

BEARER = [{"bearerAuth": []}]


def init_app(app) -> Api:
    """Create the API, document bearer authentication, and register every blueprint."""
    from app.api import accounts, audit, health, profile, states, tokens

    api = Api(app, spec_kwargs={"info": {"description": "An EU-wide points-ranked pool of skilled-migration candidates."}})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A token from `POST /api/v1/tokens`."}
    )
    for module in (health, accounts, tokens, profile, states, audit):
        api.register_blueprint(module.blp)
    register_rounds(api)
    return api


def register_rounds(api: Api) -> None:
    """The rounds' blueprints: public history and distribution, officials' rounds, candidates' invitations."""
    from app.api import invitations, pool_stats, rounds

    for blueprint in (rounds.public, rounds.official, invitations.blp, pool_stats.blp):
        api.register_blueprint(blueprint)
