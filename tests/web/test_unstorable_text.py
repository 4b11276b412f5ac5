"""Text no database can store (a NUL; a lone surrogate) in any field of any page form: a 422 with
the message on that field, never a 500. PostgreSQL refuses a NUL in text, so these fail there first.

Every form of the pages is listed in FORMS with the fields it posts; `test_every_page_form_is_listed`
fails when a page gains a form that is not, so the list cannot fall behind.
"""
from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, sample_profile
from profile_form_posts import csrf_token, form_post
from test_candidate_pages import EMAIL, register, save, sign_in

from app.web import forms

NUL = "\x00"
# A lone surrogate as a browser would send it: its UTF-8-style bytes, percent-encoded.
SURROGATE = "%ED%A0%80"
MESSAGE = "This text has a character that cannot be stored"


def _profile_fields() -> dict:
    return {key: value for key, value in form_post(sample_profile(), "").items() if key not in ("csrf_token", "action")}


# path (with what it needs: "signed in", "profile", "invitation"), the fields a person types into
FORMS = {
    "/register": ({"email": EMAIL, "password": PASSWORD}, ()),
    "/sign-in": ({"email": EMAIL, "password": PASSWORD, "next": "/profile"}, ()),
    "/account/erase": ({"password": PASSWORD}, ("signed in",)),
    "/profile": ({**_profile_fields(), "action": "save"}, ("signed in",)),
    "/calculator": ({**_profile_fields(), "action": "save"}, ()),
    "/profile/withdraw": ({}, ("signed in", "profile")),
}


def _signed_in(client):
    assert register(client).status_code == 303 and sign_in(client).status_code == 303


def _post(client, path: str, data: dict, raw: str | None = None):
    token = csrf_token(client.get(path).text)
    if raw is None:
        return client.post(path, data={**data, "csrf_token": token})
    body = "&".join(f"{key}={value}" for key, value in {**data, "csrf_token": token}.items() if key != raw[0])
    return client.post(path, data=f"{body}&{raw[0]}={raw[1]}", content_type="application/x-www-form-urlencoded")


def _cases():
    for path, (fields, needs) in FORMS.items():
        for name in fields:
            if name != "action":
                yield pytest.param(path, name, id=f"{path}:{name}")


@pytest.mark.parametrize("path, name", list(_cases()))
def test_a_nul_in_any_field_is_refused_on_that_field(client, path, name):
    fields, needs = FORMS[path]
    if "signed in" in needs:
        _signed_in(client)
    if "profile" in needs:
        assert save(client, sample_profile()).status_code == 303
    data = {**fields, name: f"{fields[name]}{NUL}"}
    response = _post(client, path, data)
    assert response.status_code == 422, response.text[:500]
    assert MESSAGE in response.text
    if name in fields:  # the message is on the field, linked from the summary
        assert re.search(rf'href="#{re.escape(name)}[^"]*"', response.text)


@pytest.mark.parametrize("path", ["/register", "/sign-in", "/calculator"])
def test_a_lone_surrogate_never_reaches_the_service(client, path):
    fields, _needs = FORMS[path]
    name = next(iter(fields))
    response = _post(client, path, fields, raw=(name, f"ab{SURROGATE}cd"))
    assert response.status_code in (200, 303, 401, 422) and response.status_code < 500


def test_every_page_form_is_listed(app):
    posting = {rule.rule for rule in app.url_map.iter_rules()
               if "POST" in (rule.methods or ()) and forms.is_page_request_path(rule.rule)
               and not rule.rule.startswith("/official")}  # the console's own tests cover its forms
    buttons_only = {"/invitations/<int:invitation_id>/<answer>", "/profile/renew", "/sign-out"}
    assert posting - buttons_only == set(FORMS)
