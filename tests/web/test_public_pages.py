"""The public pages through the Flask test client, on both databases: what each page says, in
which language, under which headers; the error pages; CSRF; the browser session cookie."""
from __future__ import annotations

import re

import pytest
from rounds.rounds_helpers import add_pool, due_rounds, rank, run_due, set_ceiling

from app.security_headers import CONTENT_SECURITY_POLICY

PAGES = ["/", "/grid", "/rounds", "/pool", "/states", "/states/DE"]


@pytest.fixture
def held_round(app):
    """A ranked pool and one completed German round; returns the round's key."""
    add_pool(app, 200, seed=3)
    rank(app)
    set_ceiling(app, "DE", 100)
    keys = due_rounds(app, {"DE": 9})
    run_due(app)
    return keys[0]


def h1(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_in_the_language_asked(client, held_round, path, lang):
    response = client.get(f"{path}?lang={lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert f'<html lang="{lang}">' in html and len(h1(html)) == 1
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    # Under the strict CSP: no inline script or style anywhere.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " style=" not in html and "<style" not in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_the_language_follows_the_browser_then_the_cookie(client):
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"}).get_data(True)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "pl"}).get_data(True)  # not offered yet
    response = client.get("/?lang=de", headers={"Accept-Language": "fr"})
    assert "lang=de" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert '<html lang="de">' in client.get("/rounds", headers={"Accept-Language": "fr"}).get_data(True)


def test_state_and_language_names_come_from_cldr(client):
    html = client.get("/states/DE?lang=fr").get_data(as_text=True)
    assert h1(html) == ["Allemagne"] and "allemand" in html
    assert "Logiciels" in html or "logiciels" in html  # the French ISCO title of a German shortage occupation
    german = client.get("/states/DE?lang=de").get_data(as_text=True)
    assert "Softwareentwickler" in german and "Software developers" not in german  # German titles below the major groups


def test_the_home_page_lists_the_states_and_the_latest_rounds(client, held_round):
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/states/') == 27  # every state (the rounds table names states without links)
    assert f'href="/rounds/{held_round}"' in html


def test_a_round_page_shows_what_it_was_computed_from_and_how_to_verify_it(client, held_round):
    published = client.get(f"/api/v1/rounds/{held_round}").get_json()
    html = client.get(f"/rounds/{held_round}").get_data(as_text=True)
    assert published["input_hash"] in html and f"flask --app app rounds verify {held_round}" in html
    assert f"<dd>{published['cutoff']['score']}</dd>" in html and f"<dd>{published['invited']}</dd>" in html
    assert client.get("/rounds/20991231T0000Z-DE").status_code == 404


def test_the_pool_page_shows_what_the_api_publishes(client, held_round):
    distribution = client.get("/api/v1/pool/distribution").get_json()
    html = client.get("/pool").get_data(as_text=True)
    germany = next(s for s in distribution["states"] if s["state"] == "DE")
    assert f'id="state-DE"' in html and "<svg" in html
    for bucket in germany["buckets"]:
        if bucket["candidates"] is not None:
            assert f'<td class="numeric">{bucket["candidates"]}</td>' in html
    assert ("fewer than 10" in html) == any(b["fewer_than_10"] for s in distribution["states"] for b in s["buckets"])


def test_the_states_page_shows_the_ceiling_used(client, held_round):
    html = client.get("/states/DE").get_data(as_text=True)
    assert "<dd>100</dd>" in html and "<dd>9</dd>" in html and "<dd>91</dd>" in html  # ceiling, issued, left
    assert client.get("/states/XX").status_code == 404


def test_pages_fail_with_html_and_the_api_with_json(client):
    page = client.get("/no-such-page?lang=de")
    assert page.status_code == 404 and page.mimetype == "text/html" and "Seite nicht gefunden" in page.get_data(True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.get_json()["code"] == 404
    wrong_method = client.delete("/grid")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    assert wrong_method.mimetype == "text/html"


def test_a_page_form_without_its_csrf_token_is_refused_and_the_api_needs_none(app, client):
    @app.post("/web-test-form")
    def posted():
        return "stored"

    refused = client.post("/web-test-form", data={"name": "x"})
    assert refused.status_code == 400 and "This form has expired" in refused.get_data(True)
    api = client.post("/api/v1/accounts", json={"email": "csrf@example.eu", "password": "a long password here"})
    assert api.status_code == 202


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app):
    from flask import session

    @app.get("/web-test-session")
    def touch():
        session["seen"] = True
        return "ok"

    plain = app.test_client().get("/web-test-session").headers["Set-Cookie"]
    assert plain.startswith("talentpool_session=") and "HttpOnly" in plain and "SameSite=Lax" in plain
    assert "Secure" not in plain
    secure = app.test_client().get("/web-test-session", base_url="https://localhost").headers["Set-Cookie"]
    assert "Secure" in secure
