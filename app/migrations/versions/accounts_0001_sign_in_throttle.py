"""The sign-in and registration limits' attempt counters (`app.accounts.throttle`).

Revision ID: accounts_0001
Revises: ranking_runs_0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "accounts_0001"
down_revision = "ranking_runs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_ms", sa.BigInteger(), nullable=False),
        sa.Column("locked_until_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "account", "address", name="pk_sign_in_throttle"),
    )
    op.create_index("ix_sign_in_throttle_address", "sign_in_throttle", ["address"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_throttle_address", "sign_in_throttle")
    op.drop_table("sign_in_throttle")
