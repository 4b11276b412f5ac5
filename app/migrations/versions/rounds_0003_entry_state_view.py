"""A plain-SQL view of ranking entries: one row per (run, candidate, chosen state).

`ranking_entry` packs each preference slot into one BIGINT for the nightly bulk write (see
`app.services.entry_slots`); this view unpacks it with shifts and masks that SQLite and
PostgreSQL both evaluate, so an auditor can query totals and ranks without our code. The state
codes are the `eu` grid's, in its order at the time of this migration; a grid that reorders its
states needs a new migration that replaces the view.

Revision ID: rounds_0003
Revises: rounds_0002
Create Date: 2026-11-22
"""
from alembic import op

revision = "rounds_0003"
down_revision = "rounds_0002"
branch_labels = None
depends_on = None

STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
          "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
SLOTS = 5
STATE_SHIFT, SCORE_SHIFT, SCORE_OFFSET = 52, 28, 1 << 23
SCORE_MASK, RANK_MASK = (1 << 24) - 1, (1 << 28) - 1


def _slot(k: int) -> str:
    slot = f"slot_{k}"
    codes = " ".join(f"WHEN {index + 1} THEN '{code}'" for index, code in enumerate(STATES))
    stored = f"(({slot} >> {SCORE_SHIFT}) & {SCORE_MASK})"
    return (f"SELECT run_id, candidate_id, {k} AS preference, "
            f"CASE ({slot} >> {STATE_SHIFT}) {codes} END AS state_code, "
            f"CASE WHEN {stored} = 0 THEN NULL ELSE {stored} - {SCORE_OFFSET} END AS total, "
            f"NULLIF({slot} & {RANK_MASK}, 0) AS state_rank "
            f"FROM ranking_entry WHERE {slot} <> 0")


def upgrade():
    op.execute("CREATE VIEW ranking_entry_state AS " + " UNION ALL ".join(_slot(k) for k in range(1, SLOTS + 1)))


def downgrade():
    op.execute("DROP VIEW ranking_entry_state")
