"""Who is in the pool, from one covering index: (status, expires_at, account_id) replaces (status).

A round reads every active, unexpired candidate id; through the old index SQLite looked up each
row (with its document) for the expiry and the id. The new index answers that read, and the
nightly expiry's (status, expires_at) search, alone; (status) is its prefix, so it goes.

Revision ID: profiles_0002
Revises: rounds_0004
Create Date: 2026-12-02
"""
from alembic import op

revision = "profiles_0002"
down_revision = "rounds_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_profile_status_expires_at_account_id", "profile", ["status", "expires_at", "account_id"])
    op.drop_index("ix_profile_status", table_name="profile")


def downgrade() -> None:
    op.create_index("ix_profile_status", "profile", ["status"])
    op.drop_index("ix_profile_status_expires_at_account_id", table_name="profile")
