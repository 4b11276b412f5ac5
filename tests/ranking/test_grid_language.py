"""The grid language: what a grid file can say, and how a broken one is reported.

Each test writes a small grid file and checks the engine's reading of it: either the points a
hand-worked profile gets, or the error naming the file, the item and the problem.
"""
import textwrap

import numpy as np
import pytest

import ranking

BASE = """
[grid]
name = "toy"
version = "1"

[types.level]
type = "int"
min = 0
max = 10

[inputs]
age = { type = "int", min = 0, max = 99 }
degree = { type = "enum", values = ["none", "bachelor", "master"] }
skills = { type = "object", fields = { a = "level", b = "level" } }
partner = { type = "object", nullable = true, fields = { degree = { type = "enum", values = ["none", "bachelor", "master"] } } }
bonus = "bool"

[sections.main]
"""


def write_grid(tmp_path, body, base=BASE):
    path = tmp_path / "toy.toml"
    path.write_text(textwrap.dedent(base) + textwrap.dedent(body))
    return path


def profile(**changes):
    person = {"age": 30, "degree": "bachelor", "skills": {"a": 5, "b": 7}, "partner": None, "bonus": False}
    person.update(changes)
    return person


def score(path, *people):
    grid = ranking.load_grid(path)
    return grid.score(grid.encode(list(people)))


def grid_error(tmp_path, body, base=BASE):
    with pytest.raises(ranking.GridError) as caught:
        ranking.load_grid(write_grid(tmp_path, body, base))
    return caught.value


# -- what a grid can say --------------------------------------------------------------------

def test_bands_give_each_value_the_points_of_the_band_it_falls_in(tmp_path):
    path = write_grid(tmp_path, """
        [factors.age]
        section = "main"
        of = "age"
        bands = [0, 18, 30, 45]
        points = [0, 10, 20, 5]
    """)
    scores = score(path, *(profile(age=a) for a in (17, 18, 29, 30, 44, 45, 99)))
    assert scores.breakdown["age"].tolist() == [0, 10, 10, 20, 20, 5, 5]


def test_a_table_by_a_category_picks_the_row_of_that_category(tmp_path):
    path = write_grid(tmp_path, """
        [tiers.couple]
        of = "partner"
        map = { true = "couple", false = "single" }
        labels = ["single", "couple"]

        [factors.degree]
        section = "main"
        of = "degree"
        by = "couple"
        points.single = { none = 0, bachelor = 100, master = 120 }
        points.couple = { none = 0, bachelor = 90, master = 110 }
    """)
    scores = score(path, profile(), profile(partner={"degree": "none"}), profile(degree="master"))
    assert scores.breakdown["degree"].tolist() == [100, 90, 120]


def test_a_factor_of_several_abilities_adds_their_points_and_caps_the_sum(tmp_path):
    path = write_grid(tmp_path, """
        [factors.skills]
        section = "main"
        of = ["skills.a", "skills.b"]
        bands = [0, 5, 7]
        points = [0, 4, 9]
        cap = 12
    """)
    scores = score(path, profile(skills={"a": 5, "b": 6}), profile(skills={"a": 7, "b": 10}), profile(skills={"a": 0, "b": 7}))
    assert scores.breakdown["skills"].tolist() == [8, 12, 9]


def test_a_tier_over_the_weakest_ability_feeds_a_combination_table(tmp_path):
    path = write_grid(tmp_path, """
        [tiers.all_skills]
        of = ["skills.a", "skills.b"]
        combine = "min"
        bands = [["low", 0], ["good", 6], ["great", 9]]

        [factors.degree_and_skills]
        section = "main"
        of = "degree"
        by = "all_skills"
        points.low   = { none = 0, bachelor = 0, master = 0 }
        points.good  = { none = 0, bachelor = 13, master = 25 }
        points.great = { none = 0, bachelor = 25, master = 50 }
    """)
    people = [profile(skills={"a": 6, "b": 10}), profile(skills={"a": 5, "b": 10}),
              profile(degree="master", skills={"a": 9, "b": 9})]
    assert score(path, *people).breakdown["degree_and_skills"].tolist() == [13, 0, 50]


def test_groups_and_sections_cap_their_subtotals_and_the_total_adds_sections(tmp_path):
    path = write_grid(tmp_path, """
        [sections.extra]
        cap = 30

        [groups.pair]
        section = "main"
        factors = ["one", "two"]
        cap = 15

        [factors.one]
        when = { bonus = true }
        points = 10

        [factors.two]
        of = "degree"
        points = { none = 0, bachelor = 10, master = 10 }

        [factors.three]
        section = "extra"
        of = "age"
        bands = [0]
        points = [40]
    """)
    scores = score(path, profile(bonus=True), profile(degree="none"))
    assert scores.breakdown["pair"].tolist() == [15, 0]
    assert scores.breakdown["main"].tolist() == [15, 0]
    assert scores.breakdown["extra"].tolist() == [30, 30]
    assert scores.total.tolist() == [45, 30]


