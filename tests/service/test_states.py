"""Member states: the public list, and overlays, ceilings and categories for their own officials."""
import datetime as dt
import tomllib
from pathlib import Path

import pytest
import ranking
from conftest import sample_profile

OVERLAYS = Path(ranking.__file__).parent / "grids" / "eu" / "overlays"


def shipped(code: str) -> dict:
    """The shipped overlay with every field an overlay has (the API shows and requires them all)."""
    with (OVERLAYS / f"{code}.toml").open("rb") as handle:
        overlay = tomllib.load(handle)
    return {"description": "", "sources": [], "languages": [], "shortage_occupations": [], "min_total": 0,
            "points": {}, "demo_data": False, **overlay}


def next_ranking_date(now: dt.datetime) -> dt.date:
    """Written out separately from the service: today before 02:00 UTC (RERANK_AT), else tomorrow."""
    return now.date() if now.time() < dt.time(2, 0) else now.date() + dt.timedelta(days=1)


@pytest.fixture
def official_de(make_account):
    return make_account("official", "DE")


@pytest.fixture
def admin(make_account):
    return make_account("admin")


def audit_events(client, admin, **query):
    response = client.get("/api/v1/audit-events", headers=admin["headers"], query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_list_of_states_is_public(client):
    response = client.get("/api/v1/states")
    assert response.status_code == 200
    states = response.get_json()
    assert len(states) == 27
    assert {"code": "DE", "name": "Germany", "annual_invitation_ceiling": None, "taking_part": True} in states
    assert {"code": "DK", "name": "Denmark", "annual_invitation_ceiling": None, "taking_part": False} in states


def test_an_official_reads_the_shipped_overlay_until_one_is_saved(client, official_de):
    response = client.get("/api/v1/states/DE/overlay", headers=official_de["headers"])
    assert response.status_code == 200
    body = response.get_json()
    assert (body["source"], body["revision"], body["in_force"], body["effective_from"]) == ("shipped", None, True, None)
    assert body["overlay"] == shipped("DE")


def test_saving_an_overlay_adds_a_revision_from_the_next_ranking_and_audits_the_difference(
        client, official_de, admin, frozen_clock):
    overlay = {**shipped("DE"), "version": "2027-01-01", "min_total": 420}
    saved = client.put("/api/v1/states/DE/overlay", json=overlay, headers=official_de["headers"])
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["source"] == "official"
    assert body["effective_from"] == next_ranking_date(frozen_clock.moment).isoformat()
    assert body["in_force"] is (next_ranking_date(frozen_clock.moment) == frozen_clock.moment.date())
    assert client.get("/api/v1/states/DE/overlay", headers=official_de["headers"]).get_json()["overlay"] == overlay
    history = client.get("/api/v1/states/DE/overlay/revisions", headers=official_de["headers"]).get_json()
    assert [h["source"] for h in history] == ["official", "shipped"]
    assert history[1]["overlay"]["min_total"] == shipped("DE")["min_total"]  # the old version is untouched
    events = audit_events(client, admin, action="overlay.update")
    assert len(events) == 1
    assert events[0]["actor_id"] == official_de["id"]
    assert events[0]["state"] == "DE"
    assert events[0]["details"]["changes"]["min_total"] == {"from": shipped("DE")["min_total"], "to": 420}
    assert events[0]["details"]["changes"]["version"]["to"] == "2027-01-01"
    assert events[0]["details"]["effective_from"] == body["effective_from"]


def test_a_saved_overlay_changes_candidates_scores_on_its_date(client, make_account, official_de, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    candidate = make_account()
    before = client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).get_json()
    de_before = before["score"]["states"][0]
    assert de_before["state"] == "DE" and de_before["eligible"]
    overlay = {**shipped("DE"), "version": "raised-minimum", "min_total": de_before["total"] + 1,
               "effective_from": "2027-03-01"}
    assert client.put("/api/v1/states/DE/overlay", json=overlay, headers=official_de["headers"]).status_code == 200
    waiting = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    assert waiting["score"]["states"] == before["score"]["states"]  # not in force before 1 March
    frozen_clock.moment = dt.datetime(2027, 3, 1, 0, 30, tzinfo=dt.UTC)
    after = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    de_after = after["score"]["states"][0]
    assert de_after["eligible"] is False and de_after["total"] is None
    assert any("Germany" in reason or "DE" in reason for reason in de_after["reasons"])
    assert after["score"]["states"][1] == before["score"]["states"][1]  # other states unchanged


@pytest.mark.parametrize("change, field", [
    ({"min_total": -1}, "min_total"),
    ({"min_total": "high"}, "min_total"),
    ({"colour": "blue"}, "colour"),
    ({"state": "FR"}, "state"),
    ({"points": {"no_such_factor": 5}}, "points"),
    ({"languages": ["xx"]}, "languages"),
    ({"version": ""}, "version"),
])
def test_a_bad_overlay_is_refused_by_field_and_nothing_is_saved(client, official_de, change, field):
    response = client.put("/api/v1/states/DE/overlay", json={**shipped("DE"), **change},
                          headers=official_de["headers"])
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]
    assert client.get("/api/v1/states/DE/overlay", headers=official_de["headers"]).get_json()["source"] == "shipped"


