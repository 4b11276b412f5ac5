"""Registering an employer, its address, its state's verification, suspension and its lifting, colleagues."""
from __future__ import annotations

from employers.employer_helpers import (PASSWORD, mailed_token, messages, organisation, register, sign_in, vacancy,
                              verified_employer)
from sqlmodel import select

from app import db
from app.audit.models import AuditEvent


def audit_actions(app) -> list[str]:
    with app.app_context(), db.unit_of_work() as session:
        return [event.action for event in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_registration_answers_the_same_whether_or_not_the_address_is_known(app, client, candidate):
    fresh = client.post("/api/v1/employers", json=organisation())
    known = client.post("/api/v1/employers", json=organisation(email=candidate["email"]))
    assert fresh.status_code == known.status_code == 202
    assert fresh.get_json() == known.get_json()
    assert [m.recipient for m in messages(app, "account_exists")] == [candidate["email"]]
    assert len(messages(app, "employer_verify")) == 1
    assert audit_actions(app).count("employer.register") == 1  # no employer for the known address


def test_a_registration_number_registered_in_that_state_is_a_conflict(app, client):
    first = organisation(registration_number="HRB 77")
    assert client.post("/api/v1/employers", json=first).status_code == 202
    again = client.post("/api/v1/employers", json=organisation(registration_number="HRB 77"))
    assert again.status_code == 409
    assert "registration_number" in again.get_json()["errors"]["json"]
    elsewhere = client.post("/api/v1/employers", json=organisation("FR", registration_number="HRB 77"))
    assert elsewhere.status_code == 202


def test_registration_is_checked_field_by_field(client):
    response = client.post("/api/v1/employers", json=organisation(state="XX", name="   ", password="short"))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"state", "name", "password"}


def test_a_pending_employer_prepares_but_cannot_publish(app, client):
    employer = register(app, client)
    assert client.get("/api/v1/employers/me", headers=employer["headers"]).get_json()["status"] == "pending"
    created = client.post("/api/v1/employers/me/vacancies", json=vacancy(), headers=employer["headers"])
    assert created.status_code == 201
    published = client.post(f"/api/v1/employers/me/vacancies/{created.get_json()['id']}/publication",
                            headers=employer["headers"])
    assert published.status_code == 403
    assert client.get("/api/v1/vacancies").get_json()["total"] == 0


def test_only_an_official_of_the_employers_state_verifies_it(app, client, make_account):
    employer = register(app, client, "DE")
    french = make_account("official", "FR")
    german = make_account("official", "DE")
    path = f"/api/v1/states/DE/employers/{employer['id']}/verification"
    assert client.post(path, headers=french["headers"]).status_code == 403  # another state's path
    assert client.post(f"/api/v1/states/FR/employers/{employer['id']}/verification",
                       headers=french["headers"]).status_code == 404  # not an employer of FR
    assert client.get(f"/api/v1/states/FR/employers/{employer['id']}", headers=french["headers"]).status_code == 404
    assert client.get("/api/v1/states/FR/employers", headers=french["headers"]).get_json() == []
    assert client.post(path, headers=employer["headers"]).status_code == 403
    assert client.post(path, headers=make_account()["headers"]).status_code == 403
    response = client.post(path, headers=german["headers"])
    assert response.status_code == 200 and response.get_json()["status"] == "verified"
    assert client.post(path, headers=german["headers"]).status_code == 409  # not pending any more
    assert [m.recipient for m in messages(app, "employer_verified")] == [employer["email"]]
    assert "employer.verify" in audit_actions(app)


def test_an_employer_whose_address_is_unverified_is_not_verified(app, client, make_account):
    employer = register(app, client, "DE", verify_address=False)
    official = make_account("official", "DE")
    response = client.post(f"/api/v1/states/DE/employers/{employer['id']}/verification", headers=official["headers"])
    assert response.status_code == 409


def test_the_states_list_shows_pending_employers_first(app, client, make_account):
    official = make_account("official", "DE")
    verified = verified_employer(app, client, official)
    pending = register(app, client)
    listed = client.get("/api/v1/states/DE/employers", headers=official["headers"]).get_json()
    assert [e["id"] for e in listed] == [pending["id"], verified["id"]]
    assert [e["status"] for e in listed] == ["pending", "verified"]