def test_a_condition_on_a_null_object_scores_nothing_for_its_fields(tmp_path):
    path = write_grid(tmp_path, """
        [factors.partner_degree]
        section = "main"
        of = "partner.degree"
        when = { partner = true }
        points = { none = 1, bachelor = 8, master = 10 }
    """)
    scores = score(path, profile(), profile(partner={"degree": "none"}), profile(partner={"degree": "master"}))
    assert scores.breakdown["partner_degree"].tolist() == [0, 1, 10]


def test_eligibility_rules_report_each_failed_reason_in_order(tmp_path):
    path = write_grid(tmp_path, """
        [factors.age]
        section = "main"
        of = "age"
        bands = [0, 18]
        points = [0, 50]

        [[eligibility]]
        when = { age = { min = 18, max = 44 } }
        reason = "Age must be 18 to 44."

        [[eligibility]]
        any = [{ degree = ["bachelor", "master"] }, { bonus = true }]
        reason = "Needs a degree or the bonus."

        [[eligibility]]
        total_min = 50
        reason = "Below 50 points."
    """)
    scores = score(path, profile(), profile(age=17, degree="none"), profile(age=45, degree="none", bonus=True))
    assert scores.eligible.tolist() == [True, False, False]
    assert scores.reasons(0) == []
    assert scores.reasons(1) == ["Age must be 18 to 44.", "Needs a degree or the bonus.", "Below 50 points."]
    assert scores.reasons(2) == ["Age must be 18 to 44."]


LIST_BASE = """
[grid]
name = "lists"
version = "1"

[types.level]
type = "enum"
values = ["low", "mid", "high"]
first_code = 1

[inputs.jobs]
type = "list"
max_items = 3
unique = "code"
items = { type = "object", fields = { code = { type = "code", digits = 4 }, years = { type = "int", min = 1, max = 9 } } }

[inputs.tongues]
type = "list"
max_items = 3
items = { type = "object", fields = { spoken = "level", written = "level" } }

[sections.main]
"""


def test_list_items_sum_filter_by_code_prefix_and_take_best_or_second(tmp_path):
    path = write_grid(tmp_path, """
        [values.skilled_years]
        of = "jobs.years"
        items = "sum"
        item_codes = { of = "jobs.code", prefixes = ["2", "31"] }

        [factors.experience]
        section = "main"
        of = "skilled_years"
        bands = [0, 1, 3]
        points = [0, 10, 30]

        [factors.best]
        section = "main"
        of = ["tongues.spoken", "tongues.written"]
        items = "max"
        points = { low = 1, mid = 5, high = 10 }

        [factors.second]
        section = "main"
        of = ["tongues.spoken", "tongues.written"]
        items = "second"
        points = { low = 1, mid = 5, high = 10 }
    """, LIST_BASE)
    people = [
        {"jobs": [{"code": "2512", "years": 2}, {"code": "3111", "years": 1}, {"code": "9112", "years": 5}],
         "tongues": [{"spoken": "mid", "written": "low"}, {"spoken": "high", "written": "high"}, {"spoken": "mid", "written": "mid"}]},
        {"jobs": [{"code": "3211", "years": 9}], "tongues": [{"spoken": "low", "written": "low"}]},
        {"jobs": [], "tongues": []},
    ]
    scores = score(path, *people)
    assert scores.breakdown["experience"].tolist() == [30, 0, 0]  # 2512 and 3111 count: 3 years; 3211 is not 31..
    assert scores.breakdown["best"].tolist() == [20, 2, 0]
    assert scores.breakdown["second"].tolist() == [10, 0, 0]


def test_a_scored_list_value_ranks_items_by_one_measure_for_best_and_second(tmp_path):
    path = write_grid(tmp_path, """
        [values.strength]
        of = ["tongues.spoken", "tongues.written"]
        points = { low = 1, mid = 4, high = 10 }

        [values.strongest]
        of = "strength"
        items = "max"

        [values.runner_up]
        of = "strength"
        items = "second"

        [factors.best]
        section = "main"
        value = "strongest"

        [factors.second]
        section = "main"
        of = "runner_up"
        bands = [0, 5, 10]
        points = [0, 3, 6]
    """, LIST_BASE)
    people = [
        # strengths: high+low 11, mid+mid 8, low+low 2 -> best 11, second 8 -> band 5: 3
        {"jobs": [], "tongues": [{"spoken": "high", "written": "low"}, {"spoken": "mid", "written": "mid"},
                                 {"spoken": "low", "written": "low"}]},
        # two equally strong languages: the second is as strong as the first (14 -> band 10: 6)
        {"jobs": [], "tongues": [{"spoken": "high", "written": "mid"}, {"spoken": "mid", "written": "high"}]},
        {"jobs": [], "tongues": [{"spoken": "mid", "written": "low"}]},
    ]
    scores = score(path, *people)
    assert scores.breakdown["best"].tolist() == [11, 14, 5]
    assert scores.breakdown["second"].tolist() == [3, 6, 0]


