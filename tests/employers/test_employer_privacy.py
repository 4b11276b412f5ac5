"""An employer's person: their data export and their erasure; the organisation stays."""
from __future__ import annotations

from employers.employer_helpers import PASSWORD, register, vacancy

from sqlmodel import select

from app import db
from app.employers.models import Employer, EmployerMember


def test_an_employers_person_exports_their_data_with_the_organisation(app, client):
    employer = register(app, client)
    exported = client.get("/api/v1/me/export", headers=employer["headers"])
    assert exported.status_code == 200
    document = exported.get_json()
    assert document["account"]["email"] == employer["email"] and document["account"]["role"] == "employer"
    assert document["employer"]["organisation"]["name"] == employer["body"]["name"]
    assert document["employer"]["organisation"]["contact_name"] == employer["body"]["contact_name"]
    assert [m["kind"] for m in document["messages"]] == ["employer_verify"]


def test_a_candidates_export_has_no_employer(client, candidate):
    assert client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()["employer"] is None


def test_erasing_an_employers_person_ends_their_membership_and_keeps_the_organisation(app, client):
    employer = register(app, client)
    client.post("/api/v1/employers/me/vacancies", json=vacancy(), headers=employer["headers"])
    response = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=employer["headers"])
    assert response.status_code == 204
    with app.app_context(), db.unit_of_work() as session:
        assert session.get(Employer, employer["id"]) is not None
        assert session.exec(select(EmployerMember)).all() == []
    assert client.post("/api/v1/tokens", json={"email": employer["email"], "password": PASSWORD}).status_code == 401
