"""Hypothesis strategies for valid `eu` expressions of interest, written from the API contract."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from app import clock

STATES = ("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK").split()
# The states a candidate may choose: Denmark does not take part (Protocol 22), so the service refuses it.
TAKING_PART = [code for code in STATES if code != "DK"]
LANGUAGES = ("bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv lb tr").split()
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
occupations = st.from_regex(r"\A[0-9]{4}\Z")


def _languages():
    codes = st.lists(st.sampled_from(LANGUAGES), max_size=6, unique=True)
    return codes.flatmap(lambda chosen: st.tuples(*[
        st.fixed_dictionaries({"language": st.just(code), **{skill: st.sampled_from(LEVELS) for skill in
                                                             ("listening", "reading", "speaking", "writing")}})
        for code in chosen]).map(list))


def _experience():
    codes = st.lists(occupations, max_size=5, unique=True)
    return codes.flatmap(lambda chosen: st.tuples(*[
        st.fixed_dictionaries({"occupation": st.just(code), "years": st.integers(1, 50)}) for code in chosen]
    ).map(list))


def _within_working_age(profile: dict) -> dict:
    """The contract refuses an occupation's years above the age less 15: cut them to that (dropping
    the occupation where it leaves none)."""
    born, today = dt.date.fromisoformat(profile["date_of_birth"]), clock.today()
    most = today.year - born.year - ((today.month, today.day) < (born.month, born.day)) - 15
    work = [{**item, "years": min(item["years"], most)} for item in profile["experience"] if most >= 1]
    return {**profile, "experience": work}


profiles = st.fixed_dictionaries({
    "date_of_birth": st.dates(dt.date(1950, 1, 1), dt.date(2006, 1, 1)).map(dt.date.isoformat),
    "education_level": st.integers(1, 8),
    "languages": _languages(),
    "experience": _experience(),
    "job_offer": st.none() | st.fixed_dictionaries({"state": st.sampled_from(STATES), "occupation": occupations}),
    "eu_study": st.booleans(),
    "eu_work": st.booleans(),
    "talent_partnership": st.booleans(),
    "preferences": st.lists(st.sampled_from(TAKING_PART), min_size=1, max_size=5, unique=True),
}).map(_within_working_age)
