"""Categories: validation names the field; masks agree with a plain reading of each profile.

The expectation works on the profile as a person writes it (ISCO codes as strings matched with
`startswith`, levels compared by their place in A1..C2), while the category works on the integer
columns, so an encoding slip in either shows up as a disagreement.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ranking
from ranking.categories import Category

LANGUAGES = ("bg", "de", "en", "fr", "nl", "pl")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
SKILLS = ("listening", "reading", "speaking", "writing")
OCCUPATIONS = ("0110", "2211", "2212", "2221", "2512", "2519", "3211", "7212", "9999")

language_items = st.fixed_dictionaries(
    {"language": st.sampled_from(LANGUAGES), **{skill: st.sampled_from(LEVELS) for skill in SKILLS}})
profiles = st.fixed_dictionaries({
    "education_level": st.integers(1, 8),
    "languages": st.lists(language_items, max_size=6, unique_by=lambda item: item["language"]),
    "experience": st.lists(st.fixed_dictionaries({"occupation": st.sampled_from(OCCUPATIONS),
                                                  "years": st.integers(1, 50)}),
                           max_size=5, unique_by=lambda item: item["occupation"]),
})
definitions = st.fixed_dictionaries({}, optional={
    "occupations": st.lists(st.sampled_from(["0", "01", "2", "22", "221", "2211", "25", "7", "9999"]),
                            min_size=1, max_size=3),
    "min_language": st.fixed_dictionaries({"level": st.sampled_from(LEVELS)},
                                          optional={"languages": st.lists(st.sampled_from(LANGUAGES),
                                                                          min_size=1, max_size=3)}),
    "min_education_level": st.integers(1, 8),
}).flatmap(lambda d: st.fixed_dictionaries(
    {**{k: st.just(v) for k, v in d.items()}},
    optional={"min_years": st.integers(1, 50)} if "occupations" in d else {}))


def columns_of(people: list[dict]) -> dict[str, np.ndarray]:
    """The EU grid's encoded columns, built by hand from the contract."""
    count = len(people)
    columns = {"education_level": np.array([p["education_level"] for p in people], dtype=np.int8),
               "languages.language": np.full((count, 6), -1, dtype=np.int8),
               "experience.occupation": np.full((count, 5), -1, dtype=np.int16),
               "experience.years": np.zeros((count, 5), dtype=np.int8)}
    for skill in SKILLS:
        columns[f"languages.{skill}"] = np.zeros((count, 6), dtype=np.int8)
    for row, person in enumerate(people):
        for slot, item in enumerate(person["languages"]):
            columns["languages.language"][row, slot] = LANGUAGES.index(item["language"])
            for skill in SKILLS:
                columns[f"languages.{skill}"][row, slot] = LEVELS.index(item[skill]) + 1
        for slot, item in enumerate(person["experience"]):
            columns["experience.occupation"][row, slot] = int(item["occupation"])
            columns["experience.years"][row, slot] = item["years"]
    return columns


def belongs(person: dict, definition: dict) -> bool:
    """The definition read literally, for one person."""
    if "occupations" in definition:
        least = definition.get("min_years", 1)
        if not any(item["occupation"].startswith(prefix) and item["years"] >= least
                   for item in person["experience"] for prefix in definition["occupations"]):
            return False
    if "min_language" in definition:
        level = LEVELS.index(definition["min_language"]["level"])
        allowed = definition["min_language"].get("languages", LANGUAGES)
        if not any(item["language"] in allowed and all(LEVELS.index(item[s]) >= level for s in SKILLS)
                   for item in person["languages"]):
            return False
    return person["education_level"] >= definition.get("min_education_level", 1)


@settings(max_examples=300, deadline=None)
@given(definitions, st.lists(profiles, max_size=20))
def test_mask_agrees_with_reading_each_profile(definition, people):
    category = Category.from_dict(definition, language_codes=LANGUAGES)
    if not people:
        return
    mask = category.mask(columns_of(people), language_codes=LANGUAGES)
    assert mask.dtype == bool
    assert mask.tolist() == [belongs(person, definition) for person in people]


@settings(max_examples=100, deadline=None)
@given(definitions)
def test_definition_round_trips(definition):
    category = Category.from_dict(definition)
    assert Category.from_dict(category.to_dict()) == category


def test_health_professionals_with_two_years():
    category = Category.from_dict({"occupations": ["22"], "min_years": 2})
    people = [
        {"education_level": 7, "languages": [], "experience": [{"occupation": "2211", "years": 2}]},
        {"education_level": 7, "languages": [], "experience": [{"occupation": "2211", "years": 1}]},
        {"education_level": 7, "languages": [], "experience": [{"occupation": "3221", "years": 9},
                                                              {"occupation": "2221", "years": 3}]},
        {"education_level": 7, "languages": [], "experience": [{"occupation": "2512", "years": 9}]},
    ]
    assert category.mask(columns_of(people)).tolist() == [True, False, True, False]


