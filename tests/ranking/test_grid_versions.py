"""Dated versions of a shipped grid (`ranking.grid.versions`): which is in force on a day, and the
refusal of a version that changes the grid's contract."""
from __future__ import annotations

import datetime as dt

import pytest
import ranking
from dated_grids import EDUCATION_POINTS, ship

from ranking.errors import GridError
from ranking.grid.versions import SAME_CONTRACT, grid_versions, upcoming, version_on

MARCH = dt.date(2027, 3, 1)
MORE_FOR_A_DOCTORATE = (EDUCATION_POINTS, "points = [0, 20, 45, 70, 100, 120, 155]")
DOCTOR = {"date_of_birth": "1990-05-17", "education_level": 8,
          "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "C1", "writing": "C1"}],
          "experience": [], "job_offer": None, "eu_study": False, "eu_work": False, "talent_partnership": False,
          "preferences": ["DE"]}


def education_points(grid, day: dt.date) -> int:
    return int(grid.score(grid.encode([DOCTOR], day), day).breakdown["education"][0])


def test_the_shipped_grid_is_its_own_first_version():
    [first] = grid_versions("eu")
    assert first.effective_from is None and first.grid is ranking.load_grid("eu")


def test_a_dated_version_is_in_force_from_its_date(tmp_path):
    grids = ship(tmp_path, "2027.1", MARCH, MORE_FOR_A_DOCTORATE)
    first, dated = grid_versions("eu", grids)
    assert (first.version, dated.version, dated.effective_from) == ("2026.1", "2027.1", MARCH)
    assert version_on((first, dated), MARCH - dt.timedelta(days=1)) is first
    assert version_on((first, dated), MARCH) is dated and version_on((first, dated), dt.date(2030, 1, 1)) is dated
    assert upcoming((first, dated), MARCH - dt.timedelta(days=1)) == (dated,) and upcoming((first, dated), MARCH) == ()
    # The points differ as the file says (135 -> 155 for EQF 8), and nothing of the contract does.
    assert education_points(dated.grid, MARCH) - education_points(first.grid, MARCH) == 155 - 135
    assert dated.grid.record_version == first.grid.record_version


def test_versions_are_ordered_by_date_not_by_file_name(tmp_path):
    ship(tmp_path, "2027.2", dt.date(2027, 9, 1), MORE_FOR_A_DOCTORATE, name="a")
    grids = ship(tmp_path, "2027.1", MARCH, name="b")
    assert [v.version for v in grid_versions("eu", grids)] == ["2026.1", "2027.1", "2027.2"]


def refusal(grids) -> GridError:
    with pytest.raises(GridError) as refused:
        grid_versions("eu", grids)
    return refused.value


@pytest.mark.parametrize(("replacement", "what"), [
    (("max_items = 6", "max_items = 7"), "inputs"),  # one more language: another record layout
    (('[factors.eu_work]\ndescription = "Worked in a member state."',
      '[factors.eu_jobs]\ndescription = "Worked in a member state."'), "factors"),
])
def test_a_version_that_changes_the_contract_is_refused_naming_the_rule(tmp_path, replacement, what):
    refused = refusal(ship(tmp_path, "2027.1", MARCH, replacement))
    assert refused.where == what and SAME_CONTRACT in refused.problem
    assert refused.source.endswith("2027.1.toml")


def test_a_version_that_renames_a_section_is_refused(tmp_path):
    grids = ship(tmp_path, "2027.1", MARCH)
    path = grids / "eu" / "versions" / "2027.1.toml"
    path.write_text(path.read_text().replace("[sections.additional]", "[sections.extra]")
                    .replace('section = "additional"', 'section = "extra"'))
    refused = refusal(grids)
    assert refused.where == "sections" and "additional, extra" in refused.problem


@pytest.mark.parametrize(("version", "effective_from", "where"), [
    ("2027.1", None, "grid.effective_from"),            # no date
    ("2027.1", "2027-03-01T00:00:00Z", "grid.effective_from"),  # a time, not a date
    ("2026.1", "2027-03-01", "grid.version"),           # the first version's label again
])
def test_a_version_without_a_date_or_with_a_used_label_is_refused(tmp_path, version, effective_from, where):
    assert refusal(ship(tmp_path, version, effective_from)).where == where


def test_two_versions_on_one_day_are_refused(tmp_path):
    ship(tmp_path, "2027.1", MARCH)
    grids = ship(tmp_path, "2027.2", MARCH, MORE_FOR_A_DOCTORATE)
    with pytest.raises(GridError, match="one version per day"):
        grid_versions("eu", grids)


def test_the_first_version_takes_no_date(tmp_path):
    grids = ship(tmp_path, "2027.1", MARCH)
    path = grids / "eu.toml"
    path.write_text(path.read_text().replace('version = "2026.1"', 'version = "2026.1"\neffective_from = 2026-01-01'))
    assert refusal(grids).where == "grid.effective_from"
