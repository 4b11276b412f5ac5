"""Hostile JSON, security headers, the self-served docs page, the production secret, private files.

Each of these was missing before (issue 9): a body nested 1,000 deep was a 500 on every JSON route,
a lone surrogate a 500 on PostgreSQL, no response had a CSP, tokens and exports could be cached,
/api/docs came from a CDN, production started with the development secret, and the SQLite file
was world-readable.
"""
import json
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PASSWORD, TEST_SETTINGS, free_port, sample_profile
from hypothesis import given
from hypothesis import strategies as st

from app import create_app
from app.config import ConfigurationError, require_production_secret
from app.migrate import upgrade
from app.requests import MAX_JSON_DEPTH, json_depth

ROOT = Path(__file__).resolve().parents[2]
ERROR_KEYS = {"code", "status", "message", "errors"}


def nested(depth: int) -> str:
    """A JSON text of `depth` arrays one inside the other."""
    return "[" * depth + "]" * depth


def send(client, method, path, text, headers=None):
    return client.open(path, method=method, data=text, content_type="application/json", headers=headers or {})


# --- JSON nesting --------------------------------------------------------------------------

def reference_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(reference_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(reference_depth, value.values()), default=0)
    return 0


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\x ,:'),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                           max_leaves=30)


@given(json_values)
def test_the_depth_counted_on_raw_bytes_is_the_nesting_of_the_parsed_value(value):
    assert json_depth(json.dumps(value).encode()) == reference_depth(value)


def test_a_body_nested_a_thousand_levels_is_a_422_on_every_kind_of_route(client, make_account):
    candidate, official = make_account(), make_account("official", "DE")
    routes = [("POST", "/api/v1/accounts", None), ("POST", "/api/v1/tokens", None),
              ("PUT", "/api/v1/me/profile", candidate), ("PUT", "/api/v1/states/DE/ceiling", official),
              ("POST", "/api/v1/states/DE/rounds", official)]
    for body in (nested(1000), '{"a":' * 1000 + "1" + "}" * 1000, '{"email": ' + nested(1000) + "}"):
        for method, path, who in routes:
            response = send(client, method, path, body, who and who["headers"])
            payload = response.get_json()
            assert response.status_code == 422, (path, response.status_code, payload)
            assert set(payload) == ERROR_KEYS and "levels deep" in payload["message"]
            assert payload["errors"] == {"json": {"_schema": [payload["message"]]}}


def test_the_nesting_limit_is_exact_and_brackets_in_strings_do_not_count(client):
    at_limit = send(client, "POST", "/api/v1/accounts", nested(MAX_JSON_DEPTH))
    assert at_limit.status_code == 422 and "levels deep" not in at_limit.get_json()["message"]  # the schema's refusal
    assert "levels deep" in send(client, "POST", "/api/v1/accounts", nested(MAX_JSON_DEPTH + 1)).get_json()["message"]
    bracketed = json.dumps({"email": "[" * 5000 + "@example.eu", "password": "{" * 40})
    assert "levels deep" not in send(client, "POST", "/api/v1/accounts", bracketed).get_json()["message"]


# --- NUL and lone surrogates -----------------------------------------------------------------

@pytest.mark.parametrize("bad", ["\ud800", "x\udfffy", "nul\x00here"])
def test_a_lone_surrogate_or_nul_in_a_value_is_a_422_naming_the_field(client, candidate, bad):
    profile = sample_profile()
    profile["languages"][0]["language"] = bad
    response = send(client, "PUT", "/api/v1/me/profile", json.dumps(profile), candidate["headers"])
    payload = response.get_json()
    assert response.status_code == 422, payload
    assert set(payload) == ERROR_KEYS
    assert list(payload["errors"]["json"]) == ["languages"]
    assert list(payload["errors"]["json"]["languages"]["0"]) == ["language"]
    assert "NUL" in payload["errors"]["json"]["languages"]["0"]["language"][0]
    anonymous = send(client, "POST", "/api/v1/accounts", json.dumps({"email": f"a{bad}@example.eu", "password": PASSWORD}))
    assert anonymous.status_code == 422 and list(anonymous.get_json()["errors"]["json"]) == ["email"]


@pytest.mark.parametrize("bad", ["\ud83d", "\x00"])
def test_a_lone_surrogate_or_nul_in_a_key_is_a_422_naming_the_key(client, bad):
    body = json.dumps({"email": "k@example.eu", "password": PASSWORD, f"pass{bad}word": 1})
    response = send(client, "POST", "/api/v1/tokens", body)
    payload = response.get_json()
    assert response.status_code == 422, payload
    assert payload["errors"] == {"json": {"pass\ufffdword": [payload["errors"]["json"]["pass\ufffdword"][0]]}}
    assert "key" in payload["errors"]["json"]["pass\ufffdword"][0]


def test_a_surrogate_pair_is_an_ordinary_character(client):
    body = json.dumps({"email": "emoji\U0001F600@example.eu", "password": PASSWORD})  # sent as \\ud83d\\ude00
    assert "\\ud83d\\ude00" in body
    response = send(client, "POST", "/api/v1/accounts", body)
    assert response.status_code != 500 and "NUL" not in json.dumps(response.get_json())


