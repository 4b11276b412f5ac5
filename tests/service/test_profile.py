"""A candidate's expression of interest: submitted, scored at once, updated, renewed, withdrawn."""
import threading
from datetime import datetime

import ranking
from conftest import sample_profile
from eu_profiles import profiles
from hypothesis import HealthCheck, given, settings
from sqlmodel import select

from app import db
from app.profiles.models import Profile

URL = "/api/v1/me/profile"


def put(client, who, body):
    return client.put(URL, json=body, headers=who["headers"])


def engine_score(profile: dict, as_of):
    grid = ranking.load_grid("eu")
    return grid.score(grid.encode([profile], as_of=as_of), as_of=as_of)


def test_a_submitted_profile_comes_back_with_the_engines_score(client, candidate):
    response = put(client, candidate, sample_profile())
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    as_of = datetime.fromisoformat(body["score"]["as_of"]).date()
    expected = engine_score(sample_profile(), as_of)
    assert body["score"]["total"] == int(expected.total[0])
    assert body["score"]["eligible"] is bool(expected.eligible[0])
    assert body["score"]["breakdown"] == {k: int(v[0]) for k, v in expected.breakdown.items()}
    assert [s["state"] for s in body["score"]["states"]] == ["DE", "NL", "IE"]
    assert [s["preference"] for s in body["score"]["states"]] == [1, 2, 3]
    assert [s["total"] for s in body["score"]["states"]] == [int(t) for t in expected.state_totals[0, :3]]
    assert body["status"] == "active"
    assert body["candidate_id"] == candidate["id"]
    assert {k: body[k] for k in sample_profile()} == sample_profile()


def test_the_state_totals_add_each_states_additions_to_the_base(client, candidate):
    body = put(client, candidate, sample_profile()).get_json()["score"]
    for state in body["states"]:
        if state["eligible"]:
            assert state["total"] == body["total"] + state["additions"]["state_additions"]


def test_an_ineligible_profile_says_why(client, candidate):
    body = put(client, candidate, sample_profile(date_of_birth="2015-01-01", experience=[])).get_json()
    assert body["score"]["eligible"] is False
    assert body["score"]["reasons"]
    assert all(s["total"] is None and s["reasons"] for s in body["score"]["states"])


def test_get_returns_what_put_returned(client, candidate):
    submitted = put(client, candidate, sample_profile()).get_json()
    fetched = client.get(URL, headers=candidate["headers"])
    assert fetched.status_code == 200
    assert fetched.get_json() == submitted


def test_updates_never_move_the_first_submission_time(client, candidate, frozen_clock):
    first = put(client, candidate, sample_profile()).get_json()
    frozen_clock.advance(days=40)
    second = put(client, candidate, sample_profile(education_level=7)).get_json()
    assert second["first_submitted_at"] == first["first_submitted_at"]
    assert second["updated_at"] > first["updated_at"]
    assert second["education_level"] == 7


def test_a_profile_expires_twelve_months_after_its_last_confirmation(client, candidate, frozen_clock):
    first = put(client, candidate, sample_profile()).get_json()
    submitted = datetime.fromisoformat(first["confirmed_at"])
    expires = datetime.fromisoformat(first["expires_at"])
    assert (expires.year, expires.month, expires.day) == (submitted.year + 1, submitted.month, submitted.day)
    frozen_clock.moment = expires
    assert client.get(URL, headers=candidate["headers"]).get_json()["status"] == "expired"


def test_renewal_extends_the_profile_and_keeps_the_queue_place(client, candidate, frozen_clock):
    first = put(client, candidate, sample_profile()).get_json()
    frozen_clock.advance(days=300)
    renewed = client.post(f"{URL}/renewal", headers=candidate["headers"])
    assert renewed.status_code == 200
    body = renewed.get_json()
    assert body["first_submitted_at"] == first["first_submitted_at"]
    assert body["expires_at"] > first["expires_at"]
    frozen_clock.advance(days=100)  # past the first expiry, not the renewed one
    assert client.get(URL, headers=candidate["headers"]).get_json()["status"] == "active"


def test_an_expired_profile_cannot_be_renewed_but_can_be_submitted_again(client, candidate, frozen_clock):
    first = put(client, candidate, sample_profile()).get_json()
    frozen_clock.advance(days=400)
    refused = client.post(f"{URL}/renewal", headers=candidate["headers"])
    assert refused.status_code == 409
    again = put(client, candidate, sample_profile()).get_json()
    assert again["status"] == "active"
    assert again["first_submitted_at"] > first["first_submitted_at"]


def test_withdrawing_removes_the_profile_from_the_pool(client, candidate):
    first = put(client, candidate, sample_profile()).get_json()
    assert client.delete(URL, headers=candidate["headers"]).status_code == 204
    assert client.get(URL, headers=candidate["headers"]).status_code == 404
    assert client.delete(URL, headers=candidate["headers"]).status_code == 404
    assert client.post(f"{URL}/renewal", headers=candidate["headers"]).status_code == 404
    again = put(client, candidate, sample_profile()).get_json()
    assert again["first_submitted_at"] > first["first_submitted_at"]


def test_no_profile_yet_is_404_with_a_hint(client, candidate):
    response = client.get(URL, headers=candidate["headers"])
    assert response.status_code == 404
    assert "PUT /api/v1/me/profile" in response.get_json()["message"]


def test_a_profile_in_a_round_cannot_change(app, client, candidate):
    put(client, candidate, sample_profile())
    with app.app_context():
        session = db.session(write=True)
        profile = session.exec(select(Profile)).one()
        profile.status = "invited"
        session.add(profile)
        session.commit()
    response = put(client, candidate, sample_profile(education_level=8))
    assert response.status_code == 409
    assert client.get(URL, headers=candidate["headers"]).get_json()["education_level"] == 6


def test_the_same_profile_submitted_twice_at_once_makes_one_profile(app, make_account):
    """Two requests race for the first submission: both succeed, one row, one first-submission time."""
    who = make_account()
    barrier = threading.Barrier(2)
    responses = []

    def submit():
        client = app.test_client()
        barrier.wait()
        responses.append(put(client, who, sample_profile()))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [200, 200], [r.get_json() for r in responses]
    with app.app_context():
        rows = db.session().exec(select(Profile)).all()
    assert len(rows) == 1
    assert len({r.get_json()["first_submitted_at"] for r in responses}) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles)
def test_any_valid_profile_round_trips_through_storage(app, client, candidate, profile):
    """What comes back is what was sent, stored as its document, with exactly the engine's record."""
    response = put(client, candidate, profile)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {key: body[key] for key in profile} == profile
    with app.app_context():
        stored = db.session().exec(select(Profile)).one()
    as_of = datetime.fromisoformat(body["score"]["as_of"]).date()
    grid = ranking.load_grid("eu")
    assert stored.document == profile
    assert stored.record == grid.encode_records([profile], as_of=as_of).tobytes()
    assert stored.record_grid == grid.record_version