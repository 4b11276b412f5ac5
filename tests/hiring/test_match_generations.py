"""The nightly matches as generations: readers see yesterday's complete set or today's, never a
mixture, whatever happens while today's is written (a refused chunk, a vacancy published, a
consent withdrawn); references stay those employers already hold.

Expected matches come from what the API showed before, or from the candidates made here (each
matches every vacancy below), never from the service's own tables.
"""
from __future__ import annotations

import numpy as np
import pytest
from employers.employer_helpers import verified_employer
from hiring_flow import findable_candidate, matches_of, published_vacancy, rank_tonight
from sqlalchemy import func, select

from app import db
from app.hiring import match_generations, matches
from app.hiring.models import CandidateMatch, MatchGeneration, VacancyMatch
from app.storage import columnar, engines
from conftest import sample_profile


def stored(app) -> dict:
    """{"generations": [(id, complete, retired)], "matches": {generation: rows}, "candidates": {generation: rows}}."""
    with app.app_context(), engines.reader().connect() as connection:
        generations = MatchGeneration.__table__
        out = {"generations": [(row.id, row.completed_at is not None, row.retired_at is not None) for row in
                               connection.execute(select(generations).order_by(generations.c.id))]}
        for name, table in (("matches", VacancyMatch.__table__), ("candidates", CandidateMatch.__table__)):
            out[name] = dict(connection.execute(select(table.c.generation, func.count())
                                                .group_by(table.c.generation)).all())
    return out


def seen(client, employer, vacancy_ids) -> dict:
    """What the employer sees of each vacancy: [(reference, rank, fit)]."""
    return {v: [(m["reference"], m["rank"], m["fit"]) for m in matches_of(client, employer, v)] for v in vacancy_ids}


def store(app) -> matches.NightlyReport:
    with app.app_context():
        return matches.store_nightly()


def test_the_night_replaces_the_set_and_the_references_employers_hold_stay(app, client, make_account, monkeypatch):
    employer = verified_employer(app, client, make_account("official", "DE"))
    findable_candidate(client, make_account, sample_profile(education_level=6))
    vacancy_id = published_vacancy(client, employer)
    [at_publication] = matches_of(client, employer, vacancy_id)
    assert client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/interests",
                       json={"candidate": at_publication["reference"], "message": "Hello."},
                       headers=employer["headers"]).status_code == 201
    findable_candidate(client, make_account, sample_profile(education_level=7))
    other_vacancy = published_vacancy(client, employer)
    assert len(matches_of(client, employer, vacancy_id)) == 1  # the second came after the publication

    hashed = []
    monkeypatch.setattr(matches, "reference", lambda *pair, _real=matches.reference: hashed.append(pair) or _real(*pair))
    rank_tonight(app)
    assert hashed == [], "the nightly store computed references"
    tonight = matches_of(client, employer, vacancy_id)
    assert [m["rank"] for m in tonight] == [1, 2] and tonight[0]["fit"] > tonight[1]["fit"]  # EQF 7 first
    assert tonight[1]["reference"] == at_publication["reference"] and tonight[1]["interest"] is not None
    assert tonight[1]["fit"] == at_publication["fit"]
    elsewhere = {m["reference"] for m in matches_of(client, employer, other_vacancy)}
    assert len(elsewhere) == 2 and not elsewhere & {m["reference"] for m in tonight}  # unlinkable across vacancies
    assert all(m["computed_at"] for m in tonight)

    after = stored(app)
    [(generation, complete, retired)] = after["generations"]
    assert complete and not retired
    assert after["matches"] == after["candidates"] == {generation: 4}
    rank_tonight(app)  # again: the same references, one generation
    assert seen(client, employer, [vacancy_id, other_vacancy]) == {
        vacancy_id: [(m["reference"], m["rank"], m["fit"]) for m in tonight],
        other_vacancy: [(m["reference"], m["rank"], m["fit"]) for m in matches_of(client, employer, other_vacancy)]}
    assert len(stored(app)["generations"]) == 1


