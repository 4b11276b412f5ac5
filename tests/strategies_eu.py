"""Hypothesis strategies for the EU grid's input contract (`docs/eu-grid.md`, "Inputs").

Valid profiles cover the whole contract (0 to `MOST_LANGUAGES` languages, 0 to
`MOST_OCCUPATIONS` occupations from every ISCO-08 major group, 1 to `MOST_PREFERENCES` preferences) but lean towards the values where the page's tables change: ages
a day either side of a band edge on the scoring date, 29 February birthdays, occupations on the
shipped shortage lists, and languages of equal strength (the second language is then as
strong as the best). Overlays are drawn the same way: random official languages, prefixes of 1-4
digits, minimums and point overrides.
"""
from __future__ import annotations

import datetime as dt
import random
import tomllib
from pathlib import Path

from hypothesis import strategies as st

# The list limits, read from the grid file itself (the contract), so the strategies follow it.
_INPUTS = tomllib.loads((Path(__file__).parents[1] / "ranking" / "grids" / "eu.toml").read_text())["inputs"]
MOST_LANGUAGES = _INPUTS["languages"]["max_items"]
MOST_OCCUPATIONS = _INPUTS["experience"]["max_items"]
MOST_PREFERENCES = _INPUTS["preferences"]["max_items"]

SKILLS = ("listening", "reading", "speaking", "writing")
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
             "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "lb", "tr")
STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
          "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
# States whose shipped overlays have several languages, shortage lists or a minimum.
INTERESTING_STATES = ("DE", "NL", "IE", "FI", "SE", "PL", "BE", "LU", "CY", "MT")
# Codes on the shipped demonstration lists, and ones next to them, of every major group.
NEAR_SHORTAGE_CODES = ("2211", "2221", "2222", "3221", "2512", "2513", "2519", "2144", "2142",
                       "7411", "7412", "7233", "5321", "2341", "7212", "8332", "9112", "0110",
                       "1120", "4110", "6111")
# Pairs of different level sets with equal strength (A1 A1 A1 B2 = 20 = A2 x 4): a tie for
# strongest must count twice, whichever of the two a scorer takes as "best".
TIED_LEVELS = (
    ("A1", "A1", "A1", "B2"), ("A2", "A2", "A2", "A2"),     # 20 / 20
    ("A1", "A1", "A1", "C1"), ("A2", "A2", "A2", "B1"),     # 27 / 27
    ("A1", "A1", "A1", "C2"), ("A1", "A2", "A2", "B2"),     # 30 / 30
    ("A1", "A1", "B2", "C2"), ("A2", "A2", "B2", "B2"),     # 50 / 50
)
AGE_EDGES = (17, 18, 21, 22, 24, 25, 32, 33, 35, 36, 39, 40, 42, 43, 45, 46, 49, 50)

AS_OF_DATES = st.sampled_from([dt.date(2026, 11, 22), dt.date(2028, 2, 29), dt.date(2027, 2, 28),
                               dt.date(2027, 3, 1), dt.date(2025, 1, 1)])


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:      # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


@st.composite
def date_of_birth(draw, as_of: dt.date) -> str:
    """A birth date on or before `as_of`, often within days of a band edge or on 29 February."""
    kind = draw(st.sampled_from(["edge", "edge", "any", "leap"]))
    if kind == "leap":
        year = draw(st.sampled_from([y for y in range(1928, as_of.year + 1, 4)
                                     if dt.date(y, 2, 29) <= as_of]))
        return dt.date(year, 2, 29).isoformat()
    age = draw(st.sampled_from(AGE_EDGES)) if kind == "edge" else draw(st.integers(0, 100))
    born = _years_before(as_of, age) + dt.timedelta(days=draw(st.integers(-3, 3)))
    return min(born, as_of).isoformat()


