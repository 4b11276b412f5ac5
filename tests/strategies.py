"""Hypothesis strategies for the CRS and SkillSelect input contracts, and preference rows.

Valid profiles cover the whole accepted range (ages 0–120, CLB 0–12, work years up to the
contract's maximum) but lean towards the values where the tables change, so that a short run
still crosses every band edge. Invalid profiles are a valid profile with exactly one defect, drawn
together with the dotted path of the field the engine must blame.
"""
from __future__ import annotations

import copy
import random

from hypothesis import strategies as st

ABILITIES = ("speaking", "listening", "reading", "writing")
CRS_EDUCATION = ("none", "secondary", "one_year", "two_year", "bachelors", "two_or_more",
                 "masters", "doctoral")
CRS_CANADIAN_EDUCATION = ("none", "one_or_two_years", "three_or_more_years")
CRS_MAX_WORK_YEARS = 60
SKILLSELECT_ENGLISH = ("competent", "proficient", "superior")
SKILLSELECT_QUALIFICATION = ("none", "recognised_award", "diploma_or_trade",
                             "bachelor_or_master", "doctorate")
SKILLSELECT_PARTNER = ("single_or_citizen", "skilled", "competent_english", "none")
SKILLSELECT_NOMINATION = ("none", "state_190", "regional_491")
SKILLSELECT_MAX_WORK_YEARS = 10

# Ages near the band edges of both presets, mixed with the whole accepted range.
ages = st.one_of(st.integers(16, 47), st.integers(0, 120))
clb_levels = st.integers(0, 12)
crs_work_years = st.one_of(st.integers(0, 6), st.integers(0, CRS_MAX_WORK_YEARS))


def crs_language(test_language: str) -> st.SearchStrategy[dict]:
    """One language test result: the language and a CLB/NCLC level per ability."""
    return st.fixed_dictionaries(
        {"test_language": st.just(test_language), **{ability: clb_levels for ability in ABILITIES}})


def _other(test_language: str) -> str:
    return "fr" if test_language == "en" else "en"


crs_spouse = st.fixed_dictionaries({
    "education": st.sampled_from(CRS_EDUCATION),
    "first_language": st.none() | st.sampled_from(["en", "fr"]).flatmap(crs_language),
    "canadian_work_years": crs_work_years,
})


@st.composite
def crs_profile(draw) -> dict:
    """A CRS profile that the engine must accept."""
    first = draw(st.sampled_from(["en", "fr"]))
    return {
        "age": draw(ages),
        "education": draw(st.sampled_from(CRS_EDUCATION)),
        "first_language": draw(crs_language(first)),
        "second_language": draw(st.none() | crs_language(_other(first))),
        "canadian_work_years": draw(crs_work_years),
        "foreign_work_years": draw(crs_work_years),
        "certificate_of_qualification": draw(st.booleans()),
        "canadian_education": draw(st.sampled_from(CRS_CANADIAN_EDUCATION)),
        "sibling_in_canada": draw(st.booleans()),
        "provincial_nomination": draw(st.booleans()),
        "spouse": draw(st.none() | crs_spouse),
    }


def skillselect_profile() -> st.SearchStrategy[dict]:
    """A SkillSelect profile that the engine must accept."""
    work_years = st.integers(0, SKILLSELECT_MAX_WORK_YEARS)
    return st.fixed_dictionaries({
        "age": ages,
        "english": st.sampled_from(SKILLSELECT_ENGLISH),
        "overseas_work_years": work_years,
        "australian_work_years": work_years,
        "qualification": st.sampled_from(SKILLSELECT_QUALIFICATION),
        "specialist_education": st.booleans(),
        "australian_study": st.booleans(),
        "professional_year": st.booleans(),
        "community_language": st.booleans(),
        "regional_study": st.booleans(),
        "partner": st.sampled_from(SKILLSELECT_PARTNER),
        "nomination": st.sampled_from(SKILLSELECT_NOMINATION),
    })


