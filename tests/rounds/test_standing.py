"""A candidate sees their rank at each state they chose, from the latest nightly ranking."""
from __future__ import annotations

from conftest import sample_profile
from rounds_helpers import rank

PROFILE = "/api/v1/me/profile"


def test_the_profile_shows_no_standing_until_the_first_ranking(client, candidate):
    response = client.put(PROFILE, json=sample_profile(), headers=candidate["headers"])
    assert response.status_code == 200
    assert response.get_json()["standing"] is None


def test_ranks_follow_each_states_total_and_keep_each_candidates_preferences(app, client, make_account):
    stronger, weaker = make_account(), make_account()
    stronger_profile = sample_profile(preferences=["NL", "DE"], talent_partnership=True)
    weaker_profile = sample_profile(preferences=["DE"])
    assert client.put(PROFILE, json=stronger_profile, headers=stronger["headers"]).status_code == 200
    assert client.put(PROFILE, json=weaker_profile, headers=weaker["headers"]).status_code == 200
    rank(app)

    mine = client.get(PROFILE, headers=stronger["headers"]).get_json()
    theirs = client.get(PROFILE, headers=weaker["headers"]).get_json()
    # Same inputs but the Talent Partnership's 30 points: the stronger one is first at DE.
    assert [(s["state"], s["rank"]) for s in mine["standing"]["states"]] == [("NL", 1), ("DE", 1)]
    assert [(s["state"], s["rank"]) for s in theirs["standing"]["states"]] == [("DE", 2)]
    today = {s["state"]: s["total"] for s in mine["score"]["states"]}
    assert {s["state"]: s["total"] for s in mine["standing"]["states"]} == today
