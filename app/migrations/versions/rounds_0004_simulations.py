"""Kept round simulations (`app.rounds.models.RoundSimulation`).

Revision ID: rounds_0004
Revises: accounts_0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = "rounds_0004"
down_revision = "accounts_0003"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "round_simulation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("scheduled_at", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("drawn_with", sa.JSON(), nullable=False),
        sa.Column("ranking_run_id", sa.Integer(), nullable=True),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("invitees_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_round_simulation"),
        sa.ForeignKeyConstraint(["state_code"], ["member_state.code"],
                                name="fk_round_simulation_state_code_member_state"),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"], ondelete="SET NULL",
                                name="fk_round_simulation_created_by_account"),
        sa.ForeignKeyConstraint(["ranking_run_id"], ["ranking_run.id"], ondelete="SET NULL",
                                name="fk_round_simulation_ranking_run_id_ranking_run"),
    )
    op.create_index("ix_round_simulation_state_code", "round_simulation", ["state_code"])
    op.create_index("ix_round_simulation_scheduled_at", "round_simulation", ["scheduled_at"])


def downgrade() -> None:
    op.drop_table("round_simulation")