# -- what a broken grid gets told ---------------------------------------------------------------

@pytest.mark.parametrize("body, where, problem", [
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [18, 30]
        points = [10, 20]
     """, "factors.age.bands", "no band covers values of age from 0 to 17"),
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [0, 30]
        points = [10]
     """, "factors.age.points", "expected a list of 2 points"),
    ("""
        [factors.degree]
        section = "main"
        of = "degree"
        points = { none = 0, bachelor = 10 }
     """, "factors.degree.points", "no points for degree = 'master'"),
    ("""
        [factors.degree]
        section = "main"
        of = "degree"
        points = { none = 0, bachelor = 10, master = 20, phd = 30 }
     """, "factors.degree.points", "'phd' is not a label of degree"),
    ("""
        [factors.age]
        section = "main"
        of = "height"
        bands = [0]
        points = [1]
     """, "factors.age.of", "'height' is not an input, value or tier"),
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [0]
        points = [1]
        weight = 2
     """, "factors.age", "unknown key 'weight'"),
    ("""
        [groups.nothing]
        section = "main"
        factors = []
        [factors.age]
        section = "main"
        of = "age"
        bands = [0]
        points = [1]
     """, "groups.nothing", "a cap on nothing"),
    ("""
        [factors.age]
        section = "elsewhere"
        of = "age"
        bands = [0]
        points = [1]
     """, "factors.age", "'section' must be one of ['main']"),
    ("""
        [tiers.loop]
        of = "loop2"
        bands = [["a", 0]]
        [tiers.loop2]
        of = "loop"
        bands = [["a", 0]]
        [factors.age]
        section = "main"
        of = "loop"
        points = { a = 1 }
     """, "tiers.loop2", "'loop' is defined in terms of itself"),
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [0, 20, 10]
        points = [1, 2, 3]
     """, "factors.age.bands", "band lower bounds must rise strictly"),
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [0]
        points = [-5]
     """, "factors.age.points[0]", "points must be whole numbers from 0"),
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [0]
        points = [1]
        [[eligibility]]
        total_min = 10
     """, "eligibility[0]", "needs a 'reason'"),
    ("""
        [factors.age]
        section = "main"
        of = "age"
        bands = [0]
        points = [1]
        [scoring]
        fast = true
     """, "scoring", "unknown top-level key"),
])
def test_a_broken_grid_is_refused_with_file_item_and_problem(tmp_path, body, where, problem):
    error = grid_error(tmp_path, body)
    assert error.source.endswith("toy.toml")
    assert error.where == where
    assert problem in error.problem
    assert str(error).startswith(error.source)


def test_a_section_with_no_factors_is_refused(tmp_path):
    error = grid_error(tmp_path, """
        [sections.empty]
        [factors.age]
        section = "main"
        of = "age"
        bands = [0]
        points = [1]
    """)
    assert (error.where, error.problem) == ("sections.empty", "the section has no factors")


def test_malformed_toml_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[grid\nname = 1")
    with pytest.raises(ranking.GridError, match="bad.toml: not valid TOML"):
        ranking.load_grid(path)


def test_an_unknown_preset_lists_the_presets():
    with pytest.raises(ranking.GridError, match="the presets are crs, eu, skillselect"):
        ranking.load_grid("atlantis")


# -- the shipped presets ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["crs", "skillselect", "eu"])
def test_every_preset_loads_and_names_its_version(name):
    grid = ranking.load_grid(name)
    assert grid.name == name
    assert grid.version


def test_scores_are_frozen_so_shared_results_cannot_be_edited():
    grid = ranking.load_grid("skillselect")
    scores = grid.score(grid.encode([{
        "age": 30, "english": "superior", "overseas_work_years": 0, "australian_work_years": 0,
        "qualification": "none", "specialist_education": False, "australian_study": False,
        "professional_year": False, "community_language": False, "regional_study": False,
        "partner": "none", "nomination": "none"}]))
    with pytest.raises(ValueError):
        scores.total[0] = 1000
    with pytest.raises(ValueError):
        scores.breakdown["age"][0] = 1


def test_scoring_columns_with_codes_out_of_range_is_refused_not_misread():
    grid = ranking.load_grid("skillselect")
    columns = {name: np.zeros(2, dtype=col.scalar.dtype) for name, col in grid.columns.items()}
    columns["english"][1] = 7
    with pytest.raises(ValueError, match="english"):
        grid.score(columns)
