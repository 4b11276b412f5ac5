"""Round simulations: computed as the real draw at that moment is, kept, and never an invitation."""
from __future__ import annotations

import datetime as dt

from rounds_helpers import add_pool, invitations, rank, run_due, set_ceiling, textbook
import numpy as np
from sqlmodel import select

from app import clock, db
from app.audit.models import AuditEvent
from app.rounds.models import RoundSimulation
from app.ranking_runs import run_entries
from app.rounds.simulation import invitees_hash
from app.states import grid
from app.storage import engines

STATES = "/api/v1/states"


def minute(minutes: int) -> str:
    """A whole minute `minutes` from now, as the API takes it."""
    moment = clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)
    return moment.isoformat()


def test_a_simulation_then_the_real_round_invite_the_same_people(app, client, make_account, frozen_clock):
    add_pool(app, 400, seed=4)
    rank(app)
    de, fr = make_account("official", "DE"), make_account("official", "FR")
    set_ceiling(app, "DE", 200)
    set_ceiling(app, "FR", 200)
    at = minute(3)
    # France's round at the same moment is drawn together with Germany's.
    assert client.post(f"{STATES}/FR/rounds", json={"scheduled_at": at, "invitations": 40},
                       headers=fr["headers"]).status_code == 201
    asked = {"scheduled_at": at, "invitations": 25, "min_score": 200}
    simulated = client.post(f"{STATES}/DE/rounds/simulations", json=asked, headers=de["headers"])
    assert simulated.status_code == 201, simulated.get_json()
    result = simulated.get_json()
    assert result["drawn_with"] == ["FR"] and result["quota"] == 25
    assert 0 < result["invited"] <= 25 and result["cutoff"]["score"] >= 200
    assert result["invitees"]["size"] == result["invited"]
    assert sum(b["candidates"] for b in result["invitees"]["age_bands"]) == result["invited"]
    assert sum(level["candidates"] for level in result["invitees"]["eqf_levels"]) == result["invited"]
    assert result["alone"]["invited"] >= result["invited"] - result["drawn_away"]
    assert invitations(app) == []  # a simulation never invites
    round_key = client.post(f"{STATES}/DE/rounds", json=asked, headers=de["headers"]).get_json()["key"]
    frozen_clock.advance(minutes=4)
    assert run_due(app)[0].startswith("completed")
    de_round = client.get(f"{STATES}/DE/rounds/{round_key}", headers=de["headers"]).get_json()
    invited = [i.candidate_id for i in invitations(app) if i.state_code == "DE"]
    assert invitees_hash(invited) == result["invitees_hash"]
    assert de_round["invited"] == result["invited"] and de_round["cutoff"]["score"] == result["cutoff"]["score"]
    assert dt.datetime.fromisoformat(de_round["cutoff"]["submitted_at"]) == \
        dt.datetime.fromisoformat(result["cutoff"]["submitted_at"])
    assert de_round["input_hash"] == result["input_hash"]
    kept = client.get(f"{STATES}/DE/rounds/simulations", headers=de["headers"]).get_json()
    assert [k["id"] for k in kept] == [result["id"]]
    assert client.get(f"{STATES}/DE/rounds/simulations", headers=fr["headers"]).status_code == 403
    with app.app_context():
        events = db.session().exec(select(AuditEvent).where(AuditEvent.action == "round.simulate")).all()
        assert [e.actor_id for e in events] == [de["id"]]
        assert db.session().exec(select(RoundSimulation)).one().created_by == de["id"]


def popular_pair(app) -> tuple[str, str]:
    """(own, other): the pair of states the most candidates rank as second and first choice, so a
    round of `other` drawn together with one of `own` takes some of those `own` would invite alone."""
    codes = grid.state_codes()
    with app.app_context():
        with engines.reader().connect() as connection:
            entries = run_entries.read(connection, run_entries.latest_complete(connection).id)
    prefs = entries.preferences.astype(int)
    both = prefs[:, 1] >= 0
    pairs = np.bincount(prefs[both, 0] * len(codes) + prefs[both, 1], minlength=len(codes) ** 2)
    first, second = divmod(int(np.argmax(pairs)), len(codes))
    return codes[second], codes[first]