# ---------------------------------------------------------------------------------------------
# Batches. Hypothesis cannot build a list of hundreds of nested profiles (measured: lists of at
# least 200 CRS profiles are all "too large to finish generating", and min_size=1 averages six
# profiles per example), so a batch is a short Hypothesis-drawn head, which finds and shrinks the
# edge cases, followed by a seeded plain-random tail that supplies the volume. The seed is part
# of the drawn example, so a failure replays exactly.

def _random_language(rng: random.Random, test_language: str) -> dict:
    """Abilities scattered around one overall level, as real test results are."""
    overall = rng.randint(0, 12)
    levels = {ability: min(12, max(0, overall + rng.randint(-2, 2))) for ability in ABILITIES}
    return {"test_language": test_language, **levels}


def _random_age(rng: random.Random) -> int:
    return rng.randint(16, 47) if rng.random() < 0.8 else rng.randint(0, 120)


def _random_years(rng: random.Random, most: int) -> int:
    return rng.randint(0, 6) if rng.random() < 0.8 else rng.randint(0, most)


def random_crs_profile(rng: random.Random) -> dict:
    """A valid CRS profile from a plain random generator (the volume part of a batch)."""
    first = rng.choice(["en", "fr"])
    spouse = None
    if rng.random() < 0.4:
        spouse = {
            "education": rng.choice(CRS_EDUCATION),
            "first_language": (None if rng.random() < 0.3
                               else _random_language(rng, rng.choice(["en", "fr"]))),
            "canadian_work_years": _random_years(rng, CRS_MAX_WORK_YEARS),
        }
    return {
        "age": _random_age(rng),
        "education": rng.choice(CRS_EDUCATION),
        "first_language": _random_language(rng, first),
        "second_language": None if rng.random() < 0.5 else _random_language(rng, _other(first)),
        "canadian_work_years": _random_years(rng, CRS_MAX_WORK_YEARS),
        "foreign_work_years": _random_years(rng, CRS_MAX_WORK_YEARS),
        "certificate_of_qualification": rng.random() < 0.3,
        "canadian_education": rng.choice(CRS_CANADIAN_EDUCATION),
        "sibling_in_canada": rng.random() < 0.3,
        "provincial_nomination": rng.random() < 0.2,
        "spouse": spouse,
    }


def random_skillselect_profile(rng: random.Random) -> dict:
    """A valid SkillSelect profile from a plain random generator."""
    return {
        "age": _random_age(rng),
        "english": rng.choice(SKILLSELECT_ENGLISH),
        "overseas_work_years": rng.randint(0, SKILLSELECT_MAX_WORK_YEARS),
        "australian_work_years": rng.randint(0, SKILLSELECT_MAX_WORK_YEARS),
        "qualification": rng.choice(SKILLSELECT_QUALIFICATION),
        **{flag: rng.random() < 0.3 for flag in ("specialist_education", "australian_study",
                                                  "professional_year", "community_language",
                                                  "regional_study")},
        "partner": rng.choice(SKILLSELECT_PARTNER),
        "nomination": rng.choice(SKILLSELECT_NOMINATION),
    }


def _batch(head: st.SearchStrategy[dict], random_profile, max_size: int):
    def build(profiles, seed, tail_size):
        rng = random.Random(seed)
        return profiles + [random_profile(rng) for _ in range(tail_size)]
    tail_sizes = st.integers(1, max_size - 10) | st.just(max_size - 10)  # often a full batch
    return st.builds(build, st.lists(head, max_size=10), st.integers(0, 2**32 - 1), tail_sizes)


def crs_batch(max_size: int = 300) -> st.SearchStrategy[list[dict]]:
    """A non-empty list of up to `max_size` valid CRS profiles."""
    return _batch(crs_profile(), random_crs_profile, max_size)


