"""The hand-off: consent, the inviting state's view (and no one else's), the application's progress,
the published outcomes, the retention of shared data, and findings of misrepresentation."""
from __future__ import annotations

from datetime import timedelta

from conftest import sample_profile
from rounds.rounds_helpers import due_rounds, nightly_job, rank, run_due
from sqlmodel import select

from app import clock, db
from app.audit.models import AuditEvent
from app.notifications.models import OutboxMessage

PROFILE = "/api/v1/me/profile"
INVITATIONS = "/api/v1/me/invitations"
CONSENT = {"consent_to_share": True}


def accepted_by(app, client, candidate, state="DE") -> int:
    """The candidate in the pool, invited by `state`, and accepting with consent; the invitation id."""
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    rank(app)
    due_rounds(app, {state: 1})
    run_due(app)
    (invitation,) = client.get(INVITATIONS, headers=candidate["headers"]).get_json()
    assert client.post(f"{INVITATIONS}/{invitation['id']}/accept", json=CONSENT,
                       headers=candidate["headers"]).status_code == 200
    return invitation["id"]


def audit_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.state_code) for e in db.session().exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_the_inviting_states_officials_see_the_profile_and_address_and_no_one_else_does(app, client, candidate,
                                                                                       make_account):
    invitation = accepted_by(app, client, candidate)
    german, dutch = make_account("official", "DE"), make_account("official", "NL")
    (seen,) = client.get("/api/v1/states/DE/invitees", headers=german["headers"]).get_json()
    assert seen["email"] == candidate["email"] and seen["profile"] == sample_profile()
    assert seen["status"] == "accepted" and seen["consent_at"] is not None
    one = client.get(f"/api/v1/states/DE/invitees/{invitation}", headers=german["headers"])
    assert one.status_code == 200 and one.get_json()["email"] == candidate["email"]
    assert client.get("/api/v1/states/DE/invitees", headers=dutch["headers"]).status_code == 403
    assert client.get("/api/v1/states/NL/invitees", headers=dutch["headers"]).get_json() == []
    assert client.get(f"/api/v1/states/NL/invitees/{invitation}", headers=dutch["headers"]).status_code == 404
    assert client.get("/api/v1/states/DE/invitees", headers=candidate["headers"]).status_code == 403
    assert client.get("/api/v1/states/DE/invitees").status_code == 401


def test_the_state_records_the_progress_audited_and_the_candidate_sees_it(app, client, candidate, make_account):
    invitation = accepted_by(app, client, candidate)
    german = make_account("official", "DE")
    today = clock.today()
    url = f"/api/v1/states/DE/invitees/{invitation}/application"
    lodged = client.put(url, json={"status": "lodged", "lodged_on": (today - timedelta(days=3)).isoformat()},
                        headers=german["headers"])
    assert lodged.status_code == 200 and lodged.get_json()["application"]["status"] == "lodged"
    approved = client.put(url, json={"status": "approved", "lodged_on": (today - timedelta(days=3)).isoformat(),
                                     "decided_on": today.isoformat()}, headers=german["headers"])
    assert approved.status_code == 200 and approved.get_json()["application"]["shared_until"] is not None
    (mine,) = client.get(INVITATIONS, headers=candidate["headers"]).get_json()
    assert mine["application"] == {**mine["application"], "status": "approved", "decided_on": today.isoformat()}
    assert audit_actions(app)[-2:] == [("application.progress", "DE"), ("application.progress", "DE")]
    with app.app_context():
        told = [m.kind for m in db.session().exec(select(OutboxMessage).where(
            OutboxMessage.account_id == candidate["id"])).all()]
    assert told.count("application_progress") == 2
    # Another state's official cannot record anything on it.
    dutch = make_account("official", "NL")
    assert client.put(url.replace("/DE/", "/NL/"), json={"status": "refused"}, headers=dutch["headers"]).status_code == 404


def test_inconsistent_progress_is_refused_naming_the_field(app, client, candidate, make_account):
    invitation = accepted_by(app, client, candidate)
    german = make_account("official", "DE")
    url = f"/api/v1/states/DE/invitees/{invitation}/application"
    today = clock.today()
    cases = [
        ({"status": "lodged"}, "lodged_on"),
        ({"status": "approved", "lodged_on": today.isoformat()}, "decided_on"),
        ({"status": "lodged", "lodged_on": (today + timedelta(days=1)).isoformat()}, "lodged_on"),
        ({"status": "refused", "lodged_on": today.isoformat(),
          "decided_on": (today - timedelta(days=1)).isoformat()}, "decided_on"),
        ({"status": "granted", "lodged_on": today.isoformat()}, "status"),
    ]
    for body, field in cases:
        refused = client.put(url, json=body, headers=german["headers"])
        assert refused.status_code == 422 and field in refused.get_json()["errors"]["json"], (body, refused.get_json())


