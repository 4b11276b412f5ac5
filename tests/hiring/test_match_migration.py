"""The migration of vacancies' matches to generations (hiring_0002), down and up, on both databases:
employers see the same references, ranks and fits before and after, and the old table gets back
the references they were shown."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from employers.employer_helpers import verified_employer
from hiring_flow import findable_candidate, matches_of, published_vacancy

from app import clock, db
from app.hiring import matches
from app.storage.tables import UTCDateTime
from conftest import sample_profile

BEFORE = "accounts_0004"
OLD = sa.table("vacancy_match", sa.column("vacancy_id"), sa.column("candidate_id"), sa.column("reference"),
               sa.column("rank"), sa.column("fit"), sa.column("computed_at", UTCDateTime()))


def test_matches_keep_their_references_down_and_up(app, client, runner, make_account):
    employer = verified_employer(app, client, make_account("official", "DE"))
    first = findable_candidate(client, make_account, sample_profile(education_level=7))
    second = findable_candidate(client, make_account, sample_profile(education_level=6))
    shown = {v: matches_of(client, employer, v) for v in [published_vacancy(client, employer) for _ in range(2)]}
    third = published_vacancy(client, employer)  # before the downgrade: publishing needs today's schema
    assert [len(rows) for rows in shown.values()] == [2, 2]
    as_seen = {v: [(m["reference"], m["rank"], m["fit"]) for m in rows] for v, rows in shown.items()}

    result = runner.invoke(args=["db", "downgrade", BEFORE])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine().begin() as connection:
        old = connection.execute(sa.select(OLD).order_by(OLD.c.vacancy_id, OLD.c.rank)).all()
        assert {v: [(row.reference, row.rank, row.fit) for row in old if row.vacancy_id == v] for v in shown} == as_seen
        assert {row.candidate_id for row in old} == {first["id"], second["id"]}
        assert all(row.computed_at <= clock.now() for row in old)
        # A third vacancy's matches as the old code stored them (`_rows`: the reference, per row): one, a day old.
        with app.test_request_context():
            reference = matches.reference(third, second["id"])
        connection.execute(sa.delete(OLD).where(OLD.c.vacancy_id == third))
        connection.execute(sa.insert(OLD).values(vacancy_id=third, candidate_id=second["id"], reference=reference,
                                                 rank=1, fit=44, computed_at=clock.now() - dt.timedelta(days=1)))

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert {v: [(m["reference"], m["rank"], m["fit"]) for m in matches_of(client, employer, v)]
            for v in shown} == as_seen
    [kept] = matches_of(client, employer, third)
    assert (kept["reference"], kept["rank"], kept["fit"]) == (reference, 1, 44)
    with app.app_context(), db.engine().connect() as connection:
        generations = connection.execute(sa.text("SELECT completed_at, retired_at FROM vacancy_match_generation")).all()
        pairs = connection.execute(sa.text("SELECT count(*) FROM candidate_match")).scalar()
    assert len(generations) == 1 and generations[0][0] is not None and generations[0][1] is None
    assert pairs == 5