def skillselect_batch(max_size: int = 300) -> st.SearchStrategy[list[dict]]:
    """A non-empty list of up to `max_size` valid SkillSelect profiles."""
    return _batch(skillselect_profile(), random_skillselect_profile, max_size)


# ---------------------------------------------------------------------------------------------
# Invalid variants. Each defect is (kind, dotted path, bad value); "missing" deletes the field,
# "unknown" adds it. Fields that may be null (second_language, spouse, spouse.first_language)
# are never deleted: the contract lists them, but whether an absent key means null is not pinned.

def _wrong_values(kind: str) -> list:
    """Values of the wrong JSON type for a field of the given kind."""
    if kind == "int":
        return [True, False, 29.0, 1.5, "29", None, [3]]
    if kind == "bool":
        return [1, 0, "true", None, 1.0]
    if kind == "enum":
        return [3, None, True, ["bachelors"]]
    if kind == "dict":
        return [[], "en", 7, True]
    raise ValueError(kind)


CRS_INT_RANGES = {
    "age": (0, 120),
    "canadian_work_years": (0, CRS_MAX_WORK_YEARS),
    "foreign_work_years": (0, CRS_MAX_WORK_YEARS),
    **{f"first_language.{ability}": (0, 12) for ability in ABILITIES},
    "spouse.canadian_work_years": (0, CRS_MAX_WORK_YEARS),
    **{f"spouse.first_language.{ability}": (0, 12) for ability in ABILITIES},
    **{f"second_language.{ability}": (0, 12) for ability in ABILITIES},
}
CRS_ENUMS = {
    "education": "phd",
    "canadian_education": "four_years",
    "first_language.test_language": "de",
    "spouse.education": "Bachelors",
    "spouse.first_language.test_language": "english",
}
CRS_BOOLS = ("certificate_of_qualification", "sibling_in_canada", "provincial_nomination")
CRS_REQUIRED = ("age", "education", "first_language", "canadian_work_years", "foreign_work_years",
                "certificate_of_qualification", "canadian_education", "sibling_in_canada",
                "provincial_nomination", "first_language.speaking", "first_language.test_language",
                "spouse.education", "spouse.canadian_work_years", "spouse.first_language.writing")
CRS_DICTS = ("first_language", "spouse", "second_language", "spouse.first_language")

SKILLSELECT_INT_RANGES = {
    "age": (0, 120),
    "overseas_work_years": (0, SKILLSELECT_MAX_WORK_YEARS),
    "australian_work_years": (0, SKILLSELECT_MAX_WORK_YEARS),
}
SKILLSELECT_ENUMS = {
    "english": "vocational", "qualification": "masters", "partner": "married",
    "nomination": "subclass_189",
}
SKILLSELECT_BOOLS = ("specialist_education", "australian_study", "professional_year",
                     "community_language", "regional_study")
SKILLSELECT_REQUIRED = ("age", "english", "overseas_work_years", "australian_work_years",
                        "qualification", "specialist_education", "australian_study",
                        "professional_year", "community_language", "regional_study", "partner",
                        "nomination")


def _defects(int_ranges, enums, bools, required, dicts, unknown_parents):
    """Every kind of defect for one preset, as a strategy of (kind, path, value)."""
    out_of_range = st.sampled_from(sorted(int_ranges)).flatmap(
        lambda path: st.sampled_from([int_ranges[path][0] - 1, int_ranges[path][1] + 1])
        .map(lambda value: ("set", path, value)))
    wrong_int = st.sampled_from(sorted(int_ranges)).flatmap(
        lambda path: st.sampled_from(_wrong_values("int")).map(lambda value: ("set", path, value)))
    unknown_label = st.sampled_from(sorted(enums.items())).map(lambda item: ("set", *item))
    wrong_enum = st.sampled_from(sorted(enums)).flatmap(
        lambda path: st.sampled_from(_wrong_values("enum")).map(lambda value: ("set", path, value)))
    wrong_bool = st.sampled_from(bools).flatmap(
        lambda path: st.sampled_from(_wrong_values("bool")).map(lambda value: ("set", path, value)))
    missing = st.sampled_from(required).map(lambda path: ("missing", path, None))
    unknown = st.tuples(st.sampled_from(unknown_parents),
                        st.sampled_from(["job_offer", "nickname", "Age", "speaking_score"])).map(
        lambda pair: ("unknown", ".".join(p for p in pair if p), 1))
    strategies = [out_of_range, wrong_int, unknown_label, wrong_enum, wrong_bool, missing, unknown]
    if dicts:
        strategies.append(st.sampled_from(dicts).flatmap(
            lambda path: st.sampled_from(_wrong_values("dict")).map(
                lambda value: ("set", path, value))))
    return st.one_of(strategies)


