"""Liveness (`/healthz`) and readiness (`/readyz`: database reachable, schema at the latest revision)."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import db, migrate
from app.base_schema import Schema
from app.errors import ServiceError

blp = Blueprint("health", __name__, description="Is the service up, and ready to serve?")


class StatusSchema(Schema):
    """The body of the health endpoints."""

    status = fields.String(required=True, metadata={"example": "ok"})


class NotReady(ServiceError):
    status = 503


@blp.get("/healthz")
@blp.response(200, StatusSchema)
def healthz():
    """The process answers (used by the orchestrator to restart a hung worker)."""
    return {"status": "ok"}


@blp.get("/readyz")
@blp.response(200, StatusSchema)
@blp.alt_response(503, response="DEFAULT_ERROR", description="The database is unreachable or not migrated.")
def readyz():
    """The database answers and its schema is the one this code expects."""
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
            current = migrate.current_revisions(connection)
    except SQLAlchemyError as error:
        raise NotReady(f"The database is unreachable: {type(error).__name__}.") from None
    expected = migrate.head_revisions()
    if current != expected:
        raise NotReady(
            f"The database schema is at {sorted(current) or 'nothing'}, the code expects {sorted(expected)}: "
            "run `flask db upgrade`."
        )
    return {"status": "ready"}
