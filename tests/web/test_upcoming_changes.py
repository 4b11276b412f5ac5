"""The candidate's score page says which decided rule changes will move their total, and when."""
import datetime as dt
import tomllib
from pathlib import Path

import ranking
from conftest import sample_profile
from test_official_console import sign_in


def test_the_score_page_shows_a_change_ahead(client, make_account, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    official, candidate = make_account("official", "DE"), make_account()
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).status_code == 200
    with (Path(ranking.__file__).parent / "grids" / "eu" / "overlays" / "DE.toml").open("rb") as handle:
        overlay = tomllib.load(handle)
    saved = client.patch("/api/v1/states/DE/overlay", headers=official["headers"],
                         json={"version": "english-too", "languages": overlay["languages"] + ["en"],
                               "effective_from": "2027-03-01"})
    assert saved.status_code == 200
    total = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()["upcoming_changes"][0]["total"]
    sign_in(client, candidate["email"])
    page = client.get("/profile/score")
    assert page.status_code == 200
    assert f"From March 1, 2027, Germany's additions change: your total there would be {total}." in page.text