def apply_defect(profile: dict, defect: tuple) -> dict:
    """A deep copy of the profile with the defect applied at its dotted path."""
    kind, path, value = defect
    broken = copy.deepcopy(profile)
    *parents, leaf = path.split(".")
    node = broken
    for name in parents:
        node = node[name]
    if kind == "missing":
        del node[leaf]
    else:
        node[leaf] = value
    return broken


def _ensure_parents(profile: dict, path: str, first_language: str) -> dict:
    """Give a CRS profile the optional parts the defect's path runs through."""
    profile = copy.deepcopy(profile)
    if path.startswith("spouse.") and profile["spouse"] is None:
        profile["spouse"] = {"education": "masters", "first_language": None,
                             "canadian_work_years": 2}
    if path.startswith("spouse.first_language.") and profile["spouse"]["first_language"] is None:
        profile["spouse"]["first_language"] = {"test_language": "en", **dict.fromkeys(ABILITIES, 7)}
    if path.startswith("second_language.") and profile["second_language"] is None:
        profile["second_language"] = {"test_language": _other(first_language),
                                      **dict.fromkeys(ABILITIES, 6)}
    return profile


crs_defects = _defects(CRS_INT_RANGES, CRS_ENUMS, CRS_BOOLS, CRS_REQUIRED, CRS_DICTS,
                       ["", "first_language", "spouse", "second_language", "spouse.first_language"])
skillselect_defects = _defects(SKILLSELECT_INT_RANGES, SKILLSELECT_ENUMS, SKILLSELECT_BOOLS,
                               SKILLSELECT_REQUIRED, (), [""])


@st.composite
def invalid_crs_profile(draw) -> tuple[dict, str]:
    """(profile with one defect, dotted path of the field to blame)."""
    profile = draw(crs_profile())
    defect = draw(crs_defects)
    _, path, _ = defect
    profile = _ensure_parents(profile, path, profile["first_language"]["test_language"])
    return apply_defect(profile, defect), path


@st.composite
def crs_profile_with_same_language_twice(draw) -> dict:
    """A CRS profile whose second language repeats the first one's test language."""
    profile = draw(crs_profile())
    language = profile["first_language"]["test_language"]
    profile["second_language"] = draw(crs_language(language))
    return profile


@st.composite
def invalid_skillselect_profile(draw) -> tuple[dict, str]:
    """(profile with one defect, dotted path of the field to blame)."""
    profile = draw(skillselect_profile())
    defect = draw(skillselect_defects)
    return apply_defect(profile, defect), defect[1]


def preference_row(draw, state_count: int, slot_count: int, value: st.SearchStrategy) -> list[tuple[int, int, int]]:
    """One candidate's distinct states at random slots of a row (padding anywhere between), each
    with a drawn value (a score or total), as [(slot, state, value)] in slot order; `draw` is a
    composite strategy's."""
    chosen = draw(st.lists(st.integers(0, state_count - 1), max_size=slot_count, unique=True))
    positions = sorted(draw(st.permutations(range(slot_count)))[:len(chosen)])
    return [(position, state, draw(value)) for position, state in zip(positions, chosen)]
