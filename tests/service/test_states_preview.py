"""Previews of an overlay, a minimum score and a category on the latest run's pool: nothing saved."""
import pytest
from rounds.rounds_helpers import add_pool, rank
from sqlmodel import func, select

from app import db
from app.audit.models import AuditEvent
from app.ranking_runs import run_entries
from app.states import grid
from app.states.models import OverlayVersion
from app.storage import engines


@pytest.fixture
def ranked(app):
    add_pool(app, 400, seed=5)
    return rank(app)


def chose_de(app, run_id) -> int:
    with app.app_context():
        with engines.reader().connect() as connection:
            entries = run_entries.read(connection, run_id)
    return int((entries.preferences == grid.state_codes().index("DE")).any(axis=1).sum())


def saved_rows(app) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        return (session.exec(select(func.count()).select_from(OverlayVersion)).one(),
                session.exec(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action != "session.sign_in")).one())


def test_raising_the_minimum_only_takes_eligibility_away(app, client, make_account, ranked):
    official = make_account("official", "DE")
    plain = client.post("/api/v1/states/DE/minimum/preview", json={"min_total": 0, "round_size": 10},
                        headers=official["headers"]).get_json()
    assert plain["candidates"] == chose_de(app, ranked.run_id) > 0
    assert plain["ranking_run"]["id"] == ranked.run_id
    new_minimum = plain["bin_edges"][len(plain["bin_edges"]) // 2]
    response = client.post("/api/v1/states/DE/minimum/preview", json={"min_total": new_minimum, "round_size": 10},
                           headers=official["headers"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["gain_eligibility"], body["more_points"], body["fewer_points"]) == (0, 0, 0)
    kept = sum(count for edge, count in zip(body["bin_edges"], body["before"]["histogram"]) if edge >= new_minimum)
    assert body["after"]["eligible"] == kept == body["before"]["eligible"] - body["lose_eligibility"]
    assert [c for e, c in zip(body["bin_edges"], body["after"]["histogram"]) if e < new_minimum] == \
        [0] * sum(1 for e in body["bin_edges"] if e < new_minimum)
    assert body["round_size"] == 10 and body["round_size_source"] == "given"
    assert body["before"]["invited"] == body["after"]["invited"] == 10  # the best ten are above any middle bin
    assert body["after"]["cutoff"] == body["before"]["cutoff"]
    assert saved_rows(app) == (0, 0)  # nothing written, nothing audited


def test_an_overlay_preview_counts_those_whose_points_change(app, client, make_account, ranked):
    official = make_account("official", "DE")
    response = client.post("/api/v1/states/DE/overlay/preview", json={"languages": ["de", "en", "fr"]},
                           headers=official["headers"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["more_points"] > 0 and body["fewer_points"] == 0 and body["lose_eligibility"] == 0
    assert body["round_size"] is None and body["after"]["invited"] == 0  # no round yet, none given
    assert saved_rows(app) == (0, 0)


def test_a_category_preview_narrows_the_round(app, client, make_account, ranked):
    official = make_account("official", "DE")
    response = client.post("/api/v1/states/DE/categories/ict/preview",
                           json={"definition": {"occupations": ["25"]}, "round_size": 5}, headers=official["headers"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["after"]["eligible"] <= body["before"]["eligible"]
    assert body["lose_eligibility"] == body["before"]["eligible"] - body["after"]["eligible"]


@pytest.mark.parametrize("url, body, field", [
    ("/api/v1/states/DE/overlay/preview", {"min_total": -5}, "min_total"),
    ("/api/v1/states/DE/overlay/preview", {"colour": "red"}, "colour"),
    ("/api/v1/states/DE/overlay/preview", {"effective_from": "2001-01-01"}, "effective_from"),
    ("/api/v1/states/DE/minimum/preview", {}, "min_total"),
    ("/api/v1/states/DE/categories/x/preview", {"definition": {}}, "definition"),
])
def test_a_bad_preview_is_422_naming_the_field(client, make_account, url, body, field):
    official = make_account("official", "DE")
    response = client.post(url, json=body, headers=official["headers"])
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]


def test_previews_are_for_the_states_own_officials(client, make_account):
    official_fr = make_account("official", "FR")
    response = client.post("/api/v1/states/DE/minimum/preview", json={"min_total": 1}, headers=official_fr["headers"])
    assert response.status_code == 403
