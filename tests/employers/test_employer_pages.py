"""The employers' pages, the console's employers and the open vacancies, through the test client:
the same rules as the API (who may do what), with the refusals on the fields."""
from __future__ import annotations

import datetime as dt

from conftest import PASSWORD as OFFICIAL_PASSWORD
from employers.employer_helpers import (PASSWORD, csrf, mailed_token, page_sign_in, register, vacancy,
                                        verified_employer)

from app import clock


def vacancy_form(page_html: str, **changes) -> dict:
    data = {"csrf_token": csrf(page_html), "title": "Nurse", "occupation": "2221",
            "description": "Ward work in a city hospital.", "posts": "3", "location": "Lyon",
            "closing_date": (clock.today() + dt.timedelta(days=20)).isoformat(), "education_level": "6",
            "languages-0-language": "fr", "languages-0-listening": "B2", "languages-0-reading": "B1",
            "languages-0-speaking": "B2", "languages-0-writing": "", "languages-1-language": "",
            "languages-2-language": "", "experience_years": "2", "experience_scope": "group",
            "salary_min": "", "salary_max": ""}
    data.update(changes)
    return data


def test_an_organisation_registers_on_the_pages_and_verifies_its_address(app, client):
    page = client.get("/employer/register")
    assert page.status_code == 200
    refused = client.post("/employer/register", data={"csrf_token": csrf(page.text), "name": " ", "state": "XX",
                                                      "registration_number": "", "contact_name": "A", "address": "B",
                                                      "email": "nope", "password": "short"})
    assert refused.status_code == 422 and "error-summary" in refused.text
    answer = client.post("/employer/register", data={
        "csrf_token": csrf(page.text), "name": "Clinique du Parc", "state": "FR", "registration_number": "RCS 123",
        "contact_name": "Marie Curie", "address": "1 rue du Parc, Lyon", "email": "rh@clinique.example",
        "password": PASSWORD})
    assert answer.status_code == 303
    token = mailed_token(app, "employer_verify", "rh@clinique.example")
    link_page = client.get(f"/employer/verify?token={token}")
    assert client.post("/employer/verify", data={"csrf_token": csrf(link_page.text), "token": token}).status_code == 200
    signed_in = page_sign_in(client, "rh@clinique.example", PASSWORD)
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/employer/")
    home = client.get("/employer/")
    assert "Clinique du Parc" in home.text and "Waiting for verification" in home.text


def test_the_editor_saves_a_draft_a_pending_employer_cannot_publish_and_refusals_land_on_fields(app, client):
    employer = register(app, client, "FR")
    page_sign_in(client, employer["email"], PASSWORD)
    editor = client.get("/employer/vacancies/new")
    assert editor.status_code == 200
    found = client.post("/employer/vacancies/new", data=vacancy_form(editor.text, occupation="nursing",
                                                                     action="find:occupation"))
    assert found.status_code == 200 and 'value="2221"' in found.text
    bad = client.post("/employer/vacancies/new", data=vacancy_form(editor.text, posts="many", **{
        "languages-0-listening": "D9"}))
    assert bad.status_code == 422
    assert 'id="posts-error1"' in bad.text and 'id="languages-0-listening-error1"' in bad.text
    past = client.post("/employer/vacancies/new", data=vacancy_form(editor.text, closing_date="2001-01-01"))
    assert past.status_code == 422 and 'id="closing_date-error1"' in past.text
    saved = client.post("/employer/vacancies/new", data=vacancy_form(editor.text))
    assert saved.status_code == 303
    edit_path = saved.headers["Location"]
    published = client.post(f"{edit_path}/publish", data={"csrf_token": csrf(client.get(edit_path).text)})
    assert published.status_code == 303
    assert "can publish once its member state has verified it" in client.get(edit_path).text
    assert client.get("/api/v1/vacancies").get_json()["total"] == 0


