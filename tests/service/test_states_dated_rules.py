"""Rules in force on a date, end to end: a candidate told of a change ahead, the nightly run of each
day ranking with that day's rules (and recording which revision), and a round ranking exactly with
the rules of its ranking's date, at the total the candidate saw for that date."""
import datetime as dt
import tomllib
from pathlib import Path

import ranking
from conftest import sample_profile
from rounds.rounds_helpers import due_rounds, rank, rounds_by_key, run_due, set_ceiling
from sqlmodel import select

from app import db
from app.ranking_runs.models import RankingRun

SHIPPED_DE = Path(ranking.__file__).parent / "grids" / "eu" / "overlays" / "DE.toml"


def de_overlay(**changes) -> dict:
    with SHIPPED_DE.open("rb") as handle:
        overlay = tomllib.load(handle)
    return {"description": "", "sources": [], "points": {}, **overlay, **changes}


def de_score(profile: dict) -> dict:
    return next(state for state in profile["score"]["states"] if state["state"] == "DE")


def test_a_round_ranks_with_the_rules_of_its_rankings_date_and_the_candidate_saw_that_total(
        app, client, make_account, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    official, candidate = make_account("official", "DE"), make_account()
    submitted = client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).get_json()
    before = de_score(submitted)["total"]
    # From 1 March, Germany also counts English (the candidate's language): more points there.
    saved = client.put("/api/v1/states/DE/overlay", headers=official["headers"],
                       json=de_overlay(version="2027-03-01", languages=["de", "en"], effective_from="2027-03-01"))
    assert saved.status_code == 200, saved.get_json()
    told = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    assert de_score(told)["total"] == before  # today's rules still
    [change] = told["upcoming_changes"]
    assert (change["state"], change["effective_from"], change["kind"], change["total_before"]) == (
        "DE", "2027-03-01", "overlay", before)
    after = change["total"]
    assert after > before

    set_ceiling(app, "DE", 1000)
    frozen_clock.moment = dt.datetime(2027, 2, 28, 3, 0, tzinfo=dt.UTC)
    last_february = rank(app)
    frozen_clock.moment = dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)
    first_march = rank(app)
    with app.app_context():
        runs = {run.run_date: run for run in db.session().exec(select(RankingRun)).all()}
    assert runs[dt.date(2027, 2, 28)].overlay_versions["DE"]["revision"] is None  # the shipped overlay
    assert runs[dt.date(2027, 3, 1)].overlay_versions["DE"] == {
        "version": "2027-03-01", "revision": saved.get_json()["revision"], "effective_from": "2027-03-01"}
    assert first_march.run_id != last_february.run_id

    now = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    assert de_score(now)["total"] == after and now["upcoming_changes"] == []
    standing = {state["state"]: state for state in now["standing"]["states"]}
    assert now["standing"]["run_date"] == "2027-03-01" and standing["DE"]["total"] == after

    [key] = due_rounds(app, {"DE": 5})
    run_due(app)
    round_ = rounds_by_key(app, [key])[key]
    assert round_.ranking_run_id == first_march.run_id
    assert (round_.invited, round_.cutoff_score) == (1, after)
