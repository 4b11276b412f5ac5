"""Member-state participation as data with a date: Denmark ships as not taking part; the
administrator changes a state's participation (audited); a state not taking part cannot be
chosen, is left out of the ranking, and leaves candidates' preferences on its date with a notice."""
import datetime as dt

import pytest
from conftest import sample_profile
from rounds.rounds_helpers import add_pool, nightly_job, rank
from sqlmodel import select

from app import db
from app.notifications.models import OutboxMessage
from app.profiles.models import Profile
from app.ranking_runs.models import RankingRun, RankingTieGroup
from app.states import grid

NOW = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def admin(make_account):
    return make_account("admin")


def test_denmark_ships_as_not_taking_part_and_cannot_be_chosen(client, candidate):
    status = client.get("/api/v1/states/DK/participation").get_json()
    assert (status["taking_part"], status["since"]) == (False, "1999-05-01")
    assert "Protocol 22" in status["reason"]
    response = client.put("/api/v1/me/profile", json=sample_profile(preferences=["DE", "DK"]),
                          headers=candidate["headers"])
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == ["preferences"]


def test_only_an_administrator_changes_participation(client, make_account):
    body = {"taking_part": False}
    assert client.post("/api/v1/states/AT/participation", json=body).status_code == 401
    for role, state in [("candidate", None), ("official", "AT")]:
        account = make_account(role, state)
        assert client.post("/api/v1/states/AT/participation", json=body, headers=account["headers"]).status_code == 403
    admin = make_account("admin")
    assert client.post("/api/v1/states/XX/participation", json=body, headers=admin["headers"]).status_code == 404
    bad = client.post("/api/v1/states/AT/participation", json={"taking_part": "no"}, headers=admin["headers"])
    assert bad.status_code == 422 and "taking_part" in bad.get_json()["errors"]["json"]


def test_a_state_leaving_on_a_date_leaves_preferences_and_the_ranking_on_that_date(
        app, client, make_account, admin, frozen_clock):
    frozen_clock.moment = NOW
    staying, leaving_only = make_account(), make_account()
    assert client.put("/api/v1/me/profile", json=sample_profile(preferences=["AT", "DE"]),
                      headers=staying["headers"]).status_code == 200
    assert client.put("/api/v1/me/profile", json=sample_profile(preferences=["AT"]),
                      headers=leaving_only["headers"]).status_code == 200
    changed = client.post("/api/v1/states/AT/participation", headers=admin["headers"],
                          json={"taking_part": False, "effective_from": "2027-03-01", "reason": "Decided to leave."})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["taking_part"] is True  # still, until 1 March
    assert changed.get_json()["upcoming"] == [{"taking_part": False, "effective_from": "2027-03-01",
                                               "reason": "Decided to leave."}]
    events = client.get("/api/v1/audit-events", headers=admin["headers"],
                        query_string={"action": "participation.update"}).get_json()
    assert events[0]["actor_id"] == admin["id"] and events[0]["details"]["effective_from"] == "2027-03-01"

    # Meanwhile: it cannot be chosen, and those who chose it are told what will happen.
    newcomer = make_account()
    refused = client.put("/api/v1/me/profile", json=sample_profile(preferences=["AT"]), headers=newcomer["headers"])
    assert refused.status_code == 422 and "preferences" in refused.get_json()["errors"]["json"]
    upcoming = client.get("/api/v1/me/profile", headers=staying["headers"]).get_json()["upcoming_changes"]
    assert [(c["state"], c["effective_from"], c["kind"]) for c in upcoming] == [("AT", "2027-03-01", "leaves_pool")]
    public = {s["code"]: s["taking_part"] for s in client.get("/api/v1/states").get_json()}
    assert public["AT"] is True

    frozen_clock.moment = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)
    lines = nightly_job(app)
    assert any("cleared of states no longer taking part: 2 profiles" in line for line in lines), lines
    profile = client.get("/api/v1/me/profile", headers=staying["headers"]).get_json()
    assert profile["preferences"] == ["DE"] and profile["status"] == "active"
    assert client.get("/api/v1/me/profile", headers=leaving_only["headers"]).status_code == 404  # left the pool
    assert {s["code"]: s["taking_part"] for s in client.get("/api/v1/states").get_json()}["AT"] is False
    with app.app_context():
        session = db.session()
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "state_left_pool")
                               .order_by(OutboxMessage.account_id)).all()
        assert [(n.account_id, n.language) for n in notices] == [(staying["id"], "en"), (leaving_only["id"], "en")]
        assert "Austria" in notices[0].text_body and "Germany" in notices[0].text_body
        assert "submit your profile again" in notices[1].text_body
        run = session.exec(select(RankingRun).order_by(RankingRun.id.desc())).first()
        assert run.run_date == dt.date(2027, 3, 1)
        assert "AT" not in run.taking_part and "DK" not in run.taking_part and "DE" in run.taking_part
    cleared = [line for line in nightly_job(app) if line.startswith("preferences cleared")]
    assert cleared == ["preferences cleared of states no longer taking part: 0 profiles"]  # done once: nothing left


def test_a_state_not_taking_part_is_left_out_of_the_ranking(app):
    ids = add_pool(app, 300, seed=3)
    report = rank(app)
    assert report.candidates == len(ids)
    with app.app_context():
        codes = grid.state_codes()
        ranked = {codes[state] for state in db.session().exec(
            select(RankingTieGroup.state).where(RankingTieGroup.run_id == report.run_id).distinct()).all()}
        chosen = {codes[state] for record in synthetic_records(app, ids) for state in record if state >= 0}
    assert "DK" in chosen  # the synthetic pool chose Denmark ...
    assert "DK" not in ranked and "DE" in ranked  # ... and nobody was ranked there


def synthetic_records(app, ids):
    """The chosen states (indices, -1 for an empty slot) of the candidates `ids`, one row each."""
    eu = grid.shipped_grid()
    rows = db.session().exec(select(Profile.record).where(Profile.account_id.in_([int(i) for i in ids]))).all()
    return eu.score(eu.columns_from_records(eu.records_from_bytes(b"".join(rows))), as_of=dt.date(2027, 1, 1)).states
