"""Ranking runs and their entries, invitation rounds, invitations.

Revision ID: rounds_0001
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "rounds_0001"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)
HOLDING = sa.text("status IN ('pending', 'accepted')")


def _slots(prefix, kind):
    return [sa.Column(f"{prefix}_{slot}", kind, nullable=False) for slot in range(1, 6)]


def upgrade():
    op.create_table(
        "ranking_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("completed_at", UTC, nullable=True),
        sa.Column("grid", sa.String(32), nullable=False),
        sa.Column("grid_version", sa.String(32), nullable=False),
        sa.Column("overlay_versions", sa.JSON(), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("entries_hash", sa.String(64), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ranking_run"),
        sa.UniqueConstraint("run_date", name="uq_ranking_run_run_date"),
    )
    op.create_index("ix_ranking_run_completed_at", "ranking_run", ["completed_at"])
    op.create_table(
        "ranking_entry",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_submitted_us", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.SmallInteger(), nullable=False),
        *_slots("preference", sa.SmallInteger()),
        *_slots("score", sa.Integer()),
        *_slots("rank", sa.Integer()),
        sa.ForeignKeyConstraint(["run_id"], ["ranking_run.id"], name="fk_ranking_entry_run_id_ranking_run",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "candidate_id", name="pk_ranking_entry"),
    )
    op.create_table(
        "round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("scheduled_at", UTC, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("category_key", sa.String(64), nullable=True),
        sa.Column("category", sa.JSON(), nullable=True),
        sa.Column("min_score", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_expires_at", UTC, nullable=True),
        sa.Column("completed_at", UTC, nullable=True),
        sa.Column("draw_key", sa.String(64), nullable=True),
        sa.Column("draw_states", sa.JSON(), nullable=True),
        sa.Column("ranking_run_id", sa.Integer(), nullable=True),
        sa.Column("quota", sa.Integer(), nullable=True),
        sa.Column("eligible_pool", sa.Integer(), nullable=True),
        sa.Column("invited", sa.Integer(), nullable=True),
        sa.Column("cutoff_score", sa.Integer(), nullable=True),
        sa.Column("cutoff_submitted_us", sa.BigInteger(), nullable=True),
        sa.Column("cutoff_submitted_at", UTC, nullable=True),
        sa.Column("cutoff_candidate_id", sa.Integer(), nullable=True),
        sa.Column("input_hash", sa.String(64), nullable=True),
        sa.Column("rule_versions", sa.JSON(), nullable=True),
        sa.Column("eligible_mask", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"], name="fk_round_created_by_account",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ranking_run_id"], ["ranking_run.id"], name="fk_round_ranking_run_id_ranking_run"),
        sa.ForeignKeyConstraint(["state_code"], ["member_state.code"], name="fk_round_state_code_member_state"),
        sa.PrimaryKeyConstraint("id", name="pk_round"),
        sa.UniqueConstraint("key", name="uq_round_key"),
        sa.UniqueConstraint("state_code", "scheduled_at", name="uq_round_state_scheduled_at"),
    )
    for column in ("draw_key", "scheduled_at", "state_code", "status"):
        op.create_index(f"ix_round_{column}", "round", [column])
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("preference", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("responded_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["account.id"], name="fk_invitation_candidate_id_account"),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name="fk_invitation_round_id_round"),
        sa.PrimaryKeyConstraint("id", name="pk_invitation"),
        sa.UniqueConstraint("round_id", "candidate_id", name="uq_invitation_round_candidate"),
    )
    for column in ("candidate_id", "expires_at", "round_id", "status"):
        op.create_index(f"ix_invitation_{column}", "invitation", [column])
    # At most one pending or accepted invitation per candidate, whatever processes race.
    op.create_index("uq_invitation_holding_candidate", "invitation", ["candidate_id"], unique=True,
                    sqlite_where=HOLDING, postgresql_where=HOLDING)


def downgrade():
    for table in ("invitation", "round", "ranking_entry", "ranking_run"):
        op.drop_table(table)
