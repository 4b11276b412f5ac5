"""Two-factor sign-in of officials and administrators, and disabled accounts
(`app.accounts.models.TwoFactor`, `RecoveryCode`, `Account.disabled_at`).

Revision ID: accounts_0003
Revises: accounts_0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "accounts_0003"
down_revision = "accounts_0002"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("account", sa.Column("disabled_at", UTC, nullable=True))
    op.create_table(
        "two_factor",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("enrolled_at", UTC, nullable=False),
        sa.Column("last_step", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_two_factor"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE",
                                name="fk_two_factor_account_id_account"),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_code"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE",
                                name="fk_recovery_code_account_id_account"),
        sa.UniqueConstraint("code_hash", name="uq_recovery_code_code_hash"),
    )
    op.create_index("ix_recovery_code_account_id", "recovery_code", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_recovery_code_account_id", "recovery_code")
    op.drop_table("recovery_code")
    op.drop_table("two_factor")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("disabled_at")
