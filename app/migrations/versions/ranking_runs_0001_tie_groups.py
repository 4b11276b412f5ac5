"""Tie groups: per run, state and total, the sorted keys of the candidates holding it.

What a provisional standing is computed from at submission time (`app.ranking_runs.models`).
Runs written before this migration have none: until the next re-rank a submission gets no
provisional standing (the API says null), and nothing else reads tie groups.

Revision ID: ranking_runs_0001
Revises: profiles_0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "ranking_runs_0001"
down_revision = "profiles_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ranking_tie_group",
        sa.Column("run_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("total", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("first_us", sa.LargeBinary(), nullable=False),
        sa.Column("candidate_id", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "state", "total", name="pk_ranking_tie_group"),
    )


def downgrade():
    op.drop_table("ranking_tie_group")
