"""Officials schedule and read their own state's rounds; everyone reads completed rounds and the distribution."""
from __future__ import annotations

import datetime as dt

from rounds_helpers import add_pool, rank, run_due, set_ceiling

from app import clock

STATES = "/api/v1/states"


def later(minutes: int = 5) -> str:
    """A whole minute `minutes` from now (a time with seconds is refused)."""
    return (clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)).isoformat()


def test_an_official_schedules_within_the_ceiling_and_sees_only_their_state(app, client, make_account):
    de, fr = make_account("official", "DE"), make_account("official", "FR")
    body = {"scheduled_at": later(), "invitations": 30}
    refused = client.post(f"{STATES}/DE/rounds", json=body, headers=de["headers"])
    assert refused.status_code == 409 and "ceiling" in refused.get_json()["message"]
    set_ceiling(app, "DE", 50)
    created = client.post(f"{STATES}/DE/rounds", json=body, headers=de["headers"])
    assert created.status_code == 201, created.get_json()
    key = created.get_json()["key"]
    assert created.get_json()["status"] == "scheduled"
    too_many = client.post(f"{STATES}/DE/rounds", json={**body, "scheduled_at": later(9)}, headers=de["headers"])
    assert too_many.status_code == 422 and "invitations" in too_many.get_json()["errors"]["json"]
    clash = client.post(f"{STATES}/DE/rounds", json={**body, "invitations": 5}, headers=de["headers"])
    assert clash.status_code == 409
    assert client.get(f"{STATES}/DE/rounds", headers=fr["headers"]).status_code == 403
    assert client.get(f"{STATES}/FR/rounds/{key}", headers=fr["headers"]).status_code == 404
    assert client.get(f"{STATES}/DE/rounds/{key}/invitations", headers=fr["headers"]).status_code == 403
    assert [r["key"] for r in client.get(f"{STATES}/DE/rounds", headers=de["headers"]).get_json()] == [key]
    assert client.get(f"/api/v1/rounds/{key}").status_code == 404  # not announced before it runs
    assert client.delete(f"{STATES}/DE/rounds/{key}", headers=de["headers"]).status_code == 204
    assert client.get(f"{STATES}/DE/rounds", headers=de["headers"]).get_json() == []


def test_bad_round_requests_are_refused_field_by_field(app, client, make_account):
    de = make_account("official", "DE")
    set_ceiling(app, "DE", 50)
    past = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": later(-5), "invitations": 3},
                       headers=de["headers"])
    assert past.status_code == 422 and "scheduled_at" in past.get_json()["errors"]["json"]
    unknown = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": later(), "invitations": 3, "category": "nope"},
                          headers=de["headers"])
    assert unknown.status_code == 422 and "category" in unknown.get_json()["errors"]["json"]
    extra = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": later(), "invitations": 3, "status": "completed"},
                        headers=de["headers"])
    assert extra.status_code == 422
    far = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": "9999-12-31T23:59:00Z", "invitations": 3},
                      headers=de["headers"])
    assert far.status_code == 422 and "scheduled_at" in far.get_json()["errors"]["json"]
    naive = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": "2030-01-01T10:00:00", "invitations": 3},
                        headers=de["headers"])
    assert naive.status_code == 422
    candidate = make_account()
    assert client.post(f"{STATES}/DE/rounds", json={"scheduled_at": later(), "invitations": 3},
                       headers=candidate["headers"]).status_code == 403


def test_completed_rounds_and_the_distribution_are_public(app, client, make_account, frozen_clock):
    add_pool(app, 300, seed=9)
    rank(app)
    de = make_account("official", "DE")
    set_ceiling(app, "DE", 100)
    key = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": later(2), "invitations": 7, "min_score": 300},
                      headers=de["headers"]).get_json()["key"]
    frozen_clock.advance(minutes=3)
    assert run_due(app)[0].startswith("completed")
    history = client.get("/api/v1/rounds").get_json()
    assert [r["key"] for r in history] == [key]
    published = client.get(f"/api/v1/rounds/{key}").get_json()
    assert published["invited"] == 7 and published["cutoff"]["score"] >= 300
    assert published["cutoff"]["submitted_at"] is not None and len(published["input_hash"]) == 64
    assert published["rule_versions"]["grid"] == "eu"
    invitees = client.get(f"{STATES}/DE/rounds/{key}/invitations", headers=de["headers"]).get_json()
    assert len(invitees) == 7 and [i["rank"] for i in invitees] == sorted(i["rank"] for i in invitees)
    assert min(i["score"] for i in invitees) == published["cutoff"]["score"]
    assert all(i["candidate"].startswith("syn") for i in invitees)
    distribution = client.get("/api/v1/pool/distribution").get_json()
    germany = next(s for s in distribution["states"] if s["state"] == "DE")
    assert distribution["candidates"] == 300
    shown = [b["candidates"] for b in germany["buckets"] if b["candidates"] is not None]
    assert all(count >= 10 for count in shown) and germany["candidates"] >= sum(shown) and germany["candidates"] > 0
    assert all(b["high"] - b["low"] + 1 == distribution["bucket_width"] for b in germany["buckets"])
    assert published["eligible_pool"] == germany["candidates"]


def test_a_scheduled_round_keeps_the_category_as_it_was(app, client, make_account):
    de = make_account("official", "DE")
    set_ceiling(app, "DE", 50)
    url = f"{STATES}/DE/categories/health"
    definition = {"occupations": ["22"], "min_years": 2}
    assert client.put(url, json={"title": "Health", "definition": definition}, headers=de["headers"]).status_code == 200
    created = client.post(f"{STATES}/DE/rounds", json={"scheduled_at": later(), "invitations": 5, "category": "health"},
                          headers=de["headers"])
    assert created.status_code == 201, created.get_json()
    changed = {"occupations": ["25"]}
    assert client.put(url, json={"title": "ICT", "definition": changed}, headers=de["headers"]).status_code == 200
    (listed,) = client.get(f"{STATES}/DE/rounds", headers=de["headers"]).get_json()
    # The revision the round will use (the one in force on its ranking's date), with that date.
    assert listed["category"].pop("effective_from") is not None
    assert listed["category"] == {"key": "health", "title": "Health", "definition": definition}
