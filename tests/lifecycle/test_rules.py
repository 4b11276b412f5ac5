"""The lifecycle rules: unanswered invitations cost a place, withdrawing after accepting frees the
candidate, experience cannot start before working age."""
from __future__ import annotations

from datetime import date

from conftest import sample_profile
from rounds.rounds_helpers import due_rounds, invitations, nightly_job, rank, run_due, statuses
from sqlmodel import select

from app import clock, db
from app.audit.models import AuditEvent
from app.notifications.models import OutboxMessage

PROFILE = "/api/v1/me/profile"
INVITATIONS = "/api/v1/me/invitations"
CONSENT = {"consent_to_share": True}


def invite_and_let_expire(app, candidate, frozen_clock, state: str) -> None:
    """A round of `state` invites the candidate, and the invitation lapses unanswered."""
    frozen_clock.advance(days=1)
    rank(app, clock.today())
    due_rounds(app, {state: 1})
    assert run_due(app)[0].startswith("completed 1") or run_due(app)
    frozen_clock.advance(days=app.config["INVITATION_DAYS"], seconds=1)
    nightly_job(app)


def mail_kinds(app, account_id) -> list[str]:
    with app.app_context():
        return [m.kind for m in db.session().exec(select(OutboxMessage).where(OutboxMessage.account_id == account_id)
                                                  .order_by(OutboxMessage.id)).all()]


def test_after_two_unanswered_invitations_the_profile_leaves_the_pool_and_may_come_back(app, client, candidate,
                                                                                      frozen_clock):
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    invite_and_let_expire(app, candidate, frozen_clock, "DE")
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: "active"}
    invite_and_let_expire(app, candidate, frozen_clock, "NL")
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: "removed"}
    assert mail_kinds(app, candidate["id"]) == ["invitation_issued", "invitation_expired", "invitation_issued",
                                                "pool_removal"]
    body = client.get(PROFILE, headers=candidate["headers"]).get_json()
    assert body["status"] == "removed" and body["provisional_standing"] is None
    # Out of the pool: not ranked, not invited by the next round.
    frozen_clock.advance(days=1)
    assert rank(app, clock.today()).candidates == 0
    due_rounds(app, {"IE": 1})
    run_due(app)
    assert [i.state_code for i in invitations(app)] == ["DE", "NL"]
    # Back when they submit again, with a new place in the queue and a fresh count.
    again = client.put(PROFILE, json=sample_profile(), headers=candidate["headers"])
    assert again.status_code == 200 and again.get_json()["status"] == "active"
    assert again.get_json()["first_submitted_at"] != body["first_submitted_at"]
    invite_and_let_expire(app, candidate, frozen_clock, "IE")
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: "active"}


def test_the_number_of_unanswered_invitations_is_configurable(app, client, candidate, frozen_clock):
    app.config["UNANSWERED_INVITATIONS_LIMIT"] = 1
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    invite_and_let_expire(app, candidate, frozen_clock, "DE")
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: "removed"}
    with app.app_context():
        (removal,) = db.session().exec(select(OutboxMessage).where(OutboxMessage.kind == "pool_removal")).all()
    assert "1 invitations to you expired" in removal.text_body or "expired without an answer" in removal.text_body
    assert "submit your profile again" in removal.text_body


def test_a_declined_invitation_does_not_count_as_unanswered(app, client, candidate, frozen_clock):
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    invite_and_let_expire(app, candidate, frozen_clock, "DE")
    frozen_clock.advance(days=1)
    rank(app, clock.today())
    due_rounds(app, {"NL": 1})
    run_due(app)
    (pending,) = [i for i in client.get(INVITATIONS, headers=candidate["headers"]).get_json() if i["state"] == "NL"]
    assert client.post(f"{INVITATIONS}/{pending['id']}/decline", headers=candidate["headers"]).status_code == 200
    nightly_job(app)
    assert statuses(app, [candidate["id"]]) == {candidate["id"]: "active"}


def test_accept_withdraw_and_submit_again_is_ranked_and_invited_like_anyone(app, client, candidate, make_account,
                                                                           frozen_clock):
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    rank(app)
    due_rounds(app, {"DE": 1})
    run_due(app)
    (invitation,) = client.get(INVITATIONS, headers=candidate["headers"]).get_json()
    accepted = client.post(f"{INVITATIONS}/{invitation['id']}/accept", json=CONSENT, headers=candidate["headers"])
    assert accepted.status_code == 200 and accepted.get_json()["consent_at"] is not None
    assert client.delete(PROFILE, headers=candidate["headers"]).status_code == 204
    (withdrawn,) = client.get(INVITATIONS, headers=candidate["headers"]).get_json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_at"] is not None
    with app.app_context():
        (event,) = db.session().exec(select(AuditEvent).where(
            AuditEvent.action == "invitation.acceptance_withdrawn")).all()
    assert (event.state_code, event.subject) == ("DE", f"invitation:{invitation['id']}")
    # The state's view says "withdrawn", not "accepted".
    official = make_account("official", "DE")
    invitees = client.get("/api/v1/states/DE/invitees", headers=official["headers"]).get_json()
    assert [(i["invitation"], i["status"], i["profile"]) for i in invitees] == [(invitation["id"], "withdrawn", None)]
    # A new profile: ranked at its states, and invited by the next round.
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    frozen_clock.advance(days=1)
    assert rank(app, clock.today()).candidates == 1
    due_rounds(app, {"NL": 1})
    assert run_due(app)[0].startswith("completed")
    assert [(i.state_code, i.status) for i in invitations(app)] == [("DE", "withdrawn"), ("NL", "pending")]


def test_accepting_needs_explicit_consent_to_share(app, client, candidate):
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    rank(app)
    due_rounds(app, {"DE": 1})
    run_due(app)
    (invitation,) = client.get(INVITATIONS, headers=candidate["headers"]).get_json()
    for body in ({}, {"consent_to_share": False}, {"consent_to_share": "yes"}):
        refused = client.post(f"{INVITATIONS}/{invitation['id']}/accept", json=body, headers=candidate["headers"])
        assert refused.status_code == 422 and "consent_to_share" in refused.get_json()["errors"]["json"]
    assert client.get(INVITATIONS, headers=candidate["headers"]).get_json()[0]["status"] == "pending"


def age_today(born: date) -> int:
    today = clock.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_no_occupation_may_have_more_years_than_the_age_less_15(client, candidate):
    born = date(clock.today().year - 19, 1, 1)  # 18 or 19 today: 3 or 4 working years at most
    most = age_today(born) - 15
    claim = sample_profile(date_of_birth=born.isoformat(),
                           experience=[{"occupation": "2512", "years": most}, {"occupation": "2211", "years": 20}])
    refused = client.put(PROFILE, json=claim, headers=candidate["headers"])
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]["json"]
    assert list(errors) == ["experience"] and list(errors["experience"]) == ["1"]
    assert f"At most {most} years" in errors["experience"]["1"]["years"][0]
    claim["experience"][1]["years"] = most
    assert client.put(PROFILE, json=claim, headers=candidate["headers"]).status_code == 200


def test_the_working_age_rule_is_in_the_openapi_document(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert "above your age less 15" in schemas["ProfileInput"]["properties"]["experience"]["description"]
