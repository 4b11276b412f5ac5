"""Dated rules: overlay revisions take effect on a date, version labels are unique per state,
member-state participation is data with a date (Denmark ships as not taking part), and each
ranking run records the states that took part.

Revision ID: states_0001
Revises: profiles_0002
Create Date: 2026-12-02
"""
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "states_0001"
down_revision = "profiles_0002"
branch_labels = None
depends_on = None

STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
          "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
# Protocol 22 on the position of Denmark: in force with the Treaty of Amsterdam on 1 May 1999.
DENMARK_SINCE = date(1999, 5, 1)


def upgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("overlay_version") as batch:
        batch.add_column(sa.Column("effective_from", sa.Date(), nullable=True))
    overlays = sa.table("overlay_version", sa.column("id", sa.Integer), sa.column("state_code", sa.String),
                        sa.column("version", sa.String), sa.column("created_at", sa.DateTime(timezone=True)),
                        sa.column("effective_from", sa.Date))
    seen = set()
    rows = connection.execute(sa.select(overlays.c.id, overlays.c.state_code, overlays.c.version,
                                        overlays.c.created_at).order_by(overlays.c.id)).all()
    for row in rows:
        # Saved before rules had dates: each took effect when it was saved. A label used twice
        # keeps its first revision's; later ones get their id appended, so labels become unique.
        label = row.version if (row.state_code, row.version) not in seen else f"{row.version} (#{row.id})"[:64]
        seen.add((row.state_code, label))
        created = row.created_at if isinstance(row.created_at, datetime) else datetime.fromisoformat(str(row.created_at))
        connection.execute(overlays.update().where(overlays.c.id == row.id).values(
            version=label, effective_from=created.astimezone(UTC).date() if created.tzinfo else created.date()))
    with op.batch_alter_table("overlay_version") as batch:
        batch.alter_column("effective_from", existing_type=sa.Date(), nullable=False)
        batch.create_index("ix_overlay_version_effective_from", ["effective_from"])
        batch.create_unique_constraint("uq_overlay_version_state_version", ["state_code", "version"])

    participation = op.create_table(
        "state_participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(2), nullable=False),
        sa.Column("taking_part", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["state_code"], ["member_state.code"]),
        sa.ForeignKeyConstraint(["created_by"], ["account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_state_participation_state_code", "state_participation", ["state_code"])
    op.bulk_insert(participation, [{
        "state_code": "DK", "taking_part": False, "effective_from": DENMARK_SINCE,
        "reason": "Protocol 22 on the position of Denmark: Denmark does not take part in measures under Title V TFEU.",
        "created_at": datetime(2026, 12, 2, tzinfo=UTC), "created_by": None}])

    with op.batch_alter_table("ranking_run") as batch:
        batch.add_column(sa.Column("taking_part", sa.JSON(), nullable=True))
    runs = sa.table("ranking_run", sa.column("taking_part", sa.JSON))
    connection.execute(runs.update().values(taking_part=list(STATES)))  # ranked before participation had data
    with op.batch_alter_table("ranking_run") as batch:
        batch.alter_column("taking_part", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("ranking_run") as batch:
        batch.drop_column("taking_part")
    op.drop_index("ix_state_participation_state_code", table_name="state_participation")
    op.drop_table("state_participation")
    with op.batch_alter_table("overlay_version") as batch:
        batch.drop_constraint("uq_overlay_version_state_version", type_="unique")
        batch.drop_index("ix_overlay_version_effective_from")
        batch.drop_column("effective_from")
