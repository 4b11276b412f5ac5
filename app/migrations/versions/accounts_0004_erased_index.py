"""Accounts: an index on `erased_at`, so a draw finds the erased candidates of a ranking run without a scan.

A round checks who of the ranking run's candidates have left the pool since (`rounds.execution`):
profiles no longer active or past expiry (the profile index answers that), and erased candidates,
whose profile row is gone and whose account row is known only by `erased_at`.

Revision ID: accounts_0004
Revises: hiring_0001
Create Date: 2026-12-02
"""
from alembic import op

revision = "accounts_0004"
down_revision = "hiring_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_erased_at"), ["erased_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_erased_at"))
