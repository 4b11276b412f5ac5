"""Categories take effect on a date (issue 11): a change is a new revision, earlier ones are kept,
a round restricted to a category uses the definition in force on its ranking's date, and the
migration moves existing categories into their first revision."""
from __future__ import annotations

import datetime as dt

from conftest import sample_profile
from rounds.rounds_helpers import due_rounds, rank, run_due, set_ceiling
from sqlalchemy import text
from sqlmodel import select

from app import db
from app.invitations.models import Invitation
from app.rounds.models import Round

URL = "/api/v1/states/DE/categories/shortage"
ICT = {"occupations": ["25"]}  # ISCO-08 sub-major group 25: ICT professionals
HEALTH = {"occupations": ["22"]}  # 22: health professionals


def invited_in(app, key: str) -> set[int]:
    with app.app_context():
        session = db.session()
        round_ = session.exec(select(Round).where(Round.key == key)).one()
        return {i.candidate_id for i in session.exec(select(Invitation).where(Invitation.round_id == round_.id))}


def round_category(app, key: str) -> dict:
    with app.app_context():
        return db.session().exec(select(Round).where(Round.key == key)).one().category


def test_a_round_uses_the_category_in_force_on_its_rankings_date(app, client, make_account, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    official = make_account("official", "DE")
    programmer, doctor = make_account(), make_account()
    for person, occupation in ((programmer, "2512"), (doctor, "2211")):
        answer = client.put("/api/v1/me/profile", headers=person["headers"],
                            json=sample_profile(experience=[{"occupation": occupation, "years": 4}]))
        assert answer.status_code == 200, answer.get_json()
    first = client.put(URL, json={"title": "Shortage", "definition": ICT}, headers=official["headers"])
    assert first.status_code == 200, first.get_json()
    later = client.put(URL, headers=official["headers"],
                       json={"title": "Shortage", "definition": HEALTH, "effective_from": "2027-03-01"})
    assert later.status_code == 200, later.get_json()
    shown = client.get(URL, headers=official["headers"]).get_json()
    assert shown["definition"] == ICT  # today's
    assert [(r["definition"], r["effective_from"], r["in_force"]) for r in shown["revisions"]] == [
        (ICT, first.get_json()["revisions"][0]["effective_from"], True), (HEALTH, "2027-03-01", False)]
    set_ceiling(app, "DE", 100)
    copy = {"key": "shortage", "title": "Shortage", "definition": ICT}  # what scheduling copied in February

    frozen_clock.moment = dt.datetime(2027, 2, 28, 3, 0, tzinfo=dt.UTC)
    rank(app)
    [february] = due_rounds(app, {"DE": 5}, category_key="shortage", category=copy)
    run_due(app)
    assert invited_in(app, february) == {programmer["id"]}
    assert round_category(app, february)["definition"] == ICT

    frozen_clock.moment = dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)
    rank(app)
    [march] = due_rounds(app, {"DE": 5}, category_key="shortage", category=copy)
    run_due(app)
    assert invited_in(app, march) == {doctor["id"]}  # the March revision, not the round's copy
    assert round_category(app, march)["definition"] == HEALTH  # the round records what it used
    shown_round = client.get(f"/api/v1/states/DE/rounds/{march}", headers=official["headers"]).get_json()
    assert (shown_round["category"]["definition"], shown_round["category"]["effective_from"]) == (HEALTH, "2027-03-01")
    assert client.get(URL, headers=official["headers"]).get_json()["definition"] == HEALTH


def test_an_effective_date_before_the_next_ranking_is_refused(client, make_account, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    official = make_account("official", "DE")
    refused = client.put(URL, headers=official["headers"],
                         json={"title": "Shortage", "definition": ICT, "effective_from": "2027-02-01"})
    assert refused.status_code == 422 and "effective_from" in refused.get_json()["errors"]["json"]
    assert client.get(URL, headers=official["headers"]).status_code == 404


def test_the_migration_moves_existing_categories_into_their_first_revision(app, client, runner, make_account):
    official = make_account("official", "DE")
    assert runner.invoke(args=["db", "downgrade", "employers_0001"]).exit_code == 0
    with app.app_context(), db.engine().begin() as connection:
        connection.execute(text(
            "INSERT INTO category (state_code, key, title, definition, created_at, updated_at) "
            "VALUES ('DE', 'shortage', 'Shortage', :definition, :created, :updated)"),
            {"definition": '{"occupations": ["25"]}', "created": dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC),
             "updated": dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC)})
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    shown = client.get(URL, headers=official["headers"]).get_json()
    assert (shown["title"], shown["definition"], shown["effective_from"]) == ("Shortage", ICT, "2026-06-02")
    assert [r["definition"] for r in shown["revisions"]] == [ICT]
    # And down again: the category keeps its newest revision.
    assert runner.invoke(args=["db", "downgrade", "employers_0001"]).exit_code == 0
    with app.app_context(), db.engine().connect() as connection:
        assert connection.execute(text("SELECT title FROM category WHERE key = 'shortage'")).scalar_one() == "Shortage"
