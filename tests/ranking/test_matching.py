"""The matching engine (`ranking.matching`) against the plain reference (`tests/reference/matching.py`).

Pools and vacancy sets are small and drawn so that requirements bite: a handful of languages,
states and ISCO-08 codes sharing minor groups (2211/2212/2219, 2512/2519), years either side of
the minimum and of the cap, skills "any", no requirement at all, equal fits (ties by id). Each
entry point is compared with the reference on every example; the nightly index is also run with
tiny chunks and batches so its stopping rule and its batching are exercised on small pools.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from contextlib import ExitStack
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ranking
from ranking import matching
from ranking.grid.presets import GRIDS_DIR
from ranking.matching import index as matching_index
from ranking.matching import search as matching_search
from reference import matching as reference

AS_OF = dt.date(2026, 11, 22)
CEFR = reference.CEFR
LANGUAGES = ("en", "de", "fr", "nl", "pl")
OCCUPATIONS = ("2211", "2212", "2219", "2221", "2512", "2519", "0110", "9112")
STATES = ("DE", "NL", "FR", "IE")


@pytest.fixture(scope="module")
def grid():
    return ranking.load_grid("eu")


def dates_of_birth():
    return st.dates(dt.date(1940, 1, 1), dt.date(2008, 12, 31)).map(dt.date.isoformat)


@st.composite
def profiles(draw) -> dict:
    codes = draw(st.lists(st.sampled_from(LANGUAGES), max_size=4, unique=True))
    languages = [{"language": code, **{skill: draw(st.sampled_from(CEFR)) for skill in reference.SKILLS}}
                 for code in codes]
    jobs = draw(st.lists(st.sampled_from(OCCUPATIONS), max_size=4, unique=True))
    experience = [{"occupation": job, "years": draw(st.integers(1, 14))} for job in jobs]
    offer = draw(st.none() | st.fixed_dictionaries({"state": st.sampled_from(STATES),
                                                    "occupation": st.sampled_from(OCCUPATIONS)}))
    return {"date_of_birth": draw(dates_of_birth()), "education_level": draw(st.integers(1, 8)),
            "languages": languages, "experience": experience, "job_offer": offer,
            "eu_study": draw(st.booleans()), "eu_work": draw(st.booleans()),
            "talent_partnership": draw(st.booleans()),
            "preferences": draw(st.lists(st.sampled_from(STATES), min_size=1, max_size=3, unique=True))}


@st.composite
def candidates(draw, max_size: int = 30) -> list[dict]:
    documents = draw(st.lists(profiles(), max_size=max_size))
    ids = draw(st.lists(st.integers(1, 10**9), min_size=len(documents), max_size=len(documents), unique=True))
    return [{"id": ids[i], "profile": document, "findable": draw(st.booleans() | st.just(True)),
             "any_state": draw(st.booleans())} for i, document in enumerate(documents)]


@st.composite
def vacancy_requirements(draw) -> dict:
    codes = draw(st.lists(st.sampled_from(LANGUAGES), max_size=3, unique=True))
    languages = [{"language": code, **{skill: draw(st.none() | st.sampled_from(CEFR[:4]))
                                       for skill in reference.SKILLS}} for code in codes]
    return {"education_level": draw(st.none() | st.integers(1, 8)), "languages": languages,
            "experience_years": draw(st.none() | st.integers(0, 12)),
            "experience_scope": draw(st.sampled_from(["occupation", "group"]))}


@st.composite
def vacancies(draw, max_size: int = 8) -> list[dict]:
    size = draw(st.integers(1, max_size))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=size, max_size=size, unique=True))
    return [{"id": vacancy_id, "state_code": draw(st.sampled_from(STATES)),
             "occupation": draw(st.sampled_from(OCCUPATIONS + ("3221",))),
             "requirements": draw(st.just({}) | vacancy_requirements())} for vacancy_id in ids]


def engine_pool(grid, people: list[dict]) -> matching.Pool:
    records = grid.encode_records([person["profile"] for person in people], as_of=AS_OF)
    return matching.pool_from_records(grid, records, [p["id"] for p in people], [p["findable"] for p in people],
                                      [p["any_state"] for p in people])


def pairs(result: matching.Matches) -> list[tuple[int, int]]:
    return list(zip(result.ids.tolist(), result.fits.tolist()))


def rows(top: matching.TopMatches) -> list[tuple[int, int, int, int]]:
    return list(zip(top.vacancy.tolist(), top.candidate.tolist(), top.fit.tolist(), top.rank.tolist()))


def tiny_steps():
    """Patch the engines' block, chunk and batch sizes down to a few rows."""
    stack = ExitStack()
    stack.enter_context(mock.patch.object(matching_search, "SEARCH_BLOCK_ROWS", 3))
    stack.enter_context(mock.patch.object(matching_index, "FIRST_CHUNK", 1))
    stack.enter_context(mock.patch.object(matching_index, "LAST_CHUNK", 2))
    stack.enter_context(mock.patch.object(matching_index, "PAIRS_PER_STEP", 3))
    stack.enter_context(mock.patch.object(matching_index, "VACANCY_BATCH", 2))
    return stack


