"""The keyed hash of a barred candidate's address, kept on the finding while the bar lasts.

Revision ID: handoff_0002
Revises: states_0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "handoff_0002"
down_revision = "states_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("misrepresentation") as batch:
        batch.add_column(sa.Column("address_digest", sa.String(length=64), nullable=True))
        batch.create_index("ix_misrepresentation_address_digest", ["address_digest"])


def downgrade() -> None:
    with op.batch_alter_table("misrepresentation") as batch:
        batch.drop_index("ix_misrepresentation_address_digest")
        batch.drop_column("address_digest")
