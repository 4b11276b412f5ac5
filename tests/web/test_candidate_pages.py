"""The candidate's pages over real databases: every page, every refusal, and the same numbers as the API."""
from __future__ import annotations

import json
import re

import pytest
from conftest import PASSWORD, sample_profile
from mailed_links import follow_verification
from profile_form_posts import csrf_token, form_post, numbers, summary
from rounds.rounds_helpers import due_rounds, rank, run_due
from console_sign_in import sign_in as official_sign_in
from reference import eu as reference

from app import clock

EMAIL = "ana@example.eu"
def register(client, email=EMAIL, password=PASSWORD):
    token = csrf_token(client.get("/register").text)
    return client.post("/register", data={"csrf_token": token, "email": email, "password": password})


def sign_in(client, email=EMAIL, password=PASSWORD, next_page=""):
    token = csrf_token(client.get("/sign-in").text)
    return client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password, "next": next_page})


@pytest.fixture
def signed_in(app, client):
    assert register(client).status_code == 303
    assert follow_verification(app, client).status_code == 200
    assert sign_in(client).status_code == 303
    return client


def save(client, document, **changes):
    token = csrf_token(client.get("/profile").text)
    return client.post("/profile", data={**form_post(document, token), **changes})


def api_headers(client, email=EMAIL):
    body = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).get_json()
    return {"Authorization": f"Bearer {body['token']}"}


def test_register_sign_in_fill_the_profile_and_see_the_apis_score(signed_in):
    client = signed_in
    response = save(client, sample_profile())
    assert response.status_code == 303 and response.headers["Location"].endswith("/profile/score")
    page = client.get("/profile/score")
    assert page.status_code == 200
    api = client.get("/api/v1/me/profile", headers=api_headers(client)).get_json()["score"]
    shown = numbers(page.text)
    assert shown["total"] == api["total"] and shown["eligible"] is api["eligible"]
    assert shown["factors"] == {k: v for k, v in api["breakdown"].items() if k in shown["factors"]}
    assert len(shown["factors"]) == 10
    assert shown["states"] == {s["state"]: s["total"] for s in api["states"]}
    # The form comes back filled with what was saved.
    form = client.get("/profile").text
    assert 'value="2512"' in form and 'value="1994"' in form and '<option selected value="C1">' in form


def test_the_score_page_shows_last_nights_total_and_rank_beside_todays(app, signed_in):
    """A profile changed after the nightly ranking: today's total at each state moves at once, the
    total the ranking scored (what rounds allocate from) stays last night's until the next one."""
    client = signed_in
    assert save(client, sample_profile()).status_code == 303
    assert set(numbers(client.get("/profile/score").text)["ranked"].values()) == {None}  # not ranked yet
    rank(app)
    assert save(client, sample_profile(talent_partnership=True)).status_code == 303
    page = client.get("/profile/score").text
    shown = numbers(page)
    today = clock.today()
    for state in ("DE", "NL", "IE"):
        assert shown["ranked"][state] == state_total(sample_profile(), state, today)
        assert shown["states"][state] == state_total(sample_profile(talent_partnership=True), state, today)
    assert shown["ranked"] != shown["states"]
    assert len(re.findall(r"data-rank>\d+<", page)) == 3


def state_total(profile: dict, state: str, as_of) -> int | None:
    """The plain reference's total at `state` (tests/reference/eu.py, not the service's scoring)."""
    return next(entry["total"] for entry in reference.score(profile, as_of)["states"] if entry["state"] == state)


def test_registration_refusals_are_on_the_fields(client):
    response = register(client, email="not an address", password="short")
    assert response.status_code == 422
    assert set(summary(response.text)) == {"email", "password"}
    assert 'value="not an address"' in response.text  # what was typed stays
    first = register(client)
    again = register(client)  # a known address: the same answer (its owner gets a mail)
    assert first.status_code == again.status_code == 303 and first.headers["Location"] == again.headers["Location"]


def test_a_wrong_password_is_refused_and_counted(client):
    register(client)
    response = sign_in(client, password="wrong password!")
    assert response.status_code == 401
    assert summary(response.text) == {"email": "The email address or the password is wrong."}


def test_signing_in_rotates_the_session_and_follows_only_local_next_pages(client):
    register(client)
    before = csrf_token(client.get("/sign-in").text)
    response = sign_in(client, next_page="//evil.example/")
    assert response.headers["Location"].endswith("/account")
    # The token from before sign-in no longer works: the session was replaced.
    refused = client.post("/profile", data=form_post(sample_profile(), before))
    assert refused.status_code == 400 and "This form has expired" in refused.text
    assert sign_in(client, next_page="/profile/score").headers["Location"].endswith("/profile/score")