@st.composite
def languages(draw) -> list[dict]:
    """0-6 distinct languages; some level sets repeat or tie on purpose."""
    codes = draw(st.lists(st.sampled_from(LANGUAGES), max_size=MOST_LANGUAGES, unique=True))
    chosen = []
    for code in codes:
        levels = draw(st.one_of(
            st.tuples(*[st.sampled_from(CEFR)] * 4),
            st.sampled_from(TIED_LEVELS).flatmap(st.permutations).map(tuple),
            st.tuples(*[st.sampled_from(CEFR[2:])] * 4),
        ))
        chosen.append({"language": code, **dict(zip(SKILLS, levels))})
    return chosen


isco_codes = st.one_of(
    st.sampled_from(NEAR_SHORTAGE_CODES),
    st.from_regex(r"\A[0-9]{4}\Z", fullmatch=True),
)
experience_years = st.one_of(st.integers(1, 6), st.integers(1, 50))


@st.composite
def experience(draw) -> list[dict]:
    """0-5 distinct occupations from every ISCO-08 major group."""
    codes = draw(st.lists(isco_codes, max_size=MOST_OCCUPATIONS, unique=True))
    return [{"occupation": code, "years": draw(experience_years)} for code in codes]


state_codes = st.one_of(st.sampled_from(INTERESTING_STATES), st.sampled_from(STATES))


@st.composite
def profile(draw, as_of: dt.date, verified: bool = False) -> dict:
    """An EU profile the engine must accept on `as_of`: the candidate's document, or (`verified`) with
    the verified job offer the service adds before encoding."""
    preferences = draw(st.lists(state_codes, min_size=1, max_size=MOST_PREFERENCES, unique=True))
    offer_state = draw(st.one_of(st.sampled_from(preferences), state_codes))
    return {
        "date_of_birth": draw(date_of_birth(as_of)),
        "education_level": draw(st.integers(1, 8)),
        "languages": draw(languages()),
        "experience": draw(experience()),
        "job_offer": draw(st.none() | st.fixed_dictionaries(
            {"state": st.just(offer_state), "occupation": isco_codes})),
        "eu_study": draw(st.booleans()),
        "eu_work": draw(st.booleans()),
        "talent_partnership": draw(st.booleans()),
        "preferences": preferences,
        # Set by the service from an offer made through the pool (the claim above earns nothing).
        **({"verified_job_offer": draw(st.none() | st.fixed_dictionaries(
            {"state": st.sampled_from([offer_state, *preferences]), "occupation": isco_codes}))} if verified else {}),
    }


# Prefixes of 1-4 digits; short ones catch whole major groups, long ones single codes.
shortage_prefixes = st.one_of(st.from_regex(r"\A[0-9]{1,4}\Z", fullmatch=True),
                              st.sampled_from(NEAR_SHORTAGE_CODES))


@st.composite
def point_overrides(draw) -> dict:
    """Overlay points for some state factors, within the page's maxima (20 a skill, 50, 50).

    The first shortage band (no years) stays 0 and the per-skill table rises with the level:
    the page leaves other shapes open (see the reference's notes)."""
    points = {}
    if draw(st.booleans()):
        values = sorted(draw(st.lists(st.integers(0, 20), min_size=5, max_size=5)))
        points["state_language"] = dict(zip(CEFR, [0, *values]))
    if draw(st.booleans()):
        values = sorted(draw(st.lists(st.integers(0, 50), min_size=4, max_size=4)))
        points["shortage_occupation"] = [0, *values]
    if draw(st.booleans()):
        points["job_offer"] = draw(st.integers(0, 50))
    return points


@st.composite
def overlay(draw, state: str) -> dict:
    """A valid overlay for `state` with random languages, prefixes, minimum and points."""
    result = {
        "state": state,
        "name": f"Random {state}",
        "version": "test",
        "languages": draw(st.lists(st.sampled_from(LANGUAGES), max_size=4, unique=True)),
        "shortage_occupations": draw(st.lists(shortage_prefixes, max_size=5, unique=True)),
        "min_total": draw(st.one_of(st.just(0), st.integers(0, 800), st.integers(300, 600))),
    }
    points = draw(point_overrides())
    if points:
        result["points"] = points
    return result


@st.composite
def overlays(draw) -> dict[str, dict]:
    """Replacement overlays for a few states, the interesting ones more often."""
    states = draw(st.lists(state_codes, min_size=1, max_size=8, unique=True))
    return {state: draw(overlay(state)) for state in states}