def test_with_the_eu_grid_encoder():
    grid = ranking.load_grid("eu")
    base = {"date_of_birth": "1990-05-01", "education_level": 6, "job_offer": None, "eu_study": False,
            "eu_work": False, "talent_partnership": False, "preferences": ["DE"]}
    german_b2 = {"language": "de", "listening": "B2", "reading": "C1", "speaking": "B2", "writing": "C2"}
    german_b1 = {**german_b2, "writing": "B1"}
    profiles_ = [
        {**base, "languages": [german_b2], "experience": [{"occupation": "2211", "years": 3}]},
        {**base, "languages": [german_b1], "experience": [{"occupation": "2211", "years": 3}]},
        {**base, "languages": [{**german_b2, "language": "nl"}], "experience": [{"occupation": "2211", "years": 3}]},
        {**base, "languages": [german_b2], "experience": [{"occupation": "2512", "years": 3}]},
    ]
    columns = grid.encode(profiles_)
    category = Category.from_dict({"occupations": ["221"], "min_language": {"level": "B2", "languages": ["de"]}})
    assert category.mask(columns, language_codes=grid.codes("languages.language")).tolist() == [
        True, False, False, False]


def test_an_empty_category_admits_everyone():
    people = [{"education_level": 1, "languages": [], "experience": []}] * 3
    assert Category.from_dict({}).mask(columns_of(people)).tolist() == [True] * 3


@pytest.mark.parametrize("definition, words", [
    ({"occupation": ["22"]}, ["occupation"]),
    ({"occupations": []}, ["occupations"]),
    ({"occupations": "22"}, ["occupations"]),
    ({"occupations": ["22a"]}, ["occupations", "22a"]),
    ({"occupations": ["22111"]}, ["occupations", "22111"]),
    ({"occupations": [22]}, ["occupations", "22"]),
    ({"min_years": 2}, ["min_years", "occupations"]),
    ({"occupations": ["22"], "min_years": 0}, ["min_years"]),
    ({"occupations": ["22"], "min_years": True}, ["min_years"]),
    ({"min_language": {"level": "B3"}}, ["min_language.level", "B3"]),
    ({"min_language": {"languages": ["de"]}}, ["min_language.level", "missing"]),
    ({"min_language": {"level": "B2", "languages": []}}, ["min_language.languages"]),
    ({"min_language": {"level": "B2", "languages": ["DE"]}}, ["min_language.languages", "DE"]),
    ({"min_language": {"level": "B2", "languages": ["xx"]}}, ["min_language.languages", "xx"]),
    ({"min_language": {"level": "B2", "skills": ["reading"]}}, ["min_language", "skills"]),
    ({"min_language": "B2"}, ["min_language"]),
    ({"min_education_level": 9}, ["min_education_level"]),
    ({"min_education_level": "6"}, ["min_education_level"]),
    (["22"], ["category"]),
])
def test_bad_definitions_are_named(definition, words):
    with pytest.raises(ValueError) as error:
        Category.from_dict(definition, language_codes=LANGUAGES)
    for word in words:
        assert word in str(error.value)


def test_missing_column_and_unknown_language_are_named():
    people = [{"education_level": 5, "languages": [], "experience": []}]
    columns = columns_of(people)
    del columns["education_level"]
    with pytest.raises(ValueError, match="education_level"):
        Category.from_dict({"min_education_level": 3}).mask(columns)
    with pytest.raises(ValueError, match="'sv'"):
        Category.from_dict({"min_language": {"level": "A1", "languages": ["sv"]}}).mask(
            columns_of(people), language_codes=LANGUAGES)


def test_category_restricts_an_allocation():
    # The category is the `eligible` mask: a round for health professionals skips the engineer
    # even though the engineer scores higher.
    people = [{"education_level": 7, "languages": [], "experience": [{"occupation": "2512", "years": 5}]},
              {"education_level": 7, "languages": [], "experience": [{"occupation": "2211", "years": 5}]}]
    eligible = Category.from_dict({"occupations": ["22"]}).mask(columns_of(people))
    result = ranking.allocate(np.array([[500], [400]], np.int32), np.array([[0], [0]]), np.zeros(2, np.int64),
                              np.arange(2), np.array([1]), eligible=eligible)
    assert result.state.tolist() == [-1, 0]
