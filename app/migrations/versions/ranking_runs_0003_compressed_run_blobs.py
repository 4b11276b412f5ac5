"""Ranking runs: the pool chunks compressed (zstd), and the tie groups' blobs stored as they are.

A million candidates' chunks were 138 MB a night, written, then deleted the next night; SQLite
walks every page of a deleted blob, and PostgreSQL writes every byte to its WAL. Compressed with
zstd they are about a third of that (`app.ranking_runs.run_pool`). A chunk now says how it is
compressed (`codec`) and how wide its records are (`record_width`: a compressed blob's length no
longer says it).

The chunks are a copy of the newest run, checked before use, so they are dropped here rather
than converted: until the next re-rank writes new ones, rounds and previews read that run's entry
rows and the current records, as they do for a run ranked before chunks existed.

On PostgreSQL the tie groups' blobs (sorted instants and ids, read whole by the provisional
standing) are stored uncompressed: pglz saved little on them and took 0.15 s of a 1M re-rank.

Revision ID: ranking_runs_0003
Revises: ranking_runs_0002
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "ranking_runs_0003"
down_revision = "ranking_runs_0002"
branch_labels = None
depends_on = None


def _create_chunks(*extra: sa.Column) -> None:
    op.create_table(
        "ranking_run_pool",
        sa.Column("run_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_candidate_id", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("record_grid", sa.String(length=64), nullable=False),
        *extra,
        sa.Column("entries", sa.LargeBinary(), nullable=False),
        sa.Column("records", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "chunk", name=op.f("pk_ranking_run_pool")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Already compressed (or, before this revision, numbers that pglz compressed slowly).
        op.execute("ALTER TABLE ranking_run_pool ALTER COLUMN entries SET STORAGE EXTERNAL")
        op.execute("ALTER TABLE ranking_run_pool ALTER COLUMN records SET STORAGE EXTERNAL")


def _tie_group_storage(storage: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in ("first_us", "candidate_id"):
            op.execute(f"ALTER TABLE ranking_tie_group ALTER COLUMN {column} SET STORAGE {storage}")


def upgrade():
    op.drop_table("ranking_run_pool")
    _create_chunks(sa.Column("record_width", sa.Integer(), nullable=False),
                   sa.Column("codec", sa.String(length=16), nullable=False))
    _tie_group_storage("EXTERNAL")


def downgrade():
    op.drop_table("ranking_run_pool")
    _create_chunks()
    _tie_group_storage("EXTENDED")
