"""A covering index for the draw's read of who is still in the pool (`app.rounds.models.ACTIVE_POOL_INDEX`).

Revision ID: rounds_0005
Revises: rounds_0004
Create Date: 2026-12-02
"""
from alembic import op


revision = "rounds_0005"
down_revision = "rounds_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_profile_active_pool", "profile", ["status", "expires_at", "account_id"])


def downgrade() -> None:
    op.drop_index("ix_profile_active_pool", table_name="profile")
