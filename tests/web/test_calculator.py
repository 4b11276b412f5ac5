"""The calculator: the full form, no account, nothing stored, and the API's numbers for any profile."""
from __future__ import annotations

import re

from conftest import sample_profile
from strategies_eu import profile, within_working_age
from hypothesis import HealthCheck, given, settings
from profile_form_posts import csrf_token, form_post, numbers, summary
from sqlmodel import func, select

from app import clock, db
from app.profiles.models import Profile


def calculate(client, document):
    token = csrf_token(client.get("/calculator").text)
    return client.post("/calculator", data=form_post(document, token))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Denmark does not take part (Protocol 22): the service refuses it as a preference, the engine does not.
@given(document=profile(clock.today()).map(lambda document: within_working_age(document, clock.today()))
       .filter(lambda document: "DK" not in document["preferences"]))
def test_the_calculator_gives_the_apis_numbers(client, candidate, document):
    page = calculate(client, document)
    assert page.status_code == 200, summary(page.text)
    api = client.put("/api/v1/me/profile", json=document, headers=candidate["headers"])
    assert api.status_code == 200
    score = api.get_json()["score"]
    shown = numbers(page.text)
    assert shown["total"] == score["total"]
    assert shown["eligible"] is score["eligible"]
    assert shown["factors"] == {k: v for k, v in score["breakdown"].items() if k in shown["factors"]}
    assert shown["states"] == {s["state"]: s["total"] for s in score["states"]}
    additions = dict(re.findall(r'data-addition="([a-z_]+)">(\d+)<', page.text.split('data-state="')[1]))
    assert {k: int(v) for k, v in additions.items()} == score["states"][0]["additions"]


def test_nothing_is_stored_and_no_account_is_needed(app, client):
    page = calculate(client, sample_profile())
    assert page.status_code == 200 and "Your result" in page.text
    assert numbers(page.text)["total"] == 404
    with app.app_context():
        assert db.session().exec(select(func.count()).select_from(Profile)).one() == 0


def test_the_calculator_says_why_and_where_it_stands(app, client):
    young = calculate(client, sample_profile(date_of_birth="2015-01-01", experience=[]))
    assert "You must be at least 18 years old." in young.text
    assert 'data-eligible="no"' in young.text
    assert "No round yet" in young.text


def test_bad_answers_are_on_the_fields(client):
    token = csrf_token(client.get("/calculator").text)
    page = client.post("/calculator", data={**form_post(sample_profile(), token), "experience-0-years": "0"})
    assert page.status_code == 422
    assert summary(page.text) == {"experience-0-years": "Enter a whole number from 1 to 50."}
    assert "Your result" not in page.text


def test_the_form_and_its_messages_are_in_the_pages_language(client):
    for lang, expected, heading in (("fr", "Saisissez un nombre entier de 1 à 50.", "Calculateur de points"),
                                    ("de", "Geben Sie eine ganze Zahl von 1 bis 50 ein.", "Punkterechner")):
        page = client.get(f"/calculator?lang={lang}")
        assert f"<h1>{heading}</h1>" in page.text
        refused = client.post("/calculator", data={**form_post(sample_profile(), csrf_token(page.text)),
                                                   "experience-0-years": "99"})
        assert summary(refused.text) == {"experience-0-years": expected}
        result = client.post("/calculator", data=form_post(sample_profile(date_of_birth="2015-01-01", experience=[]),
                                                           csrf_token(page.text)))
        assert {"fr": "Vous devez avoir au moins 18 ans.", "de": "Sie müssen mindestens 18 Jahre alt sein."}[lang] \
            in result.text