def test_every_shipped_overlay_is_accepted_back_unchanged(client, make_account):
    for code in sorted(p.stem for p in OVERLAYS.glob("*.toml")):
        official = make_account("official", code)
        shown = client.get(f"/api/v1/states/{code}/overlay", headers=official["headers"]).get_json()["overlay"]
        assert shown == shipped(code)
        response = client.put(f"/api/v1/states/{code}/overlay", json=shown, headers=official["headers"])
        assert response.status_code == 200, (code, response.get_json())


@pytest.mark.parametrize("missing", ["shortage_occupations", "languages", "min_total", "points", "name"])
def test_a_full_replacement_missing_a_field_is_refused_naming_it(client, official_de, missing):
    overlay = {key: value for key, value in shipped("DE").items() if key != missing}
    response = client.put("/api/v1/states/DE/overlay", json={**overlay, "version": "partial"},
                          headers=official_de["headers"])
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]["json"]) == [missing]
    assert client.get("/api/v1/states/DE/overlay", headers=official_de["headers"]).get_json()["source"] == "shipped"


def test_a_partial_update_keeps_what_it_does_not_name(client, official_de):
    response = client.patch("/api/v1/states/DE/overlay", json={"version": "nurses-only-minimum", "min_total": 310,
                                                               "points": {"job_offer": 40}},
                            headers=official_de["headers"])
    assert response.status_code == 200, response.get_json()
    overlay = response.get_json()["overlay"]
    assert overlay["shortage_occupations"] == shipped("DE")["shortage_occupations"]
    assert (overlay["min_total"], overlay["points"]) == (310, {"job_offer": 40})
    again = client.patch("/api/v1/states/DE/overlay", json={"version": "second", "languages": ["de", "en"]},
                         headers=official_de["headers"]).get_json()["overlay"]
    assert (again["min_total"], again["points"], again["languages"]) == (310, {"job_offer": 40}, ["de", "en"])
    no_label = client.patch("/api/v1/states/DE/overlay", json={"min_total": 1}, headers=official_de["headers"])
    assert no_label.status_code == 422 and list(no_label.get_json()["errors"]["json"]) == ["version"]


def test_a_version_label_names_one_revision_of_a_state(client, official_de, make_account):
    overlay = {**shipped("DE"), "version": "spring"}
    assert client.put("/api/v1/states/DE/overlay", json=overlay, headers=official_de["headers"]).status_code == 200
    again = client.put("/api/v1/states/DE/overlay", json={**overlay, "min_total": 1}, headers=official_de["headers"])
    assert again.status_code == 409
    assert "version" in again.get_json()["errors"]["json"]
    official_fr = make_account("official", "FR")  # another state may use the same label
    assert client.put("/api/v1/states/FR/overlay", json={**shipped("FR"), "version": "spring"},
                      headers=official_fr["headers"]).status_code == 200


def test_an_effective_date_before_the_next_ranking_is_refused(client, official_de, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)  # after 02:00: next ranking tomorrow
    for day in ["2027-02-09", "2027-02-10"]:
        response = client.put("/api/v1/states/DE/overlay", json={**shipped("DE"), "version": day, "effective_from": day},
                              headers=official_de["headers"])
        assert response.status_code == 422, day
        assert response.get_json()["errors"]["json"]["effective_from"] == ["Must be 2027-02-11 or later."]
    ok = client.put("/api/v1/states/DE/overlay", json={**shipped("DE"), "version": "x", "effective_from": "2027-02-11"},
                    headers=official_de["headers"])
    assert ok.status_code == 200


