"""A dated version of the common grid, end to end: the candidate told of it ahead, the nightly run
of the day before ranking with the old points and recording the old version, the run of its first
day ranking with the new points and recording the new version, and a round of that day inviting
at the total the candidate was told."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import sample_profile
from dated_grids import EDUCATION_POINTS, ship
from rounds.rounds_helpers import due_rounds, rank, rounds_by_key, run_due, set_ceiling
from sqlmodel import select

from app import db
from app.ranking_runs.models import RankingRun
from app.states import grid as grids
from ranking.grid import versions

MARCH = dt.date(2027, 3, 1)
# From 1 March 2027 a doctorate (EQF 8) gives 155 points instead of 135: 20 more.
NEW_POINTS = "points = [0, 20, 45, 70, 100, 120, 155]"
MORE = 155 - 135


@pytest.fixture
def dated_version(tmp_path, monkeypatch):
    folder = ship(tmp_path, "2027.1", MARCH, (EDUCATION_POINTS, NEW_POINTS))
    monkeypatch.setattr(grids, "shipped_versions", lambda: versions.grid_versions("eu", folder))


def de_total(profile: dict) -> int:
    return next(state["total"] for state in profile["score"]["states"] if state["state"] == "DE")


def de_standing(client, candidate) -> tuple[str, int]:
    standing = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()["standing"]
    return standing["run_date"], next(s["total"] for s in standing["states"] if s["state"] == "DE")


def test_a_grid_version_ranks_with_the_old_points_the_day_before_and_the_new_from_its_date(
        app, client, make_account, frozen_clock, dated_version):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    doctor, master = make_account(), make_account()
    submitted = client.put("/api/v1/me/profile", json=sample_profile(education_level=8),
                           headers=doctor["headers"]).get_json()
    other = client.put("/api/v1/me/profile", json=sample_profile(education_level=7),
                       headers=master["headers"]).get_json()
    before = de_total(submitted)
    # Told ahead: the change is the grid's, with its version and date, at every chosen state.
    changes = submitted["upcoming_changes"]
    assert [c["state"] for c in changes] == ["DE", "NL", "IE"]
    assert {(c["kind"], c["grid_version"], c["effective_from"]) for c in changes} == {("grid", "2027.1", "2027-03-01")}
    assert next(c for c in changes if c["state"] == "DE")["total"] == before + MORE
    assert other["upcoming_changes"] == []  # a master's points do not change

    set_ceiling(app, "DE", 1000)
    frozen_clock.moment = dt.datetime(2027, 2, 28, 3, 0, tzinfo=dt.UTC)
    rank(app)
    assert de_standing(client, doctor) == ("2027-02-28", before)
    frozen_clock.moment = dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)
    first_march = rank(app)
    assert de_standing(client, doctor) == ("2027-03-01", before + MORE)
    assert de_standing(client, master) == ("2027-03-01", de_total(other))
    with app.app_context():
        runs = {run.run_date: run.grid_version for run in db.session().exec(select(RankingRun)).all()}
    assert runs == {dt.date(2027, 2, 28): "2026.1", MARCH: "2027.1"}

    now = client.get("/api/v1/me/profile", headers=doctor["headers"]).get_json()
    assert de_total(now) == before + MORE and now["upcoming_changes"] == []  # today's rules on submission
    [key] = due_rounds(app, {"DE": 1})
    run_due(app)
    round_ = rounds_by_key(app, [key])[key]
    assert round_.ranking_run_id == first_march.run_id and round_.cutoff_score == before + MORE
