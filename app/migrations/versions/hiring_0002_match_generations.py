"""Hiring: vacancies' matches as generations, written in bulk and switched to at once.

`vacancy_match` loses its surrogate id, its stored reference (computed when shown, from the
same HMAC, so employers' references and the interests named by them are unchanged), its
per-row time (the generation's) and its foreign keys and candidate index (ten million rows
are written in bulk each night; each of those made the write several times slower), and is
keyed (generation, vacancy, rank). `candidate_match` holds the same pairs in candidate order;
`vacancy_match_generation` says which generation readers use (`app.hiring.match_generations`).
The matches stored so far become the first generation, complete.

The downgrade brings the current generation back to the old table with references computed
under the service's `SECRET_KEY` (a frozen copy of `matches.reference`) and the generation's
time as each row's.

Revision ID: hiring_0002
Revises: accounts_0004
Create Date: 2026-12-02
"""
import datetime as dt
import hashlib
import hmac

import sqlalchemy as sa
from alembic import op
from flask import current_app

UTC = sa.DateTime(timezone=True)

revision = "hiring_0002"
down_revision = "accounts_0004"
branch_labels = None
depends_on = None

OLD = sa.table("vacancy_match", sa.column("vacancy_id"), sa.column("candidate_id"), sa.column("reference"),
               sa.column("rank"), sa.column("fit"), sa.column("computed_at", UTC))
GENERATIONS = sa.table("vacancy_match_generation", sa.column("id"), sa.column("started_at", UTC),
                       sa.column("completed_at", UTC), sa.column("retired_at", UTC))


def _matches_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("vacancy_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rank", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("fit", sa.Integer(), nullable=False),
        *([sa.PrimaryKeyConstraint("generation", "vacancy_id", "rank", name=op.f(f"pk_{name}"))]
          if name == "vacancy_match" else []),
        sqlite_with_rowid=name != "vacancy_match",
    )


def upgrade() -> None:
    connection = op.get_bind()
    op.create_table(
        "vacancy_match_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("completed_at", UTC, nullable=True),
        sa.Column("retired_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_match_generation")),
        sqlite_autoincrement=True,
    )
    moment = dt.datetime.now(dt.UTC)
    first = connection.execute(sa.select(sa.func.min(OLD.c.computed_at))).scalar()
    generation = connection.execute(sa.insert(GENERATIONS).values(started_at=first or moment, completed_at=moment)
                                    .returning(GENERATIONS.c.id)).scalar_one()
    op.create_table(
        "candidate_match",
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("candidate_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("vacancy_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("generation", "candidate_id", "vacancy_id", name=op.f("pk_candidate_match")),
        sqlite_with_rowid=False,
    )
    op.execute(f"INSERT INTO candidate_match (generation, candidate_id, vacancy_id) "
               f"SELECT {int(generation)}, candidate_id, vacancy_id FROM vacancy_match")
    # Through a plain copy: the new table cannot be created beside the old under the same names.
    _matches_table("vacancy_match_copy")
    op.execute(f"INSERT INTO vacancy_match_copy (generation, vacancy_id, rank, candidate_id, fit) "
               f"SELECT {int(generation)}, vacancy_id, rank, candidate_id, fit FROM vacancy_match")
    op.drop_table("vacancy_match")
    _matches_table("vacancy_match")
    op.execute("INSERT INTO vacancy_match (generation, vacancy_id, rank, candidate_id, fit) "
               "SELECT generation, vacancy_id, rank, candidate_id, fit FROM vacancy_match_copy")
    op.drop_table("vacancy_match_copy")


def _reference(key: bytes, vacancy_id: int, candidate_id: int) -> str:
    digest = hmac.new(key, f"vacancy-match:{vacancy_id}:{candidate_id}".encode(), hashlib.sha256).hexdigest()
    return f"M-{digest[:10].upper()}"


def downgrade() -> None:
    connection = op.get_bind()
    matches = sa.table("vacancy_match", sa.column("generation"), sa.column("vacancy_id"), sa.column("rank"),
                       sa.column("candidate_id"), sa.column("fit"))
    current = (sa.select(sa.func.max(GENERATIONS.c.id))
               .where(GENERATIONS.c.completed_at.is_not(None), GENERATIONS.c.retired_at.is_(None)).scalar_subquery())
    rows = connection.execute(
        sa.select(matches.c.vacancy_id, matches.c.candidate_id, matches.c.rank, matches.c.fit, GENERATIONS.c.started_at)
        .join(GENERATIONS, GENERATIONS.c.id == matches.c.generation)
        .where(matches.c.generation == current).order_by(matches.c.vacancy_id, matches.c.rank)).all()
    op.drop_table("vacancy_match")
    op.drop_table("candidate_match")
    op.drop_table("vacancy_match_generation")
    op.create_table(
        "vacancy_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("fit", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["account.id"], name=op.f("fk_vacancy_match_candidate_id_account"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"], name=op.f("fk_vacancy_match_vacancy_id_vacancy"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_match")),
        sa.UniqueConstraint("vacancy_id", "candidate_id", name=op.f("uq_vacancy_match_vacancy_id_candidate_id")),
        sa.UniqueConstraint("vacancy_id", "reference", name=op.f("uq_vacancy_match_vacancy_id_reference")),
    )
    with op.batch_alter_table("vacancy_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vacancy_match_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancy_match_vacancy_id"), ["vacancy_id"], unique=False)
    key = current_app.config["SECRET_KEY"].encode()
    if rows:
        connection.execute(sa.insert(OLD), [
            {"vacancy_id": row.vacancy_id, "candidate_id": row.candidate_id,
             "reference": _reference(key, row.vacancy_id, row.candidate_id), "rank": row.rank, "fit": row.fit,
             "computed_at": row.started_at} for row in rows])