LIMITS = st.sampled_from([0, 1, 2, 3, 5, 100])


@settings(max_examples=300, deadline=None)
@given(people=candidates(), jobs=vacancies(max_size=3), limit=LIMITS, tiny=st.booleans())
def test_a_vacancys_matches_are_the_references(grid, people, jobs, limit, tiny):
    pool = engine_pool(grid, people)
    columns = matching.vacancies_from_documents(grid, jobs)
    with tiny_steps() if tiny else ExitStack():
        for position, job in enumerate(jobs):
            found = matching.matches_for_vacancy(pool, columns.take([position]), limit)
            assert pairs(found) == reference.matches_for_vacancy(people, job, limit)


@settings(max_examples=300, deadline=None)
@given(people=candidates(max_size=4), jobs=vacancies(max_size=12), limit=LIMITS)
def test_a_candidates_matches_are_the_references(grid, people, jobs, limit):
    pool = engine_pool(grid, people)
    columns = matching.vacancies_from_documents(grid, jobs)
    for row in range(len(pool)):
        person = next(p for p in people if p["id"] == pool.ids[row])
        found = matching.matches_for_candidate(pool.take([row]), columns, limit)
        assert pairs(found) == reference.matches_for_candidate(person, jobs, limit)


@settings(max_examples=300, deadline=None)
@given(people=candidates(max_size=40), jobs=vacancies(), k=st.sampled_from([0, 1, 2, 3, 7, 100]),
       tiny=st.booleans())
def test_every_vacancys_top_k_is_the_references(grid, people, jobs, k, tiny):
    pool = engine_pool(grid, people)
    columns = matching.vacancies_from_documents(grid, jobs)
    with tiny_steps() if tiny else ExitStack():
        top = matching.top_matches_for_all(pool, columns, k)
    assert rows(top) == reference.top_for_all(people, jobs, k)
    assert top.candidate.dtype == np.int64 and top.fit.dtype == np.int32 and top.rank.dtype == np.int32


# -- fair by construction ---------------------------------------------------------------------

def test_the_pool_holds_no_field_a_fit_may_not_read():
    fields = {field.name for field in dataclasses.fields(matching.Pool)}
    assert fields == {"scale", "ids", "education", "language", "levels", "occupation", "group", "years",
                      "preferences", "findable", "any_state"}


@settings(max_examples=200, deadline=None)
@given(people=candidates(max_size=25), jobs=vacancies(max_size=5), data=st.data())
def test_matches_and_fits_do_not_change_when_only_date_of_birth_and_unmatched_fields_change(grid, people, jobs,
                                                                                           data):
    """Date of birth (the only protected field the eu grid holds; no sex, nationality or special
    category exists in it) and the fields matching does not use (job offer, EU ties) are redrawn."""
    changed = [{**person, "profile": {**person["profile"], "date_of_birth": data.draw(dates_of_birth()),
                                      "job_offer": None, "eu_study": data.draw(st.booleans()),
                                      "eu_work": data.draw(st.booleans()),
                                      "talent_partnership": data.draw(st.booleans())}}
               for person in people]
    columns = matching.vacancies_from_documents(grid, jobs)
    before, after = engine_pool(grid, people), engine_pool(grid, changed)
    assert rows(matching.top_matches_for_all(before, columns, 5)) == \
        rows(matching.top_matches_for_all(after, columns, 5))
    for position in range(len(jobs)):
        assert pairs(matching.matches_for_vacancy(before, columns.take([position]), 10)) == \
            pairs(matching.matches_for_vacancy(after, columns.take([position]), 10))
    for row in range(len(before)):
        assert pairs(matching.matches_for_candidate(before.take([row]), columns, 10)) == \
            pairs(matching.matches_for_candidate(after.take([row]), columns, 10))


# -- determinism --------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(people=candidates(max_size=30), jobs=vacancies(), data=st.data())
def test_results_do_not_depend_on_the_order_rows_arrive_in_nor_on_the_run(grid, people, jobs, data):
    shuffled = data.draw(st.permutations(people))
    columns = matching.vacancies_from_documents(grid, jobs)
    first = rows(matching.top_matches_for_all(engine_pool(grid, people), columns, 4))
    assert rows(matching.top_matches_for_all(engine_pool(grid, shuffled), columns, 4)) == first
    assert rows(matching.top_matches_for_all(engine_pool(grid, people), columns, 4)) == first


# -- worked examples, by hand from docs/matching.md ---------------------------------------------

def person(candidate_id: int, **changes) -> dict:
    profile = {"date_of_birth": "1994-05-17", "education_level": 6,
               "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2",
                              "writing": "B2"}],
               "experience": [{"occupation": "2512", "years": 4}], "job_offer": None, "eu_study": False,
               "eu_work": False, "talent_partnership": False, "preferences": ["DE", "NL"]}
    profile.update(changes)
    return {"id": candidate_id, "profile": profile, "findable": True, "any_state": False}


