"""The console's invitees page: the state's own invitees who accepted, their profile, the
application's progress and a false claim, recorded through forms that work without JavaScript."""
from __future__ import annotations

from conftest import sample_profile
from console_sign_in import sign_in
from profile_form_posts import csrf_token
from rounds.rounds_helpers import due_rounds, rank, run_due
from sqlmodel import select

from app import clock, db
from app.audit.models import AuditEvent

PROFILE = "/api/v1/me/profile"




def accepted(app, client, candidate) -> int:
    assert client.put(PROFILE, json=sample_profile(), headers=candidate["headers"]).status_code == 200
    rank(app)
    due_rounds(app, {"DE": 1})
    run_due(app)
    (invitation,) = client.get("/api/v1/me/invitations", headers=candidate["headers"]).get_json()
    client.post(f"/api/v1/me/invitations/{invitation['id']}/accept", json={"consent_to_share": True},
                headers=candidate["headers"])
    return invitation["id"]


def test_an_official_sees_their_invitees_and_records_the_application(app, client, candidate, make_account):
    invitation = accepted(app, client, candidate)
    official = make_account("official", "DE")
    browser = app.test_client()
    sign_in(browser, official["email"])
    listed = browser.get("/official/invitees")
    assert listed.status_code == 200 and f'/official/invitees/{invitation}"' in listed.text
    assert 'href="/official/invitees"' in browser.get("/official/").text  # in the console's menu
    page = browser.get(f"/official/invitees/{invitation}")
    assert page.status_code == 200 and candidate["email"] in page.text and "2512" in page.text
    token = csrf_token(page.text)
    wrong = browser.post(f"/official/invitees/{invitation}/application", data={"csrf_token": token, "status": "lodged"})
    assert wrong.status_code == 422 and 'href="#lodged_on"' in wrong.text
    today = clock.today().isoformat()
    done = browser.post(f"/official/invitees/{invitation}/application",
                        data={"csrf_token": token, "status": "lodged", "lodged_on": today})
    assert done.status_code == 303
    mine = client.get("/api/v1/me/invitations", headers=candidate["headers"]).get_json()[0]
    assert mine["application"]["status"] == "lodged" and mine["application"]["lodged_on"] == today
    with app.app_context():
        assert db.session().exec(select(AuditEvent).where(AuditEvent.action == "application.progress")).first()


def test_another_states_official_and_an_administrator_see_nothing(app, client, candidate, make_account):
    invitation = accepted(app, client, candidate)
    dutch = app.test_client()
    sign_in(dutch, make_account("official", "NL")["email"])
    assert candidate["email"] not in dutch.get("/official/invitees").text
    assert dutch.get(f"/official/invitees/{invitation}").status_code == 404
    admin = app.test_client()
    sign_in(admin, make_account("admin")["email"])
    assert admin.get("/official/invitees").status_code == 403


def test_an_official_records_a_false_claim(app, client, candidate, make_account):
    invitation = accepted(app, client, candidate)
    browser = app.test_client()
    sign_in(browser, make_account("official", "DE")["email"])
    token = csrf_token(browser.get(f"/official/invitees/{invitation}").text)
    missing = browser.post(f"/official/invitees/{invitation}/misrepresentation",
                           data={"csrf_token": token, "claim": "education_level"})
    assert missing.status_code == 422 and 'href="#decision_reference"' in missing.text
    done = browser.post(f"/official/invitees/{invitation}/misrepresentation",
                        data={"csrf_token": token, "claim": "education_level", "decision_reference": "ABH-7"})
    assert done.status_code == 303
    assert client.get(PROFILE, headers=candidate["headers"]).get_json()["status"] == "removed"