# --- Security headers and caching ------------------------------------------------------------

def directives(policy: str) -> dict:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_every_response_carries_the_security_headers(client, candidate):
    responses = [client.get("/healthz"), client.get("/api/v1/states"), client.get("/no/such/page"),
                 client.post("/api/v1/accounts", json={}), client.get("/api/v1/me/profile"),
                 client.get("/api/v1/me/profile", headers=candidate["headers"]), client.get("/api/docs"),
                 client.get("/api/openapi.json")]
    for response in responses:
        headers = response.headers
        policy = directives(headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert policy["form-action"] == ["'self'"] and policy["script-src"] == ["'self'"]
        relaxed = {"style-src", "img-src"} if response.request.path == "/api/docs" else set()
        assert not any("unsafe" in source or source == "data:"
                       for name, sources in policy.items() if name not in relaxed for source in sources)
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_personal_and_secret_answers_are_never_stored(client, candidate):
    headers = candidate["headers"]
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=headers).status_code == 200
    secret = [client.post("/api/v1/tokens", json={"email": candidate["email"], "password": PASSWORD}),
              client.post("/api/v1/tokens", json={"email": candidate["email"], "password": "wrong"}),
              client.get("/api/v1/me/profile", headers=headers), client.get("/api/v1/me/export", headers=headers),
              client.get("/api/v1/me/invitations", headers=headers), client.get("/api/v1/states", headers=headers),
              client.get("/api/v1/me/profile", headers={"Authorization": "Bearer not-a-token"}),
              client.delete("/api/v1/tokens/current", headers=headers)]
    for response in secret:
        assert response.headers["Cache-Control"] == "no-store", (response.request.path, response.status_code)
    assert "no-store" not in client.get("/api/v1/states").headers.get("Cache-Control", "")


def test_hsts_only_over_https_and_forwarded_https_only_from_a_trusted_proxy(database_url):
    forwarded = {"X-Forwarded-Proto": "https"}
    direct = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url}).test_client()
    assert "max-age=" in direct.get("/healthz", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in direct.get("/healthz", headers=forwarded).headers
    proxied = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url, "TRUSTED_PROXIES": 1}).test_client()
    assert "max-age=" in proxied.get("/healthz", headers=forwarded).headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in proxied.get("/healthz").headers


# --- Swagger UI from our own origin ----------------------------------------------------------

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.references, self.inline_scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.references += [attributes[name] for name in ("src", "href") if attributes.get(name)]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def test_the_docs_page_uses_only_same_origin_assets_that_are_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = Page()
    page.feed(response.get_data(as_text=True))
    assert page.inline_scripts == []
    assert "<style" not in response.get_data(as_text=True)
    assert page.references and all(reference.startswith("/") and not reference.startswith("//")
                                   for reference in page.references), page.references
    kinds = {}
    for reference in page.references:
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        kinds[reference.rsplit(".", 1)[-1]] = asset.mimetype
        asset.close()
    assert kinds == {"css": "text/css", "js": "text/javascript", "json": "application/json"}
    element = re.search(r'data-spec-url="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert client.get(element).get_json()["openapi"].startswith("3.")


# --- The production secret -------------------------------------------------------------------

def production_app(tmp_path, **settings):
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/unused.sqlite3", **settings})


@pytest.mark.parametrize("key", ["dev-only-not-secret", "", "short-but-not-default"])
def test_production_refuses_a_development_or_weak_secret_and_says_how_to_set_one(tmp_path, key):
    with pytest.raises(ConfigurationError, match="TALENTPOOL_SECRET_KEY=.*secrets.token_hex"):
        require_production_secret(production_app(tmp_path, SECRET_KEY=key))


@pytest.mark.parametrize("settings", [{"ENV": "development"}, {"TESTING": True}, {"DEBUG": True},
                                      {"SECRET_KEY": "k" * 32}])
def test_development_testing_or_a_real_secret_may_start(tmp_path, settings):
    require_production_secret(production_app(tmp_path, **settings))


def test_gunicorn_with_the_shipped_configuration_will_not_start_on_the_development_secret(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("TALENTPOOL_")}
    env.update(TALENTPOOL_DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3", TALENTPOOL_BIND=f"127.0.0.1:{free_port()}")
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "TALENTPOOL_SECRET_KEY=" in result.stdout + result.stderr


# --- Files only their owner can read ---------------------------------------------------------

def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_sqlite_database_and_its_wal_files_are_created_for_the_owner_only(tmp_path):
    path = tmp_path / "new.sqlite3"
    previous = os.umask(0)  # as loose as a careless service manager: the modes must not come from it
    try:
        app = create_app({**TEST_SETTINGS, "DATABASE_URL": f"sqlite:///{path}"})
        with app.app_context():
            upgrade()
        with app.extensions["talentpool.engine"].connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM account").one()
            files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
            assert {file.name: mode(file) for file in files} == {file.name: 0o600 for file in files}
        app.extensions["talentpool.engine"].dispose()
    finally:
        os.umask(previous)


def test_the_instance_folder_is_for_the_owner_only(app):
    assert mode(app.instance_path) == 0o700
