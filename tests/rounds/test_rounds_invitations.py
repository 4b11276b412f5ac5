"""Accept, decline and expiry, through the API, with the candidate back in the pool where they should be."""
from __future__ import annotations

from conftest import PASSWORD, sample_profile
from rounds_helpers import due_rounds, invitations, nightly_job, rank, run_due, statuses

from app import clock
from app.profiles.models import ProfileStatus

BASE = "/api/v1/me/invitations"
CONSENT = {"consent_to_share": True}


def invited_candidate(app, client, candidate):
    """A candidate in the pool, ranked, and invited by DE; returns their invitation id."""
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).status_code == 200
    rank(app)
    due_rounds(app, {"DE": 1})
    assert run_due(app)[0].startswith("completed")
    listed = client.get(BASE, headers=candidate["headers"]).get_json()
    assert [i["state"] for i in listed] == ["DE"] and listed[0]["status"] == "pending"
    return listed[0]["id"]


def in_next_ranking(app, candidate) -> bool:
    report = rank(app, clock.today(), replace=True)
    return report.candidates == 1


def test_accepting_takes_the_candidate_out_of_the_pool(app, client, candidate, frozen_clock):
    invitation = invited_candidate(app, client, candidate)
    answer = client.post(f"{BASE}/{invitation}/accept", json=CONSENT, headers=candidate["headers"])
    assert answer.status_code == 200 and answer.get_json()["status"] == "accepted"
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: ProfileStatus.ACCEPTED}
    assert client.post(f"{BASE}/{invitation}/decline", headers=candidate["headers"]).status_code == 409
    frozen_clock.advance(days=1)
    assert rank(app, clock.today()).candidates == 0
    due_rounds(app, {"DE": 5, "NL": 5})
    run_due(app)
    assert len(invitations(app)) == 1


def test_declining_returns_the_candidate_with_their_queue_place(app, client, candidate, frozen_clock):
    invitation = invited_candidate(app, client, candidate)
    before = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()["first_submitted_at"]
    answer = client.post(f"{BASE}/{invitation}/decline", headers=candidate["headers"])
    assert answer.status_code == 200 and answer.get_json()["status"] == "declined"
    profile = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    assert profile["status"] == "active" and profile["first_submitted_at"] == before
    assert client.post(f"{BASE}/{invitation}/accept", json=CONSENT, headers=candidate["headers"]).status_code == 409
    frozen_clock.advance(days=1)
    assert rank(app, clock.today()).candidates == 1
    due_rounds(app, {"NL": 1})
    run_due(app)
    assert [i.state_code for i in invitations(app)] == ["DE", "NL"]


def test_withdrawing_declines_a_pending_invitation(app, client, candidate):
    invitation = invited_candidate(app, client, candidate)
    assert client.delete("/api/v1/me/profile", headers=candidate["headers"]).status_code == 204
    listed = client.get(BASE, headers=candidate["headers"]).get_json()
    assert [(i["id"], i["status"]) for i in listed] == [(invitation, "declined")]
    assert client.post(f"{BASE}/{invitation}/accept", json=CONSENT, headers=candidate["headers"]).status_code == 409


def test_an_unanswered_invitation_expires_and_the_candidate_returns(app, client, candidate, frozen_clock):
    invitation = invited_candidate(app, client, candidate)
    frozen_clock.advance(days=app.config["INVITATION_DAYS"], seconds=1)
    listed = client.get(BASE, headers=candidate["headers"]).get_json()
    assert listed[0]["status"] == "expired"
    assert client.post(f"{BASE}/{invitation}/accept", json=CONSENT, headers=candidate["headers"]).status_code == 409
    lines = nightly_job(app)
    assert "invitations expired: 1" in lines
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: ProfileStatus.ACTIVE}
    assert [i.status for i in invitations(app)] == ["expired"]
    assert any(line.startswith("ranked 1 candidates") for line in lines)


def test_another_persons_invitation_is_not_found(app, client, candidate, make_account):
    invitation = invited_candidate(app, client, candidate)
    other = make_account()
    assert client.post(f"{BASE}/{invitation}/accept", json=CONSENT, headers=other["headers"]).status_code == 404
    assert client.get(BASE, headers=other["headers"]).get_json() == []
    official = make_account("official", "DE")
    assert client.post(f"{BASE}/{invitation}/accept", json=CONSENT, headers=official["headers"]).status_code == 403


def test_export_lists_invitations_and_erasure_keeps_them_pseudonymised(app, client, candidate, make_account):
    invited_candidate(app, client, candidate)
    exported = client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()
    assert [(i["state"], i["status"]) for i in exported["invitations"]] == [("DE", "pending")]
    reference = exported["account"]["reference"]
    assert client.delete("/api/v1/me", headers=candidate["headers"], json={"password": PASSWORD}).status_code == 204
    kept = invitations(app)
    assert [i.candidate_id for i in kept] == [candidate["id"]]
    official = make_account("official", "DE")["headers"]
    (key,) = [r["key"] for r in client.get("/api/v1/rounds").get_json()]
    invitees = client.get(f"/api/v1/states/DE/rounds/{key}/invitations", headers=official).get_json()
    assert [i["candidate"] for i in invitees] == [reference]