def test_outcomes_are_published_with_small_counts_hidden(app, client, candidate, make_account):
    accepted_by(app, client, candidate)
    (key,) = [r["key"] for r in client.get("/api/v1/rounds").get_json()]
    outcome = client.get(f"/api/v1/rounds/{key}/outcomes").get_json()
    assert outcome["state"] == "DE"
    for measure in ("invited", "accepted", "declined", "expired", "lodged", "approved"):
        assert outcome[measure] == {"count": None, "fewer_than": 10}
    assert client.get("/api/v1/states/DE/outcomes").get_json()["invited"] == {"count": None, "fewer_than": 10}
    assert client.get("/api/v1/states/XX/outcomes").status_code == 404
    page = client.get(f"/rounds/{key}")
    assert page.status_code == 200 and page.text.count("fewer than 10") >= 6


def test_shared_data_is_deleted_after_the_retention_that_follows_the_final_outcome(app, client, candidate,
                                                                                  make_account, frozen_clock):
    invitation = accepted_by(app, client, candidate)
    german = make_account("official", "DE")
    today = clock.today().isoformat()
    client.put(f"/api/v1/states/DE/invitees/{invitation}/application",
               json={"status": "refused", "lodged_on": today, "decided_on": today}, headers=german["headers"])
    frozen_clock.advance(days=app.config["SHARED_DATA_RETENTION_DAYS"] - 1)
    nightly_job(app)
    assert client.get("/api/v1/states/DE/invitees", headers=german["headers"]).get_json()[0]["profile"] is not None
    frozen_clock.advance(days=2)
    lines = nightly_job(app)
    assert any("shared data of 1 applications" in line for line in lines)
    (kept,) = client.get("/api/v1/states/DE/invitees", headers=german["headers"]).get_json()
    assert kept["profile"] is None and kept["email"] is None and kept["application"]["status"] == "refused"
    assert client.get(PROFILE, headers=candidate["headers"]).status_code == 404


def test_a_false_claim_removes_and_bars_the_candidate_until_an_administrator_lifts_it(app, client, candidate,
                                                                                    make_account):
    invitation = accepted_by(app, client, candidate)
    german, dutch, admin = make_account("official", "DE"), make_account("official", "NL"), make_account("admin")
    url = f"/api/v1/states/DE/invitees/{invitation}/misrepresentation"
    finding = {"claim": "education_level", "decision_reference": "BAMF-2026-0042"}
    assert client.post(url.replace("/DE/", "/NL/"), json=finding, headers=dutch["headers"]).status_code == 404
    bad = client.post(url, json={**finding, "claim": "shoe size"}, headers=german["headers"])
    assert bad.status_code == 422 and "claim" in bad.get_json()["errors"]["json"]
    recorded = client.post(url, json=finding, headers=german["headers"])
    assert recorded.status_code == 201
    body = recorded.get_json()
    assert body["barred_until"][:4] == str(clock.today().year + app.config["MISREPRESENTATION_BAR_YEARS"])
    assert client.get(PROFILE, headers=candidate["headers"]).get_json()["status"] == "removed"
    with app.app_context():
        (told,) = db.session().exec(select(OutboxMessage).where(OutboxMessage.kind == "pool_removal")).all()
    assert "BAMF-2026-0042" in told.text_body and "contest" in told.text_body
    # Barred: a new profile is refused, with the date and how to contest.
    refused = client.put(PROFILE, json=sample_profile(), headers=candidate["headers"])
    assert refused.status_code == 409 and "contest" in refused.get_json()["message"]
    # Only an administrator lifts it; then the candidate may enter again.
    assert client.post(f"/api/v1/misrepresentations/{body['id']}/lift", json={"reason": "set aside"},
                       headers=german["headers"]).status_code == 403
    listed = client.get("/api/v1/misrepresentations", headers=admin["headers"]).get_json()
    assert [f["id"] for f in listed] == [body["id"]]
    lifted = client.post(f"/api/v1/misrepresentations/{body['id']}/lift",
                         json={"reason": "Set aside by the court, 2026-12-01"}, headers=admin["headers"])
    assert lifted.status_code == 200 and lifted.get_json()["lifted_at"] is not None
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    assert [a for a in audit_actions(app) if a[0].startswith("misrepresentation")] == [
        ("misrepresentation.recorded", "DE"), ("misrepresentation.lifted", "DE")]
    exported = client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()
    assert [f["decision_reference"] for f in exported["misrepresentations"]] == ["BAMF-2026-0042"]
    assert {"invitation_issued", "pool_removal", "misrepresentation_lifted"} <= {m["kind"] for m in exported["messages"]}


def test_the_bar_lasts_the_configured_years(app, client, candidate, make_account, frozen_clock):
    app.config["MISREPRESENTATION_BAR_YEARS"] = 1
    invitation = accepted_by(app, client, candidate)
    german = make_account("official", "DE")
    client.post(f"/api/v1/states/DE/invitees/{invitation}/misrepresentation",
                json={"claim": "experience", "decision_reference": "X-1"}, headers=german["headers"])
    frozen_clock.advance(days=364)
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 409
    frozen_clock.advance(days=3)
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
