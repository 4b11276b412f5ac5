"""The audit trail, for administrators."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, Page
from sqlmodel import func, select

from app import db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.audit import trail
from app.audit.schemas import AuditEventSchema, AuditQuerySchema

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-events",
                description="Every action of an official or administrator (administrators only).")


class QueryPage(Page):
    """flask-smorest's pagination over a SQL statement, counted and sliced in the database."""

    @property
    def item_count(self):
        return db.session().exec(select(func.count()).select_from(self.collection.subquery())).one()

    @property
    def items(self):
        if self.page_params.first_item >= 2**62:  # past any table; and past what SQLite's OFFSET takes
            return []
        statement = self.collection.offset(self.page_params.first_item).limit(self.page_params.page_size)
        return db.session().exec(statement).all()


@blp.route("")
class AuditEvents(MethodView):
    decorators = [auth.require(Role.ADMIN)]

    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(QueryPage)
    @blp.doc(security=BEARER)
    def get(self, filters):
        """Audit events, newest first, optionally by state, action or actor."""
        return trail.query(state_code=filters.get("state"), action=filters.get("action"),
                           actor_id=filters.get("actor_id"))