def test_pages_ask_to_sign_in_first_and_come_back(client):
    response = client.get("/profile/score")
    assert response.status_code == 303
    assert "/sign-in?next=/profile/score" in response.headers["Location"]
    for path in ("/account", "/profile", "/invitations", "/account/export", "/account/erase", "/profile/withdraw"):
        assert client.get(path).status_code == 303, path


@pytest.mark.parametrize("path", ["/profile", "/calculator", "/profile/renew", "/profile/withdraw", "/sign-out",
                                  "/account/erase", "/invitations/1/accept"])
def test_a_form_without_its_csrf_token_is_refused(signed_in, path):
    response = signed_in.post(path, data=form_post(sample_profile(), token="forged"))
    assert response.status_code == 400
    assert "This form has expired" in response.text


def test_bad_answers_come_back_on_their_fields_and_nothing_is_stored(signed_in):
    client = signed_in
    response = save(client, sample_profile(), **{
        "education_level": "", "languages-0-reading": "", "experience-0-years": "a lot",
        "date_of_birth-month": "13", "experience-0-occupation": "25"})
    assert response.status_code == 422
    problems = summary(response.text)
    assert problems == {
        "date_of_birth-day": "Enter a real date in the past, after 1900, as day, month and year in numbers.",
        "education_level": "Choose your highest qualification.",
        "languages-0-reading": "Choose a level.",
        "experience-0-occupation": "Enter a code of 4 digits, or type words from the occupation's name and press “Find”.",
        "experience-0-years": "Enter a whole number from 1 to 50.",
    }
    assert 'value="a lot"' in response.text and 'value="13"' in response.text  # nothing lost
    assert 'aria-invalid="true"' in response.text
    assert client.get("/api/v1/me/profile", headers=api_headers(client)).status_code == 404


def test_repeats_and_engine_refusals_use_the_same_rules_as_the_api(signed_in):
    client = signed_in
    twice = save(client, sample_profile(preferences=["DE", "DE"]))
    assert twice.status_code == 422
    assert summary(twice.text) == {"preferences-1": "You have chosen this member state more than once."}
    none = save(client, sample_profile(preferences=[]))
    assert summary(none.text) == {"preferences-0": "Choose at least 1 member state."}
    future = save(client, sample_profile(date_of_birth="2999-01-01"))
    assert future.status_code == 422
    assert summary(future.text) == {
        "date_of_birth-day": "Enter a real date in the past, after 1900, as day, month and year in numbers."}
    api = client.put("/api/v1/me/profile", json=sample_profile(date_of_birth="2999-01-01"), headers=api_headers(client))
    assert api.status_code == 422


def test_add_remove_and_find_change_the_form_without_storing(signed_in):
    client = signed_in
    two = sample_profile(languages=[sample_profile()["languages"][0],
                                    {"language": "de", "listening": "B1", "reading": "B1", "speaking": "A2", "writing": "A2"}])
    added = save(client, two, action="add:languages")
    assert added.status_code == 200
    assert 'id="languages-2-language"' in added.text and 'id="languages-3-language"' not in added.text
    removed = save(client, two, action="remove:languages:0")
    assert '<option selected value="de">' in removed.text and '<option selected value="en">' not in removed.text
    found = save(client, sample_profile(), action="find:experience-0-occupation", **{"experience-0-occupation": "software"})
    assert found.status_code == 200
    assert re.findall(r'name="experience-0-occupation" id="[^"]+" value="(\d{4})"', found.text)[:2] == ["2512", "2519"]
    six = sample_profile(languages=[{"language": code, "listening": "B1", "reading": "B1", "speaking": "B1", "writing": "B1"}
                                    for code in ("en", "de", "fr", "it", "es", "nl")])
    full = save(client, six, action="add:languages")
    assert 'id="languages-5-language"' in full.text and 'id="languages-6-language"' not in full.text
    assert 'value="add:languages"' not in full.text  # the grid's limit: 6
    assert client.get("/api/v1/me/profile", headers=api_headers(client)).status_code == 404


def test_occupation_suggestions_come_as_json_in_the_pages_language(client):
    english = client.get("/occupations.json?q=nurs").get_json()
    assert {"code": "2221", "title": "Nursing professionals", "lang": "en"} in english
    french = client.get("/occupations.json?q=infirm&lang=fr").get_json()
    assert any(item["code"] == "2221" and item["lang"] == "fr" for item in french)
    assert client.get("/occupations.json?q=a").get_json() == []


