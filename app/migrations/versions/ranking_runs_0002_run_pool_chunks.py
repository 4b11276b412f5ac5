"""Ranking runs: the newest run's pool as columns in chunks of 65,536 candidates (`ranking_run_pool`).

Rounds, simulations and previews read these few hundred rows instead of a million entry rows
and the profiles (`app.ranking_runs.run_pool`). Runs ranked before this migration have none;
they are read from their entry rows as before, and the next re-rank writes the chunks.

Revision ID: ranking_runs_0002
Revises: hiring_0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "ranking_runs_0002"
down_revision = "hiring_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ranking_run_pool",
        sa.Column("run_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_candidate_id", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("record_grid", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.LargeBinary(), nullable=False),
        sa.Column("records", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "chunk", name=op.f("pk_ranking_run_pool")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Stored as they are: numbers and records compress little, and compressing costs the write.
        op.execute("ALTER TABLE ranking_run_pool ALTER COLUMN entries SET STORAGE EXTERNAL")
        op.execute("ALTER TABLE ranking_run_pool ALTER COLUMN records SET STORAGE EXTERNAL")


def downgrade():
    op.drop_table("ranking_run_pool")
