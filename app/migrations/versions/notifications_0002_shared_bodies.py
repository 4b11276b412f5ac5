"""The outbox: what a message says (`outbox_body`) apart from whom it goes to (`outbox_message`).

A round's thousands of invitations say the same in a few languages; each message carried its own
copy of about 1.4 KB (`app.notifications.models.OutboxBody` says what that cost). Existing
messages each get a body of their own, with the message's id as the body's id: which of them
say the same is not worth finding out for messages that retention deletes within months.
Downgrading copies every message's body back into it.

Revision ID: notifications_0002
Revises: ranking_runs_0003
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "notifications_0002"
down_revision = "ranking_runs_0003"
branch_labels = None
depends_on = None

def _body_columns() -> list[sa.Column]:
    """New column objects each call: a column belongs to the one table it is added to."""
    return [sa.Column("subject", sa.String(300), nullable=False), sa.Column("text_body", sa.Text(), nullable=False),
            sa.Column("html_body", sa.Text(), nullable=False)]


BODY_COLUMNS = tuple(column.name for column in _body_columns())


def upgrade() -> None:
    op.create_table(
        "outbox_body",
        sa.Column("id", sa.Integer(), nullable=False),
        *_body_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_body"),
    )
    op.execute("INSERT INTO outbox_body (id, subject, text_body, html_body) "
               "SELECT id, subject, text_body, html_body FROM outbox_message")
    if op.get_bind().dialect.name == "postgresql":  # the ids were given: the sequence continues after them
        op.execute("SELECT setval(pg_get_serial_sequence('outbox_body', 'id'), "
                   "coalesce((SELECT max(id) FROM outbox_body), 0) + 1, false)")
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
    op.execute("UPDATE outbox_message SET body_id = id")
    with op.batch_alter_table("outbox_message") as batch:
        batch.alter_column("body_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_outbox_message_body_id_outbox_body", "outbox_body", ["body_id"], ["id"])
        batch.create_index("ix_outbox_message_body_id", ["body_id"])
        for name in BODY_COLUMNS:
            batch.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        for column in _body_columns():
            column.nullable = True
            batch.add_column(column)
    for name in BODY_COLUMNS:
        op.execute(f"UPDATE outbox_message SET {name} = "
                   f"(SELECT outbox_body.{name} FROM outbox_body WHERE outbox_body.id = outbox_message.body_id)")
    with op.batch_alter_table("outbox_message") as batch:
        for column in _body_columns():
            batch.alter_column(column.name, existing_type=column.type, nullable=False)
        batch.drop_index("ix_outbox_message_body_id")
        batch.drop_constraint("fk_outbox_message_body_id_outbox_body", type_="foreignkey")
        batch.drop_column("body_id")
    op.drop_table("outbox_body")