def test_a_write_the_database_refuses_half_way_leaves_yesterdays_matches(app, client, make_account, monkeypatch):
    employer = verified_employer(app, client, make_account("official", "DE"))
    for level in (6, 7, 8):
        findable_candidate(client, make_account, sample_profile(education_level=level))
    vacancy_ids = [published_vacancy(client, employer) for _ in range(3)]
    store(app)
    yesterday = seen(client, employer, vacancy_ids)
    assert all(len(rows) == 3 for rows in yesterday.values())
    # Tonight's set differs: one more candidate, who meets every vacancy.
    findable_candidate(client, make_account, sample_profile(experience=[{"occupation": "2512", "years": 9}]))
    app.config["RERANK_CHUNK_ROWS"] = 2  # many transactions on SQLite; one on PostgreSQL

    real = columnar.write

    def refused_last(engine, tables, **options):
        """The matches with their first row again at the end: the last chunk breaks the key."""
        first = tables[0]
        doubled = {name: np.concatenate([values, values[:1]]) for name, values in first.columns.items()}
        return real(engine, [columnar.Rows(first.table, doubled, first.chunk_rows), *tables[1:]], **options)

    monkeypatch.setattr(match_generations.columnar, "write", refused_last)
    with pytest.raises(columnar.BulkError):
        store(app)
    assert seen(client, employer, vacancy_ids) == yesterday
    failed = stored(app)
    assert [(complete, retired) for _id, complete, retired in failed["generations"]] == [(True, False), (False, False)]
    if app.config["DATABASE_URL"].startswith("sqlite"):
        assert failed["matches"][failed["generations"][1][0]] > 0  # its first chunks were committed, unseen

    monkeypatch.setattr(match_generations.columnar, "write", real)
    report = store(app)
    today = seen(client, employer, vacancy_ids)
    assert all(len(rows) == 4 for rows in today.values()) and today != yesterday
    assert stored(app) == {"generations": [(report.generation, True, False)],
                           "matches": {report.generation: 12}, "candidates": {report.generation: 12}}


@pytest.mark.parametrize("moment", ["before the vacancies are read", "after they are read"])
def test_a_vacancy_published_while_the_matches_are_written_keeps_its_matches(app, client, make_account, monkeypatch,
                                                                           moment):
    employer = verified_employer(app, client, make_account("official", "DE"))
    findable_candidate(client, make_account)
    earlier = published_vacancy(client, employer)
    published = []

    def publish_now():
        published.append(published_vacancy(client, employer))

    if moment == "before the vacancies are read":
        real_begin = match_generations.begin

        def begin_then_publish(engine):
            generation = real_begin(engine)
            publish_now()
            return generation

        monkeypatch.setattr(match_generations, "begin", begin_then_publish)
    else:
        real_top = matches.matching.top_matches_for_all

        def publish_then_compute(*args, **kwargs):
            publish_now()
            return real_top(*args, **kwargs)

        monkeypatch.setattr(matches.matching, "top_matches_for_all", publish_then_compute)
    report = store(app)
    # Either way the nightly job computes only the earlier one: the new one stored its own, once.
    assert report.vacancies == 1 and len(published) == 1
    assert [len(matches_of(client, employer, v)) for v in (earlier, *published)] == [1, 1]
    assert stored(app)["matches"] == {report.generation: 2}


def test_a_candidate_who_withdraws_while_the_matches_are_written_is_not_among_them(app, client, make_account,
                                                                                  monkeypatch):
    employer = verified_employer(app, client, make_account("official", "DE"))
    staying = findable_candidate(client, make_account, sample_profile(education_level=6))
    leaving = findable_candidate(client, make_account, sample_profile(education_level=7))
    vacancy_id = published_vacancy(client, employer)
    real_top = matches.matching.top_matches_for_all

    def withdraw_meanwhile(*args, **kwargs):
        top = real_top(*args, **kwargs)  # computed with them in the pool
        assert client.delete("/api/v1/me/findability", headers=leaving["headers"]).status_code == 200
        return top

    monkeypatch.setattr(matches.matching, "top_matches_for_all", withdraw_meanwhile)
    report = store(app)
    assert report.matches == 2
    assert [m["rank"] for m in matches_of(client, employer, vacancy_id)] == [2]  # the one staying
    with app.app_context(), db.unit_of_work() as session:
        for table in (VacancyMatch, CandidateMatch):
            assert session.exec(select(table).where(table.candidate_id == leaving["id"])).first() is None
            assert session.exec(select(table).where(table.candidate_id == staying["id"])).first() is not None


def test_the_export_lists_the_current_generations_matches_of_the_candidate(app, client, make_account):
    employer = verified_employer(app, client, make_account("official", "DE"))
    candidate = findable_candidate(client, make_account)
    vacancies = [published_vacancy(client, employer) for _ in range(2)]
    rank_tonight(app)
    shown = {v: matches_of(client, employer, v)[0] for v in vacancies}
    exported = client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()["hiring"]["matches"]
    assert sorted(m["reference"] for m in exported) == sorted(m["reference"] for m in shown.values())
    assert all(m["rank"] == 1 and m["computed_at"] for m in exported)