def test_suspension_closes_open_vacancies_tells_the_people_and_is_lifted(app, client, make_account, monkeypatch):
    import app.hiring as hiring

    handed = []
    monkeypatch.setattr(hiring, "on_employer_suspended", lambda session, employer_id, reason: handed.append(
        (employer_id, reason)))
    official = make_account("official", "DE")
    employer = verified_employer(app, client, official)
    headers = employer["headers"]
    open_one = client.post("/api/v1/employers/me/vacancies", json=vacancy(), headers=headers).get_json()
    draft = client.post("/api/v1/employers/me/vacancies", json=vacancy(title="Draft"), headers=headers).get_json()
    client.post(f"/api/v1/employers/me/vacancies/{open_one['id']}/publication", headers=headers)
    assert client.get("/api/v1/vacancies").get_json()["total"] == 1
    path = f"/api/v1/states/DE/employers/{employer['id']}/suspension"
    assert client.post(path, json={"reason": "   "}, headers=official["headers"]).status_code == 422
    response = client.post(path, json={"reason": "Wages below the collective agreement."}, headers=official["headers"])
    assert response.status_code == 200 and response.get_json()["status"] == "suspended"
    assert handed == [(employer["id"], "Wages below the collective agreement.")]
    assert client.get("/api/v1/vacancies").get_json()["total"] == 0
    own = {v["id"]: v["status"] for v in client.get("/api/v1/employers/me/vacancies", headers=headers).get_json()}
    assert own == {open_one["id"]: "closed", draft["id"]: "draft"}
    assert client.post(f"/api/v1/employers/me/vacancies/{draft['id']}/publication", headers=headers).status_code == 403
    assert client.post("/api/v1/employers/me/vacancies", json=vacancy(), headers=headers).status_code == 403
    suspended_mail = messages(app, "employer_suspended")
    assert [m.recipient for m in suspended_mail] == [employer["email"]]
    assert "Wages below the collective agreement." in suspended_mail[0].text_body
    assert client.post(path, json={"reason": "again"}, headers=official["headers"]).status_code == 409
    lifted = client.delete(path, headers=official["headers"])
    assert lifted.status_code == 200 and lifted.get_json()["status"] == "verified"
    assert client.delete(path, headers=official["headers"]).status_code == 409
    assert client.post(f"/api/v1/employers/me/vacancies/{draft['id']}/publication", headers=headers).status_code == 200
    actions = audit_actions(app)
    assert actions.count("vacancy.close") == 1 and "employer.suspend" in actions and "employer.reinstate" in actions
    assert len(messages(app, "employer_reinstated")) == 1


def test_a_verified_employers_person_adds_a_colleague_who_chooses_a_password(app, client, make_account):
    official = make_account("official", "DE")
    employer = verified_employer(app, client, official)
    response = client.post("/api/v1/employers/me/people", json={"email": "colleague@employer.example"},
                           headers=employer["headers"])
    assert response.status_code == 202
    token = mailed_token(app, "employer_invitation", "colleague@employer.example")
    assert client.post("/api/v1/password-resets/completion",
                       json={"token": token, "password": "the colleague's password"}).status_code == 204
    colleague = sign_in(client, "colleague@employer.example", "the colleague's password")
    assert client.get("/api/v1/employers/me", headers=colleague).get_json()["id"] == employer["id"]
    people = client.get("/api/v1/employers/me/people", headers=colleague).get_json()
    assert {p["email"] for p in people} == {employer["email"], "colleague@employer.example"}
    assert all(p["email_verified_at"] for p in people)


def test_a_pending_employer_cannot_add_colleagues_and_a_known_address_answers_the_same(app, client, make_account,
                                                                                      candidate):
    pending = register(app, client)
    refused = client.post("/api/v1/employers/me/people", json={"email": "x@employer.example"},
                          headers=pending["headers"])
    assert refused.status_code == 403
    official = make_account("official", "DE")
    employer = verified_employer(app, client, official)
    new = client.post("/api/v1/employers/me/people", json={"email": "y@employer.example"}, headers=employer["headers"])
    known = client.post("/api/v1/employers/me/people", json={"email": candidate["email"]}, headers=employer["headers"])
    assert new.status_code == known.status_code == 202 and new.get_json() == known.get_json()
    people = client.get("/api/v1/employers/me/people", headers=employer["headers"]).get_json()
    assert candidate["email"] not in {p["email"] for p in people}


def test_other_roles_do_not_reach_employer_routes(client, candidate, make_account):
    assert client.get("/api/v1/employers/me").status_code == 401
    assert client.get("/api/v1/employers/me", headers=candidate["headers"]).status_code == 403
    assert client.get("/api/v1/employers/me", headers=make_account("official", "DE")["headers"]).status_code == 403
    lone = make_account("employer")  # an employer account with no organisation
    assert client.get("/api/v1/employers/me", headers=lone["headers"]).status_code == 403


def test_an_employer_person_signs_in_with_the_password(app, client):
    employer = register(app, client)
    assert client.post("/api/v1/tokens", json={"email": employer["email"], "password": PASSWORD}).status_code == 201
