"""The nightly re-rank: what a run records, ranks checked by a plain sort, atomic switch, ages."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import sample_profile
from reference import eu as reference
from rounds_helpers import add_pool, rank
from sqlalchemy import insert
from sqlmodel import select

from app import clock, db
from app.profiles.models import Profile
from app.ranking_runs import rerank, run_entries
from app.ranking_runs.models import RankingRun
from app.states.grid import shipped_grid
from app.storage import engines


def entries(app, run_id):
    with app.app_context():
        with engines.reader().connect() as connection:
            return run_entries.read(connection, run_id)


def test_a_run_ranks_every_active_candidate_per_state_by_score_then_time_then_id(app):
    ids = add_pool(app, 300, seed=3)
    report = rank(app)
    assert report.candidates == len(ids)
    run = entries(app, report.run_id)
    assert list(run.candidate_ids) == sorted(ids)
    # A plain re-ranking: for each state, sort (state, -score, time, id) tuples with Python's sort.
    per_state = {}
    for i, (cid, submitted) in enumerate(zip(run.candidate_ids.tolist(), run.submitted_us.tolist())):
        for k in range(5):
            state, score, rank_ = int(run.preferences[i, k]), int(run.scores[i, k]), int(run.ranks[i, k])
            if state >= 0 and rank_ > 0:
                per_state.setdefault(state, []).append(((-score, submitted, cid), rank_))
            else:
                assert rank_ == 0
    assert per_state, "nobody was ranked anywhere"
    for state, ranked in per_state.items():
        ranked.sort()
        assert [r for _, r in ranked] == list(range(1, len(ranked) + 1)), state


def test_the_same_date_is_ranked_once_and_a_replacement_gives_the_same_input_hash(app):
    add_pool(app, 50)
    first = rank(app)
    with app.app_context():
        first_hash = db.session().get(RankingRun, first.run_id).input_hash
    with pytest.raises(rerank.AlreadyRanked):
        rank(app)
    again = rank(app, replace=True)
    with app.app_context():
        runs = db.session().exec(select(RankingRun)).all()
    assert len(runs) == 1 and runs[0].id == again.run_id
    assert again.candidates == first.candidates
    assert runs[0].input_hash == first_hash


def test_readers_use_the_newest_complete_run_only(app):
    add_pool(app, 20)
    complete = rank(app)
    with app.app_context():
        with engines.writer().begin() as connection:
            connection.execute(insert(RankingRun.__table__).values(
                run_date=clock.today() + dt.timedelta(days=1), started_at=clock.now(), grid="eu", grid_version="x",
                overlay_versions={}, input_hash="0" * 64, entries_hash="0" * 64, candidates=0, eligible=0))
        with engines.reader().connect() as connection:
            assert run_entries.latest_complete(connection).id == complete.run_id


def test_the_input_hash_follows_the_pool(app, client, candidate):
    add_pool(app, 30)
    today = clock.today()
    first = rank(app, today)
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).status_code == 200
    second = rank(app, today, replace=True)
    assert second.candidates == first.candidates + 1
    assert first.input_hash != second.input_hash


def _turning_25(as_of: dt.date) -> str:
    """A date of birth on which the candidate turns 25 the day after `as_of`."""
    birthday = as_of + dt.timedelta(days=1)
    return birthday.replace(year=birthday.year - 25).isoformat()


def test_ages_crossing_a_band_between_two_nights_change_the_score(app, client, candidate, frozen_clock):
    day_one = clock.today()
    profile = sample_profile(date_of_birth=_turning_25(day_one))
    assert client.put("/api/v1/me/profile", json=profile, headers=candidate["headers"]).status_code == 200
    first = rank(app, day_one)
    frozen_clock.advance(days=1)
    second = rank(app, day_one + dt.timedelta(days=1))
    before, after = (entries(app, run.run_id) for run in (first, second))
    expected = [reference.score(profile, day) for day in (day_one, day_one + dt.timedelta(days=1))]
    assert expected[0]["total"] != expected[1]["total"], "the chosen birthday should cross an age band"
    assert [int(before.matrix[0, 2]), int(after.matrix[0, 2])] == [e["total"] for e in expected]
    for run, result in ((before, expected[0]), (after, expected[1])):
        totals = {s["state"]: s["total"] for s in result["states"]}
        assert int(run.scores[0, 0]) == totals["DE"]


def test_an_updated_profile_keeps_its_first_submission_time_in_the_ranking(app, client, candidate, frozen_clock):
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).status_code == 200
    with app.app_context():
        first_us = db.session().exec(select(Profile.first_submitted_us)).one()
    frozen_clock.advance(hours=5)
    changed = sample_profile(education_level=7, preferences=["NL", "DE"])
    assert client.put("/api/v1/me/profile", json=changed, headers=candidate["headers"]).status_code == 200
    run = entries(app, rank(app).run_id)
    assert int(run.submitted_us[0]) == first_us
    assert int(run.preferences[0, 0]) != int(run.preferences[0, 1])


def test_the_record_read_returns_exactly_what_the_documents_encode_to(app):
    from oracles import pool

    add_pool(app, 120, seed=13)
    with app.app_context():
        with engines.reader().connect() as connection:
            packed = rerank.read_pool(connection.engine, clock.now(), shipped_grid())
            plain = pool.read_active(connection, clock.now())
    assert packed.candidate_ids.tolist() == plain.candidate_ids.tolist()
    assert packed.submitted_us.tolist() == plain.submitted_us.tolist()
    for name, values in plain.columns.items():
        assert packed.columns[name].dtype == values.dtype, name
        assert packed.columns[name].tolist() == values.tolist(), name


def test_a_packed_slot_gives_back_state_total_and_rank_at_the_extremes():
    import numpy as np
    from ranking import NO_SCORE

    from app.storage import entry_slots

    states = np.array([[-1, 0, 26, 5]])
    totals = np.array([[NO_SCORE, -8_388_607, 8_388_607, 0]], dtype=np.int32)
    ranks = np.array([[0, 1, (1 << 28) - 1, 12345]])
    slots = entry_slots.pack(states, totals, ranks)
    assert slots.min() >= 0 and slots.max() < 1 << 63
    assert entry_slots.states(slots).tolist() == states.tolist()
    assert entry_slots.scores(slots).tolist() == totals.tolist()
    assert entry_slots.ranks(slots).tolist() == ranks.tolist()


def test_the_entries_the_re_rank_keeps_decode_as_the_stored_ones(app):
    """The re-rank hands its process its own state indexes, totals and ranks with the entries
    instead of decoding the packed slots again: they must be what a reader decodes from the run."""
    add_pool(app, 400, seed=11)
    report = rank(app)
    with app.app_context():
        with engines.reader().connect() as connection:
            row = run_entries.run_by_id(connection, report.run_id)
            kept = run_entries.of_run(connection, row)
            stored = run_entries.read(connection, report.run_id)
    assert (kept.matrix == stored.matrix).all()
    for name in ("preferences", "scores", "ranks"):
        assert getattr(kept, name).dtype == getattr(stored, name).dtype, name
        assert (getattr(kept, name) == getattr(stored, name)).all(), name
