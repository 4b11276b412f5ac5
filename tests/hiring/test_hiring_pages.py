"""The hiring pages: a candidate's findability, interest and offers; an employer's matches; an
official's offers. Every form posts to the same services as the API; no JavaScript needed."""
from __future__ import annotations

import re

from employers.employer_helpers import verified_employer
from hiring_flow import findable_candidate, matches_of, published_vacancy

from conftest import PASSWORD, sample_profile, second_factor_code


def sign_in_page(client, email: str, password: str = PASSWORD) -> None:
    token = csrf(client, "/sign-in")
    response = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]


def sign_in_both_steps(client, email: str):
    """An official: the password, then the two-factor code."""
    sign_in_page(client, email)
    token = csrf(client, "/sign-in/code")
    return client.post("/sign-in/code", data={"csrf_token": token, "code": second_factor_code(client.application, email)})


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf(client, path: str) -> str:
    found = CSRF.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1) or found.group(2)


def test_a_candidate_becomes_findable_and_answers_interest_and_an_offer_on_the_page(app, client, make_account):
    candidate = make_account()
    assert client.put("/api/v1/me/profile", json=sample_profile(),
                      headers=candidate["headers"]).status_code == 200
    browser = app.test_client()
    sign_in_page(browser, candidate["email"])
    assert 'href="/hiring"' in browser.get("/account").get_data(as_text=True)  # reached from the account
    page = browser.get("/hiring")
    assert page.status_code == 200 and "Let employers find me" in page.get_data(as_text=True)
    token = csrf(browser, "/hiring")
    assert browser.post("/hiring/findability", data={"findable": "yes", "csrf_token": token}).status_code == 303
    assert client.get("/api/v1/me/findability", headers=candidate["headers"]).get_json()["findable"] is True

    employer = verified_employer(app, client, make_account("official", "DE"))
    vacancy_id = published_vacancy(client, employer)
    [match] = matches_of(client, employer, vacancy_id)
    interest = client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/interests",
                           json={"candidate": match["reference"], "message": "Talk to us?"},
                           headers=employer["headers"]).get_json()["interest"]
    token = csrf(browser, "/hiring")
    unticked = browser.post(f"/hiring/interests/{interest['id']}/accept", data={"csrf_token": token})
    assert unticked.status_code == 422 and "error-summary" in unticked.get_data(as_text=True)
    ticked = browser.post(f"/hiring/interests/{interest['id']}/accept",
                          data={"csrf_token": token, "consent_to_share": "yes"})
    assert ticked.status_code == 303
    offer = client.post("/api/v1/employers/me/offers", json={"interest": interest["id"]},
                        headers=employer["headers"]).get_json()
    assert browser.post(f"/hiring/offers/{offer['id']}/accept", data={"csrf_token": token}).status_code == 303
    [shown] = client.get("/api/v1/me/offers", headers=candidate["headers"]).get_json()
    assert shown["verified"] is True
    assert "a verified offer" in browser.get("/hiring").get_data(as_text=True)


def test_the_employer_sees_pseudonymous_matches_and_the_official_the_states_offers(app, client, make_account):
    official = make_account("official", "DE")
    candidate = findable_candidate(client, make_account)
    employer = verified_employer(app, client, official)
    vacancy_id = published_vacancy(client, employer)
    browser = app.test_client()
    sign_in_page(browser, employer["email"], employer["body"]["password"])
    editor = browser.get(f"/employer/vacancies/{vacancy_id}").get_data(as_text=True)
    assert f'href="/employer/vacancies/{vacancy_id}/matches"' in editor  # the published vacancy's matches
    page = browser.get(f"/employer/vacancies/{vacancy_id}/matches")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "M-" in text and candidate["email"] not in text and "1994" not in text
    token = csrf(browser, f"/employer/vacancies/{vacancy_id}/matches")
    [match] = matches_of(client, employer, vacancy_id)
    empty = browser.post(f"/employer/vacancies/{vacancy_id}/interests",
                         data={"csrf_token": token, "candidate": match["reference"], "message": " "})
    assert empty.status_code == 422
    sent = browser.post(f"/employer/vacancies/{vacancy_id}/interests",
                        data={"csrf_token": token, "candidate": match["reference"], "message": "Hello"})
    assert sent.status_code == 303
    assert browser.get("/employer/vacancies/999999/matches").status_code == 404

    answered = client.get("/api/v1/me/interests", headers=candidate["headers"]).get_json()[0]
    client.post(f"/api/v1/me/interests/{answered['id']}/acceptance", json={"consent_to_share": True},
                headers=candidate["headers"])
    assert candidate["email"] in browser.get(f"/employer/vacancies/{vacancy_id}/matches").get_data(as_text=True)
    assert browser.post(f"/employer/vacancies/{vacancy_id}/offers",
                        data={"csrf_token": token, "interest": answered["id"]}).status_code == 303
    [offer] = client.get("/api/v1/employers/me/offers", headers=employer["headers"]).get_json()

    console = app.test_client()
    assert sign_in_both_steps(console, official["email"]).status_code == 303
    listed = console.get("/official/offers")
    assert listed.status_code == 200 and "Backend developer" in listed.get_data(as_text=True)
    token = csrf(console, "/official/offers")
    assert console.post(f"/official/offers/{offer['id']}/withdrawal", data={"csrf_token": token}).status_code == 422
    assert console.post(f"/official/offers/{offer['id']}/withdrawal",
                        data={"csrf_token": token, "reason": "Fees asked of the candidate."}).status_code == 303
    [offer] = client.get("/api/v1/employers/me/offers", headers=employer["headers"]).get_json()
    assert offer["status"] == "withdrawn"
