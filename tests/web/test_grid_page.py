"""The points tables of /grid are read from the grid file; here each row is checked against the
points the engine gives a profile in that row, so a table that misreads the file fails."""
from __future__ import annotations

import datetime as dt

import pytest
import ranking

from app.web.public import grid_labels, grid_tables

AS_OF = dt.date(2026, 6, 1)
GRID = ranking.load_grid("eu")
BASE = {"date_of_birth": "1994-05-17", "education_level": 6,
        "languages": [{"language": "en", "listening": "B1", "reading": "B1", "speaking": "B1", "writing": "B1"}],
        "experience": [], "job_offer": None, "eu_study": False, "eu_work": False, "talent_partnership": False,
        "preferences": ["DE"]}


def points(factor: str, **changes) -> int:
    scores = GRID.score(GRID.encode([{**BASE, **changes}], AS_OF), AS_OF)
    return int(scores.breakdown[factor][0])


def table(name: str) -> grid_tables.Table:
    tables = grid_tables.eu_tables()
    everything = [t for section in tables.sections for t in section.tables] + list(tables.state_tables)
    return next(t for t in everything if t.name == name)


def born_aged(years: int) -> str:
    return AS_OF.replace(year=AS_OF.year - years).isoformat()


@pytest.mark.parametrize("age", range(18, 70))
def test_the_age_table_gives_what_the_engine_gives(age):
    row = next(points for band, points in table("age").rows if band.low <= age and (band.high is None or age <= band.high))
    assert points("age", date_of_birth=born_aged(age)) == row[0]


@pytest.mark.parametrize("level", range(1, 9))
def test_the_education_table_gives_what_the_engine_gives(level):
    row = next(points for band, points in table("education").rows
               if band.low <= level and (band.high is None or level <= band.high))
    assert points("education", education_level=level) == row[0]


@pytest.mark.parametrize("years", range(1, 12))
def test_the_experience_table_gives_what_the_engine_gives(years):
    row = next(points for band, points in table("skilled_experience").rows
               if band.low <= years and (band.high is None or years <= band.high))
    assert points("skilled_experience", experience=[{"occupation": "2512", "years": years}]) == row[0]


@pytest.mark.parametrize("level", ["A1", "A2", "B1", "B2", "C1", "C2"])
def test_the_strongest_language_table_is_per_skill(level):
    per_skill = dict(table("best_language").rows)[level][0]
    language = {"language": "fr", "listening": level, "reading": level, "speaking": level, "writing": level}
    assert table("best_language").per_skill
    assert points("best_language", languages=[language]) == 4 * per_skill


@pytest.mark.parametrize("factor", ["eu_study", "eu_work", "talent_partnership"])
def test_a_yes_no_factor_gives_its_one_row(factor):
    assert points(factor, **{factor: True}) == table(factor).rows[0][1][0]
    assert points(factor) == 0


def test_the_two_way_table_of_education_and_language():
    strong = {"language": "en", "listening": "C1", "reading": "C1", "speaking": "C1", "writing": "C1"}
    rows = dict(table("education_and_language").rows)
    columns = table("education_and_language").columns
    assert points("education_and_language", education_level=7, languages=[strong]) == \
        rows["c1_or_more"][columns.index("master_or_doctorate")]
    assert points("education_and_language", education_level=6) == rows["b1"][columns.index("short_cycle_or_bachelor")]


def test_every_name_in_the_grid_has_its_words():
    tables = grid_tables.eu_tables()
    everything = [t for section in tables.sections for t in section.tables] + list(tables.state_tables)
    assert {s.name for s in tables.sections} <= set(grid_labels.SECTIONS)
    assert {t.name for t in everything} <= set(grid_labels.FACTORS) & set(grid_labels.EXPLANATIONS)
    assert {t.quantity for t in everything if t.kind != "flag"} <= set(grid_labels.QUANTITIES)
    assert {label for t in everything if t.kind == "two_way" for label, _ in t.rows} | \
        {c for t in everything for c in t.columns} <= set(grid_labels.TIERS)
    assert set(tables.rules) <= set(grid_labels.RULES)