DEVELOPER = {"id": 7, "state_code": "DE", "occupation": "2512",
             "requirements": {"education_level": 5,
                              "languages": [{"language": "en", "listening": "B2", "reading": None,
                                             "speaking": "B1", "writing": None}],
                              "experience_years": 2, "experience_scope": "group"}}


def test_the_worked_example_of_the_doc(grid):
    # EQF 6 over 5: 10; en C1/C1/B2/B2 over B2/any=A1/B1/any=A1: (1 + 4 + 1 + 3) x 3 = 27;
    # 4 years over 2: 8; in the exact occupation: 20.  65 in all.
    # The second holds 2519 (same minor group 251) for 4 years: 10 + 27 + 8 = 45.
    people = [person(3), person(9, experience=[{"occupation": "2519", "years": 4}]),
              person(4, preferences=["FR"]), {**person(5), "findable": False}]
    pool = engine_pool(grid, people)
    found = matching.matches_for_vacancy(pool, matching.vacancies_from_documents(grid, [DEVELOPER]), 10)
    assert pairs(found) == [(3, 65), (9, 45)]
    exact = {**DEVELOPER, "requirements": {**DEVELOPER["requirements"], "experience_scope": "occupation"}}
    found = matching.matches_for_vacancy(pool, matching.vacancies_from_documents(grid, [exact]), 10)
    assert pairs(found) == [(3, 65)]


def test_equal_fits_go_to_the_lower_id_and_limits_cut_the_order(grid):
    pool = engine_pool(grid, [person(30), person(10), person(20)])
    vacancy = matching.vacancies_from_documents(grid, [DEVELOPER])
    assert matching.matches_for_vacancy(pool, vacancy, 2).ids.tolist() == [10, 20]
    assert matching.matches_for_vacancy(pool, vacancy, 1).ids.tolist() == [10]
    assert len(matching.matches_for_vacancy(pool, vacancy, 0).ids) == 0
    two = matching.vacancies_from_documents(grid, [{**DEVELOPER, "id": 8}, DEVELOPER])
    assert matching.matches_for_candidate(pool.take([0]), two, 5).ids.tolist() == [7, 8]


def test_a_vacancy_without_requirements_matches_every_findable_candidate_choosing_its_state(grid):
    people = [person(1, experience=[]), person(2, languages=[]), {**person(3, preferences=["FR"]), "any_state": True},
              person(4, preferences=["FR"])]
    vacancy = matching.vacancies_from_documents(grid, [{"id": 1, "state_code": "DE", "occupation": "9112",
                                                        "requirements": {}}])
    # Only EQF levels above 1 count (6 - 1 = 5 levels): 50 each; no language, no years, no bonus.
    assert pairs(matching.matches_for_vacancy(engine_pool(grid, people), vacancy, 10)) == [(1, 50), (2, 50), (3, 50)]


def test_requirements_outside_the_grid_are_refused_naming_the_vacancy(grid):
    for bad in ({"state_code": "XX"}, {"occupation": "251"}, {"requirements": {"education_level": 9}},
                {"requirements": {"languages": [{"language": "xx"}]}},
                {"requirements": {"languages": [{"language": "en", "reading": "D1"}]}},
                {"requirements": {"experience_scope": "sector"}}):
        with pytest.raises(ValueError, match="vacancy 7"):
            matching.vacancies_from_documents(grid, [{**DEVELOPER, **bad}])


def test_a_grid_with_eight_languages_is_matched_unchanged(tmp_path):
    shutil.copytree(GRIDS_DIR / "eu", tmp_path / "eu")
    text = (GRIDS_DIR / "eu.toml").read_text()
    (tmp_path / "eu.toml").write_text(text.replace("max_items = 6", "max_items = 8", 1))
    wide = ranking.load_grid(tmp_path / "eu.toml")
    assert wide.columns["languages.language"].slots == 8
    eight = [{"language": code, "listening": "B2", "reading": "B2", "speaking": "B2", "writing": "B2"}
             for code in ("bg", "cs", "da", "de", "el", "es", "fr", "en")]
    people = [person(1, languages=eight), person(2)]
    wanted = {**DEVELOPER, "requirements": {**DEVELOPER["requirements"],
                                            "languages": [{"language": "en", "listening": "B2"}]}}
    pool = engine_pool(wide, people)
    vacancy = matching.vacancies_from_documents(wide, [wanted])
    expected = reference.matches_for_vacancy(people, wanted, 10)
    assert pairs(matching.matches_for_vacancy(pool, vacancy, 10)) == expected
    assert rows(matching.top_matches_for_all(pool, vacancy, 10)) == [(0, i, f, r + 1) for r, (i, f) in
                                                                     enumerate(expected)]
