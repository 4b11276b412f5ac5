"""The pool's score distribution per member state (public)."""
from __future__ import annotations

from flask_smorest import Blueprint

from app.schemas.rounds import DistributionSchema
from app.services import pool_stats

blp = Blueprint("pool", __name__, url_prefix="/api/v1/pool",
                description="How the pool's candidates score, per member state (public).")


@blp.get("/distribution")
@blp.response(200, DistributionSchema)
def distribution():
    """Candidates ranked at each state, in score buckets, from the newest nightly ranking."""
    return pool_stats.distribution()
