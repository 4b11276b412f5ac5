"""Vacancies: drafts, edits, publication, closing (by the employer and past the closing date), who sees what."""
from __future__ import annotations

import datetime as dt

from employers.employer_helpers import register, vacancy, verified_employer

from app import clock, db
from app.employers import vacancies
from app.ranking_runs import nightly


def post(client, employer, **changes):
    return client.post("/api/v1/employers/me/vacancies", json=vacancy(**changes), headers=employer["headers"])


def publish(client, employer, vacancy_id):
    return client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/publication", headers=employer["headers"])


def test_a_vacancy_takes_its_employers_state_and_the_grids_types(app, client, make_account):
    employer = verified_employer(app, client, make_account("official", "FR"), "FR")
    created = post(client, employer)
    assert created.status_code == 201
    body = created.get_json()
    assert body["state"] == "FR" and body["status"] == "draft"
    assert body["requirements"]["languages"][0] == {"language": "en", "listening": "B2", "reading": "B2",
                                                    "speaking": "B1", "writing": None}


def test_requirements_outside_the_grids_types_are_refused_field_by_field(app, client):
    employer = register(app, client)
    response = post(client, employer, occupation="9999", posts=0, requirements={
        "education_level": 9, "experience_years": 0, "experience_scope": "anything",
        "languages": [{"language": "xx", "listening": "D1"}, {"language": "en"}, {"language": "en"}]})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert {"occupation", "posts", "requirements"} <= set(errors)
    assert {"education_level", "experience_years", "experience_scope", "languages"} <= set(errors["requirements"])
    duplicate = post(client, employer, requirements={"languages": [{"language": "en"}, {"language": "en"}]})
    assert duplicate.status_code == 422


def test_a_closing_date_in_the_past_and_a_salary_out_of_order_are_refused(app, client):
    employer = register(app, client)
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    response = post(client, employer, closing_date=yesterday, salary_min=70_000, salary_max=60_000)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"closing_date", "salary_max"}
    assert post(client, employer, closing_date=clock.today().isoformat()).status_code == 201


def test_edit_publish_close(app, client, make_account):
    employer = verified_employer(app, client, make_account("official", "DE"))
    created = post(client, employer).get_json()
    path = f"/api/v1/employers/me/vacancies/{created['id']}"
    edited = client.put(path, json=vacancy(title="Senior backend developer"), headers=employer["headers"])
    assert edited.status_code == 200 and edited.get_json()["title"] == "Senior backend developer"
    assert publish(client, employer, created["id"]).get_json()["status"] == "published"
    assert publish(client, employer, created["id"]).status_code == 409
    closed = client.post(f"{path}/closure", headers=employer["headers"])
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert client.post(f"{path}/closure", headers=employer["headers"]).status_code == 409
    assert client.put(path, json=vacancy(), headers=employer["headers"]).status_code == 409


def test_an_employer_sees_nothing_of_another_employers_vacancies(app, client, make_account):
    official = make_account("official", "DE")
    first, second = verified_employer(app, client, official), verified_employer(app, client, official)
    theirs = post(client, first).get_json()
    for method, suffix in (("get", ""), ("put", ""), ("post", "/publication"), ("post", "/closure")):
        response = getattr(client, method)(f"/api/v1/employers/me/vacancies/{theirs['id']}{suffix}",
                                           json=vacancy() if method == "put" else None, headers=second["headers"])
        assert response.status_code == 404, (method, suffix)
    assert client.get("/api/v1/employers/me/vacancies", headers=second["headers"]).get_json() == []


def test_candidates_and_the_public_see_open_vacancies_with_the_employers_name_only(app, client, make_account,
                                                                                  candidate):
    official = make_account("official", "DE")
    employer = verified_employer(app, client, official)
    ict = post(client, employer).get_json()
    nurse = post(client, employer, occupation="2221", title="Nurse", posts=3).get_json()
    post(client, employer, title="Still a draft")
    publish(client, employer, ict["id"])
    publish(client, employer, nurse["id"])
    listed = client.get("/api/v1/vacancies", headers=candidate["headers"]).get_json()
    assert listed["total"] == 2
    shown = listed["vacancies"][0]
    assert set(shown["employer"]) == {"name", "reference"}
    assert employer["email"] not in str(listed) and "Jana Muster" not in str(listed)
    assert "registration_number" not in str(listed)
    assert [v["title"] for v in client.get("/api/v1/vacancies?occupation=25").get_json()["vacancies"]] == [
        "Backend developer"]
    assert client.get("/api/v1/vacancies?state=FR").get_json()["total"] == 0
    assert client.get("/api/v1/vacancies?state=XX").status_code == 404
    one = client.get(f"/api/v1/vacancies/{nurse['reference']}")
    assert one.status_code == 200 and one.get_json()["title"] == "Nurse"
    drafts = [v for v in client.get("/api/v1/employers/me/vacancies", headers=employer["headers"]).get_json()
              if v["status"] == "draft"]
    assert client.get(f"/api/v1/vacancies/{drafts[0]['reference']}").status_code == 404


def test_public_counts_by_state_and_occupation_agree_with_the_listing(app, client, make_account):
    for state in ("DE", "FR"):
        employer = verified_employer(app, client, make_account("official", state), state)
        for occupation, posts in (("2512", 2), ("2512", 1), ("2221", 4)):
            publish(client, employer, post(client, employer, occupation=occupation, posts=posts).get_json()["id"])
    counts = client.get("/api/v1/vacancies/counts").get_json()
    # The reference: count the public listing by hand.
    expected = {}
    for item in client.get("/api/v1/vacancies").get_json()["vacancies"]:
        entry = expected.setdefault((item["state"], item["occupation"]), [0, 0])
        entry[0] += 1
        entry[1] += item["posts"]
    assert {(c["state"], c["occupation"]): [c["vacancies"], c["posts"]] for c in counts} == expected
    assert {c["state"] for c in client.get("/api/v1/vacancies/counts?state=FR").get_json()} == {"FR"}


def test_the_nightly_job_closes_vacancies_past_their_closing_date(app, client, make_account, frozen_clock):
    employer = verified_employer(app, client, make_account("official", "DE"))
    soon = post(client, employer, closing_date=(clock.today() + dt.timedelta(days=2)).isoformat()).get_json()
    later = post(client, employer).get_json()
    publish(client, employer, soon["id"])
    publish(client, employer, later["id"])
    frozen_clock.advance(days=3)
    with app.app_context():
        lines = nightly.run()
    assert "vacancies closed past their closing date: 1" in lines
    statuses = {v["id"]: v["status"] for v in
                client.get("/api/v1/employers/me/vacancies", headers=employer["headers"]).get_json()}
    assert statuses == {soon["id"]: "closed", later["id"]: "published"}
    with app.app_context(), db.unit_of_work() as session:
        assert vacancies.close_past_closing_date(session, clock.today()) == 0  # safe to repeat
