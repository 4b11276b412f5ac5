"""The officials' console: who reaches it, where each role lands after signing in, and whose state it shows."""
from __future__ import annotations

from console_sign_in import sign_in
from profile_form_posts import csrf_token


def test_an_official_lands_on_the_console_of_their_own_state(client, make_account):
    official = make_account("official", "DE")
    response = sign_in(client, official["email"])
    assert response.status_code == 303 and response.headers["Location"].endswith("/official/")
    page = client.get("/official/?state=FR")  # an official cannot point the console at another state
    assert page.status_code == 200
    assert "Germany" in page.text and "France" not in page.text
    assert 'href="/official/"' in page.text  # the header links to the console, not the candidate's account


def test_an_administrator_lands_on_the_console_and_a_candidate_is_refused(client, make_account):
    admin = make_account("admin")
    assert sign_in(client, admin["email"]).headers["Location"].endswith("/official/")
    assert "administrator" in client.get("/official/").text
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/official/").text)})
    candidate = make_account()
    assert sign_in(client, candidate["email"]).headers["Location"].endswith("/account")
    assert client.get("/official/").status_code == 403


def test_signed_out_the_console_asks_to_sign_in_and_comes_back(client):
    response = client.get("/official/")
    assert response.status_code == 303 and "/sign-in?next=/official/" in response.headers["Location"]