def random_profile(rng: random.Random, as_of: dt.date, verified: bool = False) -> dict:
    """A valid profile from a seeded generator, with the same leanings as `profile`."""
    kind = rng.choice(["edge", "edge", "any", "leap"])
    if kind == "leap":
        born = dt.date(rng.choice([y for y in range(1928, as_of.year + 1, 4)
                                   if dt.date(y, 2, 29) <= as_of]), 2, 29)
    else:
        age = rng.choice(AGE_EDGES) if kind == "edge" else rng.randint(0, 100)
        born = min(_years_before(as_of, age) + dt.timedelta(days=rng.randint(-3, 3)), as_of)
    chosen = []
    for code in rng.sample(LANGUAGES, rng.randint(0, MOST_LANGUAGES)):
        shape = rng.random()
        if shape < 0.4:
            levels = [rng.choice(CEFR) for _ in SKILLS]
        elif shape < 0.7:
            levels = rng.sample(rng.choice(TIED_LEVELS), 4)
        else:
            levels = [rng.choice(CEFR[2:]) for _ in SKILLS]
        chosen.append({"language": code, **dict(zip(SKILLS, levels))})
    codes = set()
    while len(codes) < rng.choice([*range(MOST_OCCUPATIONS + 1), MOST_OCCUPATIONS]):
        codes.add(rng.choice(NEAR_SHORTAGE_CODES) if rng.random() < 0.5 else f"{rng.randint(0, 9999):04d}")
    work = [{"occupation": code, "years": rng.randint(1, 6) if rng.random() < 0.7 else rng.randint(1, 50)}
            for code in sorted(codes)]
    rng.shuffle(work)
    pool = INTERESTING_STATES if rng.random() < 0.5 else STATES
    preferences = rng.sample(pool, rng.randint(1, MOST_PREFERENCES))
    offer = None
    if rng.random() < 0.5:
        offer = {"state": rng.choice(preferences if rng.random() < 0.7 else STATES),
                 "occupation": rng.choice(NEAR_SHORTAGE_CODES)}
    document = {"date_of_birth": born.isoformat(), "education_level": rng.randint(1, 8),
                "languages": chosen, "experience": work, "job_offer": offer,
                "eu_study": rng.random() < 0.5, "eu_work": rng.random() < 0.5,
                "talent_partnership": rng.random() < 0.5, "preferences": preferences}
    if verified:  # the service's input: an offer made through the pool, often the claimed one confirmed
        document["verified_job_offer"] = (offer if rng.random() < 0.5 else
                                          {"state": rng.choice(preferences), "occupation": rng.choice(NEAR_SHORTAGE_CODES)}
                                          if rng.random() < 0.5 else None)
    return document


def seeded_profile(as_of: dt.date, verified: bool = False) -> st.SearchStrategy[dict]:
    """A profile that costs Hypothesis one choice: its seed."""
    return st.integers(0, 2**32 - 1).map(lambda seed: random_profile(random.Random(seed), as_of, verified))


def batch(as_of: dt.date, max_size: int = 300, verified: bool = False) -> st.SearchStrategy[list[dict]]:
    """1 to `max_size` valid profiles, about a quarter of them rich, the rest seeded (`verified`: with
    the service's verified job offer)."""
    seeded = seeded_profile(as_of, verified)
    one = st.one_of(profile(as_of, verified), seeded, seeded, seeded)
    return st.integers(1, max_size).flatmap(lambda size: st.lists(one, min_size=size, max_size=size))


def within_working_age(document: dict, as_of: dt.date, from_age: int = 15) -> dict:
    """`document` with each occupation's years cut to the age less `from_age` (dropped where that is
    under one year): a profile the API accepts, since it refuses experience from before working age.
    Written from the rule's wording, not from the service's check."""
    born = dt.date.fromisoformat(document["date_of_birth"])
    age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
    most = age - from_age
    work = [{**item, "years": min(item["years"], most)} for item in document["experience"] if most >= 1]
    return {**document, "experience": work}