def test_renew_and_withdraw(signed_in):
    client = signed_in
    save(client, sample_profile())
    token = csrf_token(client.get("/profile/score").text)
    renewed = client.post("/profile/renew", data={"csrf_token": token}, follow_redirects=True)
    assert "Your profile is confirmed until" in renewed.text
    warning = client.get("/profile/withdraw")
    assert "You will lose your place in the queue." in warning.text
    left = client.post("/profile/withdraw", data={"csrf_token": csrf_token(warning.text)}, follow_redirects=True)
    assert "You have left the pool" in left.text
    assert client.get("/api/v1/me/profile", headers=api_headers(client)).status_code == 404
    assert client.get("/profile/score").status_code == 404
    token = csrf_token(client.get("/account").text)
    refused = client.post("/profile/renew", data={"csrf_token": token}, follow_redirects=True)
    assert "Only a profile that is in the pool" in refused.text


def invited(app, client):
    """The signed-in candidate's profile saved, ranked and drawn in a DE round of 5."""
    assert save(client, sample_profile()).status_code == 303
    rank(app)
    due_rounds(app, {"DE": 5})
    run_due(app)
    found = re.findall(r"/invitations/(\d+)/accept", client.get("/invitations").text)
    assert len(found) == 1
    return int(found[0])


def test_accepting_an_invitation_asks_first_and_says_what_follows(app, signed_in):
    client = signed_in
    invitation = invited(app, client)
    confirm = client.get(f"/invitations/{invitation}/accept")
    assert confirm.status_code == 200
    assert "An invitation is not a permit." in confirm.text and "own procedure" in confirm.text
    assert client.get("/profile").text.count("can no longer change") == 1  # invited: the form is closed
    unticked = client.post(f"/invitations/{invitation}/accept", data={"csrf_token": csrf_token(confirm.text)})
    assert unticked.status_code == 422 and 'href="#consent_to_share"' in unticked.text
    done = client.post(f"/invitations/{invitation}/accept",
                       data={"csrf_token": csrf_token(confirm.text), "consent_to_share": "yes"})
    assert done.status_code == 200 and "You have accepted the invitation" in done.text
    api = client.get("/api/v1/me/invitations", headers=api_headers(client)).get_json()
    assert api[0]["status"] == "accepted"
    again = client.post(f"/invitations/{invitation}/decline", data={"csrf_token": csrf_token(confirm.text)})
    assert again.status_code == 409 and "can no longer be answered" in again.text


def test_declining_keeps_the_place_and_another_persons_invitation_is_not_found(app, signed_in):
    client = signed_in
    invitation = invited(app, client)
    confirm = client.get(f"/invitations/{invitation}/decline")
    assert "keep your place in the queue" in confirm.text
    token = csrf_token(confirm.text)
    # Someone else, signed in, can neither see nor answer it.
    other = app.test_client()
    register(other, email="bo@example.eu")
    sign_in(other, email="bo@example.eu")
    assert other.get(f"/invitations/{invitation}/accept").status_code == 404
    other_token = csrf_token(other.get("/invitations").text)
    assert other.post(f"/invitations/{invitation}/accept", data={"csrf_token": other_token}).status_code == 404
    assert other.get(f"/invitations/{invitation}/maybe").status_code == 404
    done = client.post(f"/invitations/{invitation}/decline", data={"csrf_token": token})
    assert done.status_code == 200 and "You have declined the invitation" in done.text
    assert client.get("/api/v1/me/profile", headers=api_headers(client)).get_json()["status"] == "active"


def test_the_data_export_downloads_the_apis_document(signed_in):
    client = signed_in
    save(client, sample_profile())
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    document = json.loads(response.data)
    api = client.get("/api/v1/me/export", headers=api_headers(client)).get_json()
    assert document["account"] == api["account"] and document["profile"]["score"] == api["profile"]["score"]


def test_erasing_needs_the_password_again(signed_in):
    client = signed_in
    save(client, sample_profile())
    page = client.get("/account/erase")
    wrong = client.post("/account/erase", data={"csrf_token": csrf_token(page.text), "password": "not it at all"})
    assert wrong.status_code == 422 and summary(wrong.text) == {"password": "The password is wrong."}
    empty = client.post("/account/erase", data={"csrf_token": csrf_token(page.text), "password": ""})
    assert empty.status_code == 422
    done = client.post("/account/erase", data={"csrf_token": csrf_token(page.text), "password": PASSWORD})
    assert done.status_code == 200 and "Your account has been erased" in done.text
    assert client.get("/account").status_code == 303  # signed out
    assert sign_in(client).status_code == 401


def test_signing_out_revokes_the_session(signed_in):
    client = signed_in
    cookie = client.get_cookie("talentpool_session").value
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/account").text)})
    assert response.status_code == 200 and "You have signed out" in response.text
    client.set_cookie("talentpool_session", cookie)  # the old cookie, replayed
    assert client.get("/account").status_code == 303


def test_an_official_cannot_use_the_candidate_pages(client, make_account):
    official = make_account("official", "DE")
    assert official_sign_in(client, official["email"]).status_code == 303  # the password, then the code
    assert client.get("/profile").status_code == 403