def test_the_revision_in_force_is_the_newest_whose_date_has_come(client, official_de, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 1, 5, 12, 0, tzinfo=dt.UTC)
    for version, day, minimum in [("march", "2027-03-01", 330), ("february", "2027-02-01", 320),
                                  ("march-fix", "2027-03-01", 335)]:
        response = client.put("/api/v1/states/DE/overlay",
                              json={**shipped("DE"), "version": version, "effective_from": day, "min_total": minimum},
                              headers=official_de["headers"])
        assert response.status_code == 200, response.get_json()
    history = client.get("/api/v1/states/DE/overlay/revisions", headers=official_de["headers"]).get_json()
    assert [(h["overlay"]["version"], h["effective_from"]) for h in history] == [
        ("march-fix", "2027-03-01"), ("march", "2027-03-01"), ("february", "2027-02-01"), ("2026-11-01", None)]
    in_force = {}
    for moment in ["2027-01-31", "2027-02-01", "2027-02-28", "2027-03-01"]:
        frozen_clock.moment = dt.datetime.fromisoformat(moment + "T12:00+00:00")
        history = client.get("/api/v1/states/DE/overlay/revisions", headers=official_de["headers"]).get_json()
        in_force[moment] = [h["overlay"]["version"] for h in history if h["in_force"]]
    assert in_force == {"2027-01-31": ["2026-11-01"], "2027-02-01": ["february"], "2027-02-28": ["february"],
                        "2027-03-01": ["march-fix"]}


def test_the_ceiling_is_set_and_audited(client, official_de, admin):
    assert client.get("/api/v1/states/DE/ceiling", headers=official_de["headers"]).get_json()[
        "annual_invitation_ceiling"] is None
    saved = client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 25000},
                       headers=official_de["headers"])
    assert saved.status_code == 200
    assert saved.get_json()["annual_invitation_ceiling"] == 25000
    public = {s["code"]: s for s in client.get("/api/v1/states").get_json()}
    assert public["DE"]["annual_invitation_ceiling"] == 25000
    events = audit_events(client, admin, action="ceiling.update")
    assert events[0]["details"] == {"from": None, "to": 25000}


def test_a_ceiling_below_what_scheduled_rounds_need_is_refused_with_the_rounds(client, official_de, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    assert client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 100},
                      headers=official_de["headers"]).status_code == 200
    for when, size in [("2027-03-01T10:00:00Z", 36), ("2027-04-01T10:00:00Z", 20)]:
        response = client.post("/api/v1/states/DE/rounds", json={"scheduled_at": when, "invitations": size},
                               headers=official_de["headers"])
        assert response.status_code in (200, 201), response.get_json()
    refused = client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 10},
                         headers=official_de["headers"])
    assert refused.status_code == 409
    errors = refused.get_json()["errors"]
    assert [r["key"] for r in errors["rounds"]] == ["20270301T1000Z-DE", "20270401T1000Z-DE"]
    assert errors["json"]["annual_invitation_ceiling"] == ["At least 56."]
    assert client.get("/api/v1/states/DE/ceiling", headers=official_de["headers"]).get_json()[
        "annual_invitation_ceiling"] == 100
    assert client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 56},
                      headers=official_de["headers"]).status_code == 200


@pytest.mark.parametrize("value", [-1, 2.5, "many", True, 10**12])
def test_a_bad_ceiling_is_422(client, official_de, value):
    response = client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": value},
                          headers=official_de["headers"])
    assert response.status_code == 422
    assert "annual_invitation_ceiling" in response.get_json()["errors"]["json"]


HEALTH = {"title": "Health professionals", "definition": {"occupations": ["22"], "min_years": 2,
                                                            "min_language": {"level": "B2", "languages": ["de"]}}}


