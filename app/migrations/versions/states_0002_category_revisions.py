"""Categories take effect on a date: a category's title and definition move to dated revisions
(`category_revision`, never updated); each existing category becomes its first revision, in
force from the day it was last saved.

Revision ID: states_0002
Revises: employers_0001
Create Date: 2026-12-02
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "states_0002"
down_revision = "employers_0001"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def _moment(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def upgrade() -> None:
    connection = op.get_bind()
    old = sa.table("category", sa.column("id", sa.Integer), sa.column("title", sa.String),
                   sa.column("definition", sa.JSON), sa.column("updated_at", UTC_TIME))
    # Read first: on SQLite dropping the columns rebuilds the table.
    existing = connection.execute(sa.select(old.c.id, old.c.title, old.c.definition, old.c.updated_at)
                                  .order_by(old.c.id)).all()
    with op.batch_alter_table("category") as batch:
        batch.drop_column("title")
        batch.drop_column("definition")
        batch.drop_column("updated_at")
    revisions = op.create_table(
        "category_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["category_id"], ["category.id"], ondelete="CASCADE",
                                name="fk_category_revision_category_id_category"),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"], ondelete="SET NULL",
                                name="fk_category_revision_created_by_account"),
        sa.PrimaryKeyConstraint("id", name="pk_category_revision"),
    )
    op.create_index("ix_category_revision_category_id", "category_revision", ["category_id"])
    if existing:
        op.bulk_insert(revisions, [{
            "category_id": row.id, "title": row.title, "definition": row.definition,
            "effective_from": _moment(row.updated_at).date(), "created_at": _moment(row.updated_at),
            "created_by": None} for row in existing])


def downgrade() -> None:
    connection = op.get_bind()
    revisions = sa.table("category_revision", sa.column("id", sa.Integer), sa.column("category_id", sa.Integer),
                         sa.column("title", sa.String), sa.column("definition", sa.JSON),
                         sa.column("created_at", UTC_TIME))
    newest = {row.category_id: row for row in connection.execute(
        sa.select(revisions.c.category_id, revisions.c.title, revisions.c.definition, revisions.c.created_at)
        .order_by(revisions.c.category_id, revisions.c.id)).all()}  # the last of each category's rows wins
    op.drop_index("ix_category_revision_category_id", table_name="category_revision")
    op.drop_table("category_revision")
    with op.batch_alter_table("category") as batch:
        batch.add_column(sa.Column("title", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("definition", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("updated_at", UTC_TIME, nullable=True))
    old = sa.table("category", sa.column("id", sa.Integer), sa.column("title", sa.String),
                   sa.column("definition", sa.JSON), sa.column("created_at", UTC_TIME),
                   sa.column("updated_at", UTC_TIME))
    for category_id, row in newest.items():
        connection.execute(old.update().where(old.c.id == category_id).values(
            title=row.title, definition=row.definition, updated_at=row.created_at))
    connection.execute(old.delete().where(old.c.definition.is_(None)))  # no revision: nothing to keep
    connection.execute(old.update().where(old.c.updated_at.is_(None)).values(updated_at=old.c.created_at))
    with op.batch_alter_table("category") as batch:
        batch.alter_column("title", existing_type=sa.String(200), server_default=None)
        batch.alter_column("definition", existing_type=sa.JSON(), nullable=False)
        batch.alter_column("updated_at", existing_type=UTC_TIME, nullable=False)
