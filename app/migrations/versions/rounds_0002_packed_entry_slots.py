"""Ranking entries: one packed BIGINT per preference slot instead of three columns.

The entries are regenerated every night, so the old ones are dropped rather than converted; runs
are marked incomplete, so nothing reads a run without entries until the next re-rank. The new
table has no foreign key to `ranking_run`: checking it per row made PostgreSQL's COPY of a
million entries 4-5 times slower (14 s instead of 3 s measured here); entries are only ever
written and deleted together with their run, by the same code.

Revision ID: rounds_0002
Revises: rounds_0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "rounds_0002"
down_revision = "rounds_0001"
branch_labels = None
depends_on = None


def _entries(slot_columns):
    op.create_table(
        "ranking_entry",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_submitted_us", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.SmallInteger(), nullable=False),
        *slot_columns,
        sa.PrimaryKeyConstraint("run_id", "candidate_id", name="pk_ranking_entry"),
    )


def _replace(slot_columns):
    op.drop_table("ranking_entry")
    op.execute("UPDATE ranking_run SET completed_at = NULL")
    _entries(slot_columns)


def upgrade():
    _replace([sa.Column(f"slot_{k}", sa.BigInteger(), nullable=False) for k in range(1, 6)])


def downgrade():
    _replace([sa.Column(f"{name}_{k}", kind, nullable=False)
              for name, kind in (("preference", sa.SmallInteger()), ("score", sa.Integer()), ("rank", sa.Integer()))
              for k in range(1, 6)])