def test_the_joint_draw_shows_who_goes_to_another_state(app, client, make_account, frozen_clock):
    add_pool(app, 400, seed=7)
    rank(app)
    own, other = popular_pair(app)
    mine, theirs = make_account("official", own), make_account("official", other)
    for state in (own, other):
        set_ceiling(app, state, 1000)
    at = minute(2)
    alone = client.post(f"{STATES}/{own}/rounds/simulations", json={"scheduled_at": at, "invitations": 40},
                        headers=mine["headers"]).get_json()
    assert alone["drawn_with"] == [] and alone["drawn_away"] == 0
    assert alone["alone"]["invited"] == alone["invited"]
    client.post(f"{STATES}/{other}/rounds", json={"scheduled_at": at, "invitations": 60}, headers=theirs["headers"])
    joint = client.post(f"{STATES}/{own}/rounds/simulations", json={"scheduled_at": at, "invitations": 40},
                        headers=mine["headers"]).get_json()
    assert joint["drawn_with"] == [other]
    assert joint["alone"] == alone["alone"]
    # The other state's round takes some who prefer it; this state invites the next in line instead.
    run = joint["ranking_run"]
    solo, both = textbook(app, run, {own: 40}), textbook(app, run, {own: 40, other: 60})
    expected = sum(1 for candidate, state in solo.items() if state == own and both.get(candidate) == other)
    assert expected > 0 and joint["drawn_away"] == expected
    assert joint["invitees_hash"] == invitees_hash([c for c, state in both.items() if state == own])
    assert alone["invitees_hash"] == invitees_hash([c for c, state in solo.items() if state == own])


def test_simulations_are_refused_like_schedules(app, client, make_account):
    de = make_account("official", "DE")
    no_ceiling = client.post(f"{STATES}/DE/rounds/simulations", json={"scheduled_at": minute(5), "invitations": 3},
                             headers=de["headers"])
    assert no_ceiling.status_code == 409
    set_ceiling(app, "DE", 10)
    over = client.post(f"{STATES}/DE/rounds/simulations", json={"scheduled_at": minute(5), "invitations": 11},
                       headers=de["headers"])
    assert over.status_code == 422 and "invitations" in over.get_json()["errors"]["json"]
    unranked = client.post(f"{STATES}/DE/rounds/simulations", json={"scheduled_at": minute(5), "invitations": 3},
                           headers=de["headers"])
    assert unranked.status_code == 409 and "ranking" in unranked.get_json()["message"]
    candidate = make_account()
    assert client.post(f"{STATES}/DE/rounds/simulations", json={"scheduled_at": minute(5), "invitations": 3},
                       headers=candidate["headers"]).status_code == 403


def test_a_time_off_the_minute_is_refused_not_moved(app, client, make_account):
    de = make_account("official", "DE")
    set_ceiling(app, "DE", 50)
    at = (clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=10, seconds=30)).isoformat()
    for path in ("rounds", "rounds/simulations"):
        refused = client.post(f"{STATES}/DE/{path}", json={"scheduled_at": at, "invitations": 3},
                              headers=de["headers"])
        assert refused.status_code == 422, refused.get_json()
        assert "not a whole minute" in refused.get_json()["errors"]["json"]["scheduled_at"][0].lower()
    assert client.get(f"{STATES}/DE/rounds", headers=de["headers"]).get_json() == []
    kept = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": minute(10), "invitations": 3},
                       headers=de["headers"]).get_json()
    assert dt.datetime.fromisoformat(kept["scheduled_at"]) == dt.datetime.fromisoformat(minute(10))
