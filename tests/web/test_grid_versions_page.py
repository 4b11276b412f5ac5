"""/grid names the version of the grid in force and the dated ones to come, and shows a coming one's points."""
from __future__ import annotations

import datetime as dt

import pytest
from dated_grids import EDUCATION_POINTS, ship

from app.states import grid as grids
from app.web.public import grid_tables
from ranking.grid import versions

MARCH = dt.date(2027, 3, 1)


@pytest.fixture
def dated_version(tmp_path, monkeypatch, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)
    folder = ship(tmp_path, "2027.1", MARCH, (EDUCATION_POINTS, "points = [0, 20, 45, 70, 100, 120, 155]"))
    monkeypatch.setattr(grids, "shipped_versions", lambda: versions.grid_versions("eu", folder))


def doctorate_points(page: str) -> str:
    """The points of the last row (EQF 8) of the education table on the page."""
    table = page.split('id="table-education"')[1].split("</table>")[0]
    return table.rsplit('<td class="numeric">', 1)[1].split("<")[0]


def test_the_page_names_the_version_in_force_and_the_coming_one(client, dated_version):
    page = client.get("/grid?lang=en")
    assert page.status_code == 200
    assert "This is version 2026.1, in force today." in page.text
    assert "Version 2027.1 takes effect on March 1, 2027." in page.text
    assert 'href="/grid?version=2027.1"' in page.text
    assert doctorate_points(page.text) == "135"


def test_the_coming_version_shows_its_own_points(client, dated_version):
    page = client.get("/grid?version=2027.1&lang=en")
    assert "This is version 2027.1, which takes effect on March 1, 2027. It is not in force yet." in page.text
    assert doctorate_points(page.text) == "155"
    coming = grid_tables.eu_tables(grids.shipped_versions()[1])
    assert coming.version == "2027.1"


def test_without_dated_versions_there_is_nothing_to_come(client):
    page = client.get("/grid?lang=en")
    assert "in force today." in page.text and "No other version is planned." in page.text
