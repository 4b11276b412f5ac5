"""Lifecycle and hand-off: the account's language, removal from the pool, consent and withdrawal of an
acceptance, the application's progress, misrepresentation findings.

Revision ID: handoff_0001
Revises: states_0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = "handoff_0001"
down_revision = "states_0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="en"))
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("removed_at", UTC, nullable=True))
        batch.add_column(sa.Column("removal_reason", sa.String(24), nullable=True))
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("consent_at", UTC, nullable=True))
        batch.add_column(sa.Column("withdrawn_at", UTC, nullable=True))
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("lodged_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("shared_until", UTC, nullable=True),
        sa.Column("shared_data_deleted_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_application"),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"], name="fk_application_invitation_id_invitation"),
        sa.ForeignKeyConstraint(["candidate_id"], ["account.id"], name="fk_application_candidate_id_account"),
        sa.UniqueConstraint("invitation_id", name="uq_application_invitation_id"),
    )
    op.create_index("ix_application_candidate_id", "application", ["candidate_id"])
    op.create_index("ix_application_state_code", "application", ["state_code"])
    op.create_index("ix_application_status", "application", ["status"])
    op.create_index("ix_application_shared_until", "application", ["shared_until"])
    op.create_table(
        "misrepresentation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("claim", sa.String(64), nullable=False),
        sa.Column("decision_reference", sa.String(120), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("barred_until", UTC, nullable=False),
        sa.Column("lifted_at", UTC, nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.Column("lift_reason", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_misrepresentation"),
        sa.ForeignKeyConstraint(["candidate_id"], ["account.id"], name="fk_misrepresentation_candidate_id_account"),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"],
                                name="fk_misrepresentation_invitation_id_invitation"),
        sa.ForeignKeyConstraint(["recorded_by"], ["account.id"], name="fk_misrepresentation_recorded_by_account"),
        sa.ForeignKeyConstraint(["lifted_by"], ["account.id"], name="fk_misrepresentation_lifted_by_account"),
    )
    op.create_index("ix_misrepresentation_candidate_id", "misrepresentation", ["candidate_id"])


def downgrade() -> None:
    op.drop_table("misrepresentation")
    op.drop_table("application")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("withdrawn_at")
        batch.drop_column("consent_at")
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("removal_reason")
        batch.drop_column("removed_at")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("language")
