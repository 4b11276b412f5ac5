"""Initial schema: accounts, tokens, sign-in failures, member states, overlays, categories, audit, profiles.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)

MEMBER_STATES = [
    ("AT", "Austria"), ("BE", "Belgium"), ("BG", "Bulgaria"), ("CY", "Cyprus"), ("CZ", "Czechia"),
    ("DE", "Germany"), ("DK", "Denmark"), ("EE", "Estonia"), ("ES", "Spain"), ("FI", "Finland"),
    ("FR", "France"), ("GR", "Greece"), ("HR", "Croatia"), ("HU", "Hungary"), ("IE", "Ireland"),
    ("IT", "Italy"), ("LT", "Lithuania"), ("LU", "Luxembourg"), ("LV", "Latvia"), ("MT", "Malta"),
    ("NL", "Netherlands"), ("PL", "Poland"), ("PT", "Portugal"), ("RO", "Romania"), ("SE", "Sweden"),
    ("SI", "Slovenia"), ("SK", "Slovakia"),
]


def _small(name, default):
    return sa.Column(name, sa.SmallInteger(), nullable=False, server_default=str(default))


def _profile_slots():
    columns = []
    for slot in range(1, 7):
        columns.append(_small(f"language_{slot}", -1))
        columns += [_small(f"language_{slot}_{skill}", 0) for skill in ("listening", "reading", "speaking", "writing")]
    for slot in range(1, 6):
        columns += [_small(f"experience_{slot}_occupation", -1), _small(f"experience_{slot}_years", 0)]
    columns += [_small(f"preference_{slot}", -1) for slot in range(1, 6)]
    return columns


def upgrade():
    member_state = op.create_table(
        "member_state",
        sa.Column("code", sa.String(2), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("annual_invitation_ceiling", sa.Integer(), nullable=True),
        sa.Column("ceiling_updated_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_member_state"),
    )
    op.bulk_insert(member_state, [{"code": code, "name": name} for code, name in MEMBER_STATES])

    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("erased_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["state_code"], ["member_state.code"], name="fk_account_state_code_member_state"),
        sa.PrimaryKeyConstraint("id", name="pk_account"),
        sa.UniqueConstraint("email", name="uq_account_email"),
        sa.UniqueConstraint("reference", name="uq_account_reference"),
    )
    op.create_table(
        "token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name="fk_token_account_id_account", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_token"),
        sa.UniqueConstraint("token_hash", name="uq_token_token_hash"),
    )
    op.create_index("ix_token_account_id", "token", ["account_id"])
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("failed_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
    )
    op.create_index("ix_login_failure_email", "login_failure", ["email"])
    op.create_table(
        "overlay_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"], name="fk_overlay_version_created_by_account",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["state_code"], ["member_state.code"],
                                name="fk_overlay_version_state_code_member_state"),
        sa.PrimaryKeyConstraint("id", name="pk_overlay_version"),
    )
    op.create_index("ix_overlay_version_state_code", "overlay_version", ["state_code"])
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["state_code"], ["member_state.code"], name="fk_category_state_code_member_state"),
        sa.PrimaryKeyConstraint("id", name="pk_category"),
        sa.UniqueConstraint("state_code", "key", name="uq_category_state_key"),
    )
    op.create_index("ix_category_state_code", "category", ["state_code"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", UTC, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["account.id"], name="fk_audit_event_actor_id_account",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
    )
    op.create_index("ix_audit_event_occurred_at", "audit_event", ["occurred_at"])
    op.create_index("ix_audit_event_action", "audit_event", ["action"])
    op.create_index("ix_audit_event_state_code", "audit_event", ["state_code"])
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("first_submitted_at", UTC, nullable=False),
        sa.Column("first_submitted_us", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("confirmed_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("withdrawn_at", UTC, nullable=True),
        sa.Column("date_of_birth", sa.Integer(), nullable=False),
        sa.Column("education_level", sa.SmallInteger(), nullable=False),
        *_profile_slots(),
        _small("job_offer", 0),
        _small("job_offer_state", -1),
        _small("job_offer_occupation", -1),
        _small("eu_study", 0),
        _small("eu_work", 0),
        _small("talent_partnership", 0),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name="fk_profile_account_id_account",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_profile"),
        sa.UniqueConstraint("account_id", name="uq_profile_account_id"),
    )
    op.create_index("ix_profile_status", "profile", ["status"])
    op.create_index("ix_profile_expires_at", "profile", ["expires_at"])


def downgrade():
    for table in ("profile", "audit_event", "category", "overlay_version", "login_failure", "token", "account",
                  "member_state"):
        op.drop_table(table)
