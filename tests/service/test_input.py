"""Bad input is refused with a message a person can act on, in one error shape, and never a 500."""
import json

from conftest import sample_profile
from sqlmodel import select

from app import db
from app.profiles.models import Profile

URL = "/api/v1/me/profile"
ERROR_KEYS = {"code", "status", "message", "errors"}

MASS_ASSIGNMENT = {
    "score": 999, "total": 999, "rank": 1, "status": "invited", "candidate_id": 1, "account_id": 2,
    "first_submitted_at": "2000-01-01T00:00:00Z", "expires_at": "2100-01-01T00:00:00Z", "id": 7,
    "eligible": True,
}


def check_refusals(client, who, cases):
    """PUT every (body, field) case; return a line per case not refused with 422 naming `field`."""
    wrong = []
    for body, field in cases:
        response = client.put(URL, json=body, headers=who["headers"])
        payload = response.get_json()
        if response.status_code != 422 or set(payload) != ERROR_KEYS or field not in payload["errors"]["json"]:
            wrong.append(f"{json.dumps(body)[:120]}: {response.status_code} {payload}")
    return wrong


def test_a_candidate_can_never_set_what_the_service_sets(app, client, candidate):
    cases = [({**sample_profile(), key: value}, key) for key, value in MASS_ASSIGNMENT.items()]
    cases.append((sample_profile(languages=[{**sample_profile()["languages"][0], "native": True}]), "languages"))
    cases.append((sample_profile(job_offer={"state": "DE", "occupation": "2512", "salary": 1}), "job_offer"))
    assert not check_refusals(client, candidate, cases)
    with app.app_context():
        assert db.session().exec(select(Profile)).all() == []


def test_unknown_enum_values_and_wrong_types_name_the_field(client, candidate):
    language = sample_profile()["languages"][0]
    cases = [
        (sample_profile(languages=[{**language, "language": "xx"}]), "languages"),
        (sample_profile(languages=[{**language, "language": "EN"}]), "languages"),
        (sample_profile(languages=[{**language, "reading": "D1"}]), "languages"),
        (sample_profile(languages=[{**language, "reading": 5}]), "languages"),
        (sample_profile(preferences=["UK"]), "preferences"),
        (sample_profile(preferences=[]), "preferences"),
        (sample_profile(preferences=["DE", "FR", "IT", "ES", "PL", "NL"]), "preferences"),
        (sample_profile(preferences="DE"), "preferences"),
        (sample_profile(education_level=9), "education_level"),
        (sample_profile(education_level=0), "education_level"),
        (sample_profile(education_level=6.5), "education_level"),
        (sample_profile(education_level="6"), "education_level"),
        (sample_profile(education_level=True), "education_level"),
        (sample_profile(education_level=10**30), "education_level"),
        (sample_profile(experience=[{"occupation": "25a1", "years": 4}]), "experience"),
        (sample_profile(experience=[{"occupation": 2512, "years": 4}]), "experience"),
        (sample_profile(experience=[{"occupation": "2512", "years": 0}]), "experience"),
        (sample_profile(experience=[{"occupation": "2512", "years": 51}]), "experience"),
        (sample_profile(experience=[{"occupation": f"{2500 + i}", "years": 1} for i in range(6)]), "experience"),
        (sample_profile(job_offer={"state": "XX", "occupation": "2512"}), "job_offer"),
        (sample_profile(job_offer="yes"), "job_offer"),
        (sample_profile(eu_study="true"), "eu_study"),
        (sample_profile(eu_work=1), "eu_work"),
        (sample_profile(date_of_birth="17/05/1994"), "date_of_birth"),
        (sample_profile(date_of_birth="1994-02-30"), "date_of_birth"),
        (sample_profile(date_of_birth="1850-01-01"), "date_of_birth"),
        (sample_profile(date_of_birth="2999-01-01"), "date_of_birth"),
        (sample_profile(date_of_birth=None), "date_of_birth"),
        ({k: v for k, v in sample_profile().items() if k != "preferences"}, "preferences"),
    ]
    assert not check_refusals(client, candidate, cases)


def test_bodies_that_are_not_a_json_object(client, candidate):
    headers = {**candidate["headers"], "Content-Type": "application/json"}
    for raw, status in [("{", 400), ("", 422), ("[]", 422), ("null", 422), ('"text"', 422), ("1e999", 422),
                        ('{"a": NaN}', 422), ('{"education_level": NaN}', 422), ("\xff\xfe", 400)]:
        response = client.put(URL, data=raw.encode("latin-1"), headers=headers)
        assert response.status_code == status, (raw, response.status_code, response.get_json())
        assert set(response.get_json()) == ERROR_KEYS


def test_a_body_over_the_limit_is_413_before_parsing(app, client, candidate):
    big = json.dumps(sample_profile(padding="x" * app.config["MAX_CONTENT_LENGTH"]))
    response = client.put(URL, data=big, headers={**candidate["headers"], "Content-Type": "application/json"})
    assert response.status_code == 413
    assert set(response.get_json()) == ERROR_KEYS


def test_a_body_that_is_not_json_is_415(client, candidate):
    response = client.put(URL, data="education_level=6", headers={
        **candidate["headers"], "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert set(response.get_json()) == ERROR_KEYS


def test_unknown_routes_and_methods_use_the_error_shape(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and set(missing.get_json()) == ERROR_KEYS
    wrong_method = client.patch("/api/v1/states")
    assert wrong_method.status_code == 405 and set(wrong_method.get_json()) == ERROR_KEYS
    assert "GET" in wrong_method.headers["Allow"]


def test_an_unexpected_error_is_a_500_in_the_error_shape_without_a_traceback(app, client, candidate, monkeypatch):
    from app.profiles import lifecycle as profiles

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(profiles, "get", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get(URL, headers=candidate["headers"])
    assert response.status_code == 500
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