def test_an_official_verifies_in_the_console_and_the_published_vacancy_is_public(app, client, make_account):
    official = make_account("official", "FR")
    employer = register(app, client, "FR")
    other_state = register(app, client, "DE")
    official_client = app.test_client()
    page_sign_in(official_client, official["email"], OFFICIAL_PASSWORD)
    listing = official_client.get("/official/employers/")
    assert listing.status_code == 200 and employer["body"]["name"] in listing.text
    assert other_state["body"]["name"] not in listing.text
    assert official_client.get(f"/official/employers/{other_state['id']}").status_code == 404
    detail = official_client.get(f"/official/employers/{employer['id']}")
    verified = official_client.post(f"/official/employers/{employer['id']}/verify", data={"csrf_token": csrf(detail.text)})
    assert verified.status_code == 303
    assert "Verified" in official_client.get(f"/official/employers/{employer['id']}").text
    page_sign_in(client, employer["email"], PASSWORD)
    editor = client.get("/employer/vacancies/new")
    edit_path = client.post("/employer/vacancies/new", data=vacancy_form(editor.text)).headers["Location"]
    client.post(f"{edit_path}/publish", data={"csrf_token": csrf(client.get(edit_path).text)})
    public = app.test_client()
    listed = public.get("/vacancies/?occupation=22")
    assert listed.status_code == 200 and "Nurse" in listed.text and employer["body"]["name"] in listed.text
    assert employer["email"] not in listed.text and employer["body"]["contact_name"] not in listed.text
    reference = client.get("/api/v1/vacancies").get_json()["vacancies"][0]["reference"]
    one = public.get(f"/vacancies/{reference}")
    assert one.status_code == 200 and employer["body"]["contact_name"] not in one.text
    counts = public.get("/vacancies/counts")
    assert counts.status_code == 200 and "(2221)" in counts.text


def test_the_console_suspends_with_a_reason_and_lifts(app, client, make_account):
    official = make_account("official", "DE")
    employer = verified_employer(app, client, official, "DE")
    console = app.test_client()
    page_sign_in(console, official["email"], OFFICIAL_PASSWORD)
    detail = console.get(f"/official/employers/{employer['id']}")
    empty = console.post(f"/official/employers/{employer['id']}/suspend", data={"csrf_token": csrf(detail.text),
                                                                               "reason": "  "})
    assert empty.status_code == 422
    done = console.post(f"/official/employers/{employer['id']}/suspend", data={"csrf_token": csrf(detail.text),
                                                                              "reason": "Fake vacancies."})
    assert done.status_code == 303
    assert client.get("/api/v1/employers/me", headers=employer["headers"]).get_json()["status"] == "suspended"
    page = console.get(f"/official/employers/{employer['id']}")
    assert "Fake vacancies." in page.text
    console.post(f"/official/employers/{employer['id']}/lift", data={"csrf_token": csrf(page.text)})
    assert client.get("/api/v1/employers/me", headers=employer["headers"]).get_json()["status"] == "verified"


def test_candidates_and_employers_do_not_reach_each_others_pages(app, client, candidate, make_account):
    employer = register(app, client)
    employer_client = app.test_client()
    page_sign_in(employer_client, employer["email"], PASSWORD)
    assert employer_client.get("/official/employers/").status_code == 403
    assert employer_client.get("/account").status_code == 403
    candidate_client = app.test_client()
    page_sign_in(candidate_client, candidate["email"], "correct horse battery staple")
    assert candidate_client.get("/employer/").status_code == 403
    assert app.test_client().get("/employer/").status_code == 303  # sign in first


def test_a_colleague_is_invited_on_the_pages_and_sets_a_password(app, client, make_account):
    employer = verified_employer(app, client, make_account("official", "DE"))
    page_sign_in(client, employer["email"], PASSWORD)
    page = client.get("/employer/colleagues")
    assert client.post("/employer/colleagues", data={"csrf_token": csrf(page.text),
                                                     "email": "new@employer.example"}).status_code == 303
    token = mailed_token(app, "employer_invitation", "new@employer.example")
    colleague = app.test_client()
    link = colleague.get(f"/employer/invitation?token={token}")
    assert colleague.post("/employer/invitation", data={"csrf_token": csrf(link.text), "token": token,
                                                        "password": "the new colleague"}).status_code == 303
    assert page_sign_in(colleague, "new@employer.example", "the new colleague").headers["Location"].endswith(
        "/employer/")
