"""The migration from the 55 slot columns to documents and records, on a database of the old schema.

Old-form rows are written here the way the old code wrote them (the engine's columns laid into
`language_1` .. `preference_5`), independently of the migration's own frozen decoding.
"""
import datetime as dt
import random

import numpy as np
import ranking
import sqlalchemy as sa
from conftest import sample_profile
from strategies_eu import random_profile

from app import clock, db
from app.ranking_runs import rerank
from app.storage.tables import UTCDateTime

PREVIOUS = "rounds_0003"
SKILLS = ("listening", "reading", "speaking", "writing")
# The old table's columns for each encoded column, as app/profiles/models.py had them.
OLD_COLUMNS = {
    "date_of_birth": ["date_of_birth"], "education_level": ["education_level"],
    "languages.language": [f"language_{i}" for i in range(1, 7)],
    **{f"languages.{skill}": [f"language_{i}_{skill}" for i in range(1, 7)] for skill in SKILLS},
    "experience.occupation": [f"experience_{i}_occupation" for i in range(1, 6)],
    "experience.years": [f"experience_{i}_years" for i in range(1, 6)],
    "job_offer": ["job_offer"], "job_offer.state": ["job_offer_state"],
    "job_offer.occupation": ["job_offer_occupation"],
    "eu_study": ["eu_study"], "eu_work": ["eu_work"], "talent_partnership": ["talent_partnership"],
    "preferences": [f"preference_{i}" for i in range(1, 6)],
}


def _fits_old_slots(profile: dict) -> dict:
    return {**profile, "languages": profile["languages"][:6], "experience": profile["experience"][:5],
            "preferences": profile["preferences"][:5]}


def old_rows(grid, profiles, as_of):
    columns = grid.encode(profiles, as_of=as_of)
    rows = []
    for index in range(len(profiles)):
        row = {}
        for key, names in OLD_COLUMNS.items():
            values = np.atleast_1d(columns[key][index]).tolist()
            row.update(zip(names, values))  # a grid allowing more items has more (absent) slots
        rows.append(row)
    return rows


def test_slot_columns_become_documents_records_and_the_same_scores(app, runner):
    assert runner.invoke(args=["db", "downgrade", PREVIOUS]).exit_code == 0
    grid = ranking.load_grid("eu")
    as_of = clock.today()
    rng = random.Random(8)
    # The old schema held at most 6 languages, 5 occupations and 5 preferences.
    profiles = [sample_profile()] + [_fits_old_slots(random_profile(rng, as_of)) for _ in range(60)]
    now = clock.now()
    slots = old_rows(grid, profiles, as_of)
    accounts = sa.table("account", sa.column("id"), sa.column("reference"), sa.column("role"),
                        sa.column("created_at", UTCDateTime()))
    names = list(slots[0])
    old_profile = sa.table("profile", *(sa.column(n) for n in ["id", "account_id", "status", "first_submitted_us",
                                                              *names]),
                           *(sa.column(n, UTCDateTime()) for n in ("first_submitted_at", "updated_at",
                                                                    "confirmed_at", "expires_at")))
    with app.app_context(), db.engine().begin() as connection:
        connection.execute(accounts.insert(), [{"id": 10 + i, "reference": f"r{i}", "role": "candidate",
                                                "created_at": now} for i in range(len(profiles))])
        connection.execute(old_profile.insert(), [
            {"id": 1 + i, "account_id": 10 + i, "status": "active", "first_submitted_us": 1000 + i,
             "first_submitted_at": now, "updated_at": now, "confirmed_at": now,
             "expires_at": now + dt.timedelta(days=30), **row} for i, row in enumerate(slots)])
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output

    table = sa.table("profile", sa.column("account_id"), sa.column("document", sa.JSON),
                     sa.column("record", sa.LargeBinary), sa.column("record_grid"))
    with app.app_context(), db.engine().connect() as connection:
        stored = connection.execute(sa.select(table).order_by(table.c.account_id)).all()
        pool = rerank.read_pool(connection.engine, now, grid)
    assert [row.document for row in stored] == profiles
    assert [bytes(row.record) for row in stored] == [grid.encode_records([p], as_of=as_of).tobytes() for p in profiles]
    assert {row.record_grid for row in stored} == {grid.record_version}
    expected = grid.score(grid.encode(profiles, as_of=as_of), as_of=as_of)
    migrated = grid.score(pool.columns, as_of=as_of)
    assert pool.candidate_ids.tolist() == [10 + i for i in range(len(profiles))]
    np.testing.assert_array_equal(migrated.total, expected.total)
    np.testing.assert_array_equal(migrated.state_totals, expected.state_totals)

    assert runner.invoke(args=["db", "downgrade", PREVIOUS]).exit_code == 0
    with app.app_context(), db.engine().connect() as connection:
        back = connection.execute(sa.select(*(sa.column(n) for n in names)).select_from(sa.table("profile"))
                                  .order_by(sa.column("id"))).mappings().all()
    assert [dict(row) for row in back] == slots
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
