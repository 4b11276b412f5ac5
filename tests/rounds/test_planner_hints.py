"""`not_indexed`: the same rows on both databases, and on SQLite the unique account_id lookup that
the round's commit and the invitation lifecycle rely on instead of a walk through every active
profile (`app.storage.planner_hints`)."""
from __future__ import annotations

from rounds_helpers import add_pool
from sqlalchemy import select, update
from sqlalchemy.dialects import sqlite

from app.profiles.models import Profile, ProfileStatus
from app.storage import engines
from app.storage.planner_hints import not_indexed

PROFILES = Profile.__table__


def _chosen(ids):
    return PROFILES.c.account_id.in_(ids)


def test_a_hinted_term_selects_the_same_rows(app):
    ids = add_pool(app, 60, seed=31).tolist()
    with app.app_context(), engines.writer().begin() as connection:
        connection.execute(update(PROFILES).where(_chosen(ids[:10])).values(status=ProfileStatus.INVITED.value))
        asked = ids[5:40]
        for status in (ProfileStatus.ACTIVE, ProfileStatus.INVITED, ProfileStatus.WITHDRAWN):
            plain = connection.execute(select(PROFILES.c.account_id).where(
                _chosen(asked), PROFILES.c.status == status.value)).scalars().all()
            hinted = connection.execute(select(PROFILES.c.account_id).where(
                _chosen(asked), not_indexed(PROFILES.c.status) == status.value)).scalars().all()
            assert sorted(hinted) == sorted(plain)
            assert len(plain) == {ProfileStatus.ACTIVE: 30, ProfileStatus.INVITED: 5}.get(status, 0)
        assert connection.execute(update(PROFILES).where(
            _chosen(asked), not_indexed(PROFILES.c.status) == ProfileStatus.ACTIVE.value,
        ).values(status=ProfileStatus.INVITED.value)).rowcount == 30


def test_sqlite_looks_the_accounts_up_by_their_unique_index(app):
    ids = add_pool(app, 30, seed=32).tolist()
    with app.app_context(), engines.writer().connect() as connection:
        if connection.dialect.name != "sqlite":
            return  # PostgreSQL plans from its statistics; the hint is the bare column there
        statement = update(PROFILES).where(
            _chosen(ids), not_indexed(PROFILES.c.status) == ProfileStatus.ACTIVE.value,
        ).values(status=ProfileStatus.INVITED.value)
        compiled = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
        assert "+profile.status" in str(compiled)
        plan = " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        assert "(account_id=?)" in plan and "status=?" not in plan, plan