def test_categories_are_created_listed_replaced_and_deleted(client, official_de, admin, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)  # after 02:00: next ranking tomorrow
    url = "/api/v1/states/DE/categories/health"
    created = client.put(url, json=HEALTH, headers=official_de["headers"])
    assert created.status_code == 200, created.get_json()
    assert created.get_json()["definition"] == HEALTH["definition"]
    listed = client.get("/api/v1/states/DE/categories", headers=official_de["headers"]).get_json()
    assert [c["key"] for c in listed] == ["health"]
    replaced = client.put(url, json={**HEALTH, "title": "Doctors and nurses"}, headers=official_de["headers"])
    # A replacement is a new revision, from the next nightly ranking: today's title is still the first.
    first, second = replaced.get_json()["revisions"]
    assert (first["title"], first["in_force"]) == ("Health professionals", True)
    assert (second["title"], second["in_force"]) == ("Doctors and nurses", False)
    assert replaced.get_json()["title"] == "Health professionals"
    assert replaced.get_json()["created_at"] == created.get_json()["created_at"]
    frozen_clock.moment = dt.datetime(2027, 2, 11, 12, 0, tzinfo=dt.UTC)  # the ranking of the 11th has its date
    assert client.get(url, headers=official_de["headers"]).get_json()["title"] == "Doctors and nurses"
    assert client.delete(url, headers=official_de["headers"]).status_code == 204
    assert client.get(url, headers=official_de["headers"]).status_code == 404
    actions = [e["action"] for e in audit_events(client, admin, state="DE") if e["action"].startswith("category.")]
    assert actions == ["category.delete", "category.update", "category.create"]


def test_a_category_replaced_before_the_day_s_ranking_takes_effect_that_day(client, official_de, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 1, 0, tzinfo=dt.UTC)  # before 02:00: today's ranking is to come
    url = "/api/v1/states/DE/categories/health"
    assert client.put(url, json=HEALTH, headers=official_de["headers"]).status_code == 200
    replaced = client.put(url, json={**HEALTH, "title": "Doctors and nurses"}, headers=official_de["headers"]).get_json()
    assert [(r["effective_from"], r["in_force"]) for r in replaced["revisions"]] == [
        ("2027-02-10", False), ("2027-02-10", True)]
    assert replaced["title"] == "Doctors and nurses"


@pytest.mark.parametrize("definition, field", [
    ({}, "definition"),
    ({"occupations": ["2x"]}, "definition"),
    ({"min_education_level": 9}, "definition"),
    ({"min_language": {"level": "D1"}}, "definition"),
    ({"shoe_size": 44}, "definition"),
])
def test_a_bad_category_is_422(client, official_de, definition, field):
    response = client.put("/api/v1/states/DE/categories/x", json={"title": "X", "definition": definition},
                          headers=official_de["headers"])
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]


def test_a_category_key_must_be_a_slug(client, official_de):
    response = client.put("/api/v1/states/DE/categories/Not%20A%20Slug", json=HEALTH, headers=official_de["headers"])
    assert response.status_code == 422


def test_officials_sign_ins_and_outs_are_audited_but_not_candidates(client, make_account, admin):
    from conftest import PASSWORD

    official = make_account("official", "DE")  # signs in once
    candidate = make_account()
    client.delete("/api/v1/tokens", headers=official["headers"])
    client.delete("/api/v1/tokens", headers=candidate["headers"])
    client.post("/api/v1/tokens", json={"email": candidate["email"], "password": PASSWORD})
    events = audit_events(client, admin, actor_id=official["id"])
    assert [e["action"] for e in events] == ["session.sign_out", "session.sign_in"]
    assert all(e["actor_role"] == "official" for e in events)
    everyone = {e["actor_id"] for e in audit_events(client, admin)}
    assert candidate["id"] not in everyone


def test_the_audit_trail_pages_and_survives_absurd_page_numbers(client, official_de, admin):
    for value in range(3):
        client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": value},
                   headers=official_de["headers"])
    page = client.get("/api/v1/audit-events", headers=admin["headers"], query_string={"page_size": 2})
    assert page.status_code == 200 and len(page.get_json()) == 2
    import json

    everything = audit_events(client, admin, page_size=100)
    assert json.loads(page.headers["X-Pagination"])["total"] == len(everything) >= 3
    far = client.get("/api/v1/audit-events", headers=admin["headers"], query_string={"page": 10**20})
    assert far.status_code == 200 and far.get_json() == []
    huge_actor = client.get("/api/v1/audit-events", headers=admin["headers"], query_string={"actor_id": 2**40})
    assert huge_actor.status_code == 422
