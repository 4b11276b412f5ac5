"""Text no database can store (a NUL; a lone surrogate) in any field of any page form: a 422 with
the message on that field, never a 500. PostgreSQL refuses a NUL in text, so these fail there first.

The forms whose views put the message on the field are listed in FORMS with the fields they post;
every other page form is refused by the CSRF hook's safety net before its view runs (a 422 page).
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


def test_every_other_page_form_refuses_unstorable_text_before_its_view(app, client):
    """The forms not in FORMS (the account's security pages, the two-factor steps, the console's)
    do not put the message on a field themselves: the CSRF hook's safety net answers 422 for them,
    whoever posts, before any view can hand the text to the database."""
    posting = {rule.rule for rule in app.url_map.iter_rules()
               if "POST" in (rule.methods or ()) and forms.is_page_request_path(rule.rule)}
    others = sorted(posting - set(FORMS))
    assert set(FORMS) <= posting and len(others) >= 10
    refused = {}
    for rule in others:
        path = re.sub(r"<int[^>]*>", "1", re.sub(r"<(?:string[^:]*:)?(\w+)>", "x", rule))
        refused[rule] = client.post(path, data={"text": f"a{NUL}b"}).status_code
    assert refused == {rule: 422 for rule in others}
