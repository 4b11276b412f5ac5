"""The notifications outbox (`app.notifications.models.OutboxMessage`).

Revision ID: notifications_0001
Revises: accounts_0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = "notifications_0001"
down_revision = "accounts_0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(120), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_message"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE",
                                name="fk_outbox_message_account_id_account"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_message_dedupe_key"),
    )
    op.create_index("ix_outbox_message_account_id", "outbox_message", ["account_id"])
    op.create_index("ix_outbox_message_status", "outbox_message", ["status"])
    op.create_index("ix_outbox_message_next_attempt_at", "outbox_message", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox_message")
