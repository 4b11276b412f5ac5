"""The pool's score distribution per member state (public)."""
from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from app.ranking_runs import pool_distribution
from app.ranking_runs.schemas import DistributionSchema

blp = Blueprint("pool", __name__, url_prefix="/api/v1/pool",
                description="How the pool's candidates score, per member state (public).")


@blp.get("/distribution")
@blp.response(200, DistributionSchema)
def distribution():
    """Candidates ranked at each state, in score buckets, from the newest nightly ranking."""
    return jsonify(pool_distribution.dumped(DistributionSchema()))
