"""The console's false claims: administrators filter and lift with a reason after a confirmation; a state's
officials read their own state's findings only."""
from __future__ import annotations

from console_sign_in import sign_in
from lifecycle.test_handoff import accepted_by
from profile_form_posts import csrf_token
from sqlmodel import select

from app import clock, db
from app.audit.models import AuditEvent
from app.handoff.models import Misrepresentation
from app.notifications.models import OutboxMessage

FINDING = {"claim": "education_level", "decision_reference": "BAMF-2026-0042"}


def two_findings(app, client, candidate, make_account) -> tuple[int, int]:
    """A German finding recorded through the API, and a French one (against the same invitation) put in the table."""
    invitation = accepted_by(app, client, candidate)
    german = make_account("official", "DE")
    recorded = client.post(f"/api/v1/states/DE/invitees/{invitation}/misrepresentation", json=FINDING,
                           headers=german["headers"])
    assert recorded.status_code == 201
    with app.app_context(), db.unit_of_work() as session:
        german_row = session.get(Misrepresentation, recorded.get_json()["id"])
        french = Misrepresentation(candidate_id=german_row.candidate_id, invitation_id=invitation, state_code="FR",
                                   claim="experience", decision_reference="OFII-77", recorded_at=clock.now(),
                                   barred_until=german_row.barred_until, lifted_at=clock.now(), lift_reason="test")
        session.add(french)
        session.flush()
        return german_row.id, french.id


def test_an_administrator_filters_and_lifts_a_bar_after_confirming(app, client, candidate, make_account):
    german_id, french_id = two_findings(app, client, candidate, make_account)
    admin = make_account("admin")
    assert sign_in(client, admin["email"]).status_code == 303
    everything = client.get("/official/findings")
    assert everything.status_code == 200 and "BAMF-2026-0042" in everything.text and "OFII-77" in everything.text
    assert 'href="/official/findings"' in client.get("/official/").text  # in the console's menu
    active = client.get("/official/findings?standing=active").text
    assert "BAMF-2026-0042" in active and "OFII-77" not in active
    french = client.get("/official/findings?state=FR&standing=lifted").text
    assert "OFII-77" in french and "BAMF-2026-0042" not in french
    assert client.get("/official/findings?standing=forever").status_code == 422
    page = client.get(f"/official/findings/{german_id}")
    assert page.status_code == 200 and "Lift the bar" in page.text
    token = csrf_token(page.text)
    url = f"/official/findings/{german_id}/lift"
    empty = client.post(url, data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 422 and "Say why the bar is lifted" in empty.text and "error-summary" in empty.text
    confirm = client.post(url, data={"csrf_token": token, "reason": "Set aside by the court, 2026-12-01"})
    assert confirm.status_code == 200 and "Yes, lift the bar" in confirm.text
    with app.app_context():
        assert db.session().get(Misrepresentation, german_id).lifted_at is None  # not before "Yes"
    done = client.post(url, data={"csrf_token": csrf_token(confirm.text), "reason": "Set aside by the court, 2026-12-01",
                                  "confirmed": "yes"})
    assert done.status_code == 303
    shown = client.get(done.headers["Location"]).text
    assert "Set aside by the court, 2026-12-01" in shown and "Lift the bar" not in shown
    with app.app_context():
        session = db.session()
        finding = session.get(Misrepresentation, german_id)
        assert finding.lifted_by == admin["id"] and finding.address_digest is None
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "misrepresentation.lifted")).one()
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "misrepresentation_lifted")).one()
    assert client.put("/api/v1/me/profile", json={}, headers=candidate["headers"]).status_code != 409


def test_officials_read_their_own_states_findings_only(app, client, candidate, make_account):
    german_id, french_id = two_findings(app, client, candidate, make_account)
    official = make_account("official", "DE")
    assert sign_in(client, official["email"]).status_code == 303
    listed = client.get("/official/findings?state=FR")  # the state comes from the account, not the URL
    assert listed.status_code == 200 and "BAMF-2026-0042" in listed.text and "OFII-77" not in listed.text
    page = client.get(f"/official/findings/{german_id}")
    assert page.status_code == 200 and "Lift the bar" not in page.text
    assert client.get(f"/official/findings/{french_id}").status_code == 404
    token = csrf_token(page.text)
    assert client.post(f"/official/findings/{german_id}/lift",
                       data={"csrf_token": token, "reason": "x", "confirmed": "yes"}).status_code == 403


def test_the_pages_speak_french_and_german(app, client, candidate, make_account):
    german_id, _ = two_findings(app, client, candidate, make_account)
    admin = make_account("admin")
    sign_in(client, admin["email"])
    assert "Fausses déclarations" in client.get("/official/findings?lang=fr").text
    assert "Falsche Angaben" in client.get(f"/official/findings/{german_id}?lang=de").text
