"""E-mail verification and mailed single-use links (`Account.email_verified_at`, `mail_token`).

Accounts that exist already were created before verification did; they count as verified from
their creation, so an upgrade leaves nobody's profile out of the pool.

Revision ID: accounts_0002
Revises: notifications_0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "accounts_0002"
down_revision = "notifications_0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("email_verified_at", UTC, nullable=True))
    op.execute("UPDATE account SET email_verified_at = created_at WHERE erased_at IS NULL")
    op.create_table(
        "mail_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_token"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE",
                                name="fk_mail_token_account_id_account"),
        sa.UniqueConstraint("token_hash", name="uq_mail_token_token_hash"),
    )
    op.create_index("ix_mail_token_account_id", "mail_token", ["account_id"])


def downgrade() -> None:
    op.drop_table("mail_token")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("email_verified_at")
