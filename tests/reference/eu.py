"""The EU Talent Pool grid (version 2026.1), one candidate at a time, from `docs/eu-grid.md` only.

Written without reading `ranking/grids/eu.toml` or the engine, so that a wrong number in either
shows up as a disagreement instead of being copied into the expectation. The member states'
overlays are input data here (`ranking/grids/eu/overlays/*.toml`), as they are for the engine.

Readings of the page that the page itself leaves open, and that this module follows (each is
listed in the report that came with this file, with a profile where it matters):
- A candidate with none of the state's languages earns nothing for them, whatever an overlay
  gives A1. (Overlays can no longer give points for 0 shortage years, nor more per entry than
  the common grid: the engine refuses such overlays, so the reference need not decide them.)
- An occupation matching several of a state's prefixes counts once.
- A state total is withheld (None) when the candidate is not in the pool, or is below the
  state's minimum ("cannot be invited by that state"); `below_minimum` says the latter and is
  worked out from the state total whether or not the candidate is in the pool.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
SKILLS = ("listening", "reading", "speaking", "writing")
OVERLAY_DIRECTORY = Path(__file__).resolve().parents[2] / "ranking" / "grids" / "eu" / "overlays"

# Age: (first age of the band, points); under 18 earns nothing, 50 and over nothing.
AGE_BANDS = ((0, 0), (18, 80), (22, 95), (25, 110), (33, 100), (36, 85), (40, 60), (43, 35),
             (46, 15), (50, 0))
EDUCATION_POINTS = {1: 0, 2: 0, 3: 20, 4: 45, 5: 70, 6: 100, 7: 120, 8: 135}
BEST_LANGUAGE_PER_SKILL = dict(zip(CEFR, (0, 5, 12, 20, 27, 30)))
# Second language: 5 points for every full 20 of strength, at most 30 (strength 120).
SECOND_LANGUAGE_STEP, SECOND_LANGUAGE_POINTS_PER_STEP, SECOND_LANGUAGE_CAP = 20, 5, 30
# Skilled experience: (first number of years of the band, points).
SKILLED_YEARS_BANDS = ((0, 0), (1, 40), (2, 55), (3, 70), (4, 80), (5, 90))
SKILLED_MAJOR_GROUPS = set("12345678")

# Combinations, by language level "B2" or "C1+"; nothing below B2.
EDUCATION_AND_LANGUAGE = {"EQF 5-6": {"B2": 10, "C1+": 20}, "EQF 7-8": {"B2": 20, "C1+": 30}}
EXPERIENCE_AND_LANGUAGE = {"2-4 years": {"B2": 10, "C1+": 20}, "5+ years": {"B2": 20, "C1+": 30}}
COMBINATIONS_CAP = 50

EU_STUDY, EU_WORK, TALENT_PARTNERSHIP = 20, 20, 30
ADDITIONAL_CAP = 60

# Member-state additions, defaults of the common grid.
STATE_LANGUAGE_PER_SKILL = dict(zip(CEFR, (0, 5, 10, 15, 20, 20)))
STATE_LANGUAGE_CAP = 80
SHORTAGE_BAND_STARTS = (0, 1, 2, 3, 5)      # 0, 1, 2, 3-4, 5+ years
SHORTAGE_POINTS = (0, 20, 30, 40, 50)
JOB_OFFER = 50
STATE_ADDITIONS_CAP = 150

FACTORS = ("age", "education", "best_language", "second_language", "skilled_experience",
           "education_and_language", "experience_and_language", "eu_study", "eu_work",
           "talent_partnership")
SECTIONS = ("human_capital", "combinations", "additional")
STATE_FACTORS = ("state_language", "shortage_occupation", "job_offer")
RULES = ("adult", "language", "qualification_or_experience")


def shipped_overlays() -> dict[str, dict]:
    """The 27 overlays as shipped, read from their TOML files."""
    overlays = {}
    for path in sorted(OVERLAY_DIRECTORY.glob("*.toml")):
        with path.open("rb") as handle:
            overlays[path.stem] = tomllib.load(handle)
    return overlays


def age_on(date_of_birth: str, as_of: dt.date) -> int:
    """Whole years by the page's rule: a 29 February birthday counts from 1 March."""
    born = int(date_of_birth.replace("-", ""))
    return (int(as_of.strftime("%Y%m%d")) - born) // 10000


def _band(value: int, bands) -> int:
    points = 0
    for start, band_points in bands:
        if value >= start:
            points = band_points
    return points


def strength(language: dict) -> int:
    """A language's four skills scored on the best-language table and added."""
    return sum(BEST_LANGUAGE_PER_SKILL[language[skill]] for skill in SKILLS)


def language_points(languages: list[dict]) -> tuple[int, int]:
    """(best, second): the highest strength, and points for the second-highest.

    Two languages of equal strength are both counted: the second is as strong as the first."""
    strengths = sorted((strength(language) for language in languages), reverse=True) + [0, 0]
    steps = strengths[1] // SECOND_LANGUAGE_STEP
    return strengths[0], min(SECOND_LANGUAGE_CAP, steps * SECOND_LANGUAGE_POINTS_PER_STEP)


def language_level(languages: list[dict]) -> str:
    """The highest level held in all four skills of one language: below B1, B1, B2 or C1+."""
    weakest = [min(CEFR.index(language[skill]) for skill in SKILLS) for language in languages]
    level = max(weakest, default=0)
    return ("below B1", "below B1", "B1", "B2", "C1+", "C1+")[level]


def skilled_years(experience: list[dict]) -> int:
    """Years in ISCO-08 major groups 1-8; elementary occupations (9) and armed forces (0) excluded."""
    return sum(item["years"] for item in experience if item["occupation"][0] in SKILLED_MAJOR_GROUPS)


def _combinations(education_level: int, years: int, level: str) -> tuple[int, int]:
    if level not in ("B2", "C1+"):
        return 0, 0
    education = 0
    if education_level in (5, 6):
        education = EDUCATION_AND_LANGUAGE["EQF 5-6"][level]
    elif education_level in (7, 8):
        education = EDUCATION_AND_LANGUAGE["EQF 7-8"][level]
    experience = 0
    if 2 <= years <= 4:
        experience = EXPERIENCE_AND_LANGUAGE["2-4 years"][level]
    elif years >= 5:
        experience = EXPERIENCE_AND_LANGUAGE["5+ years"][level]
    return education, experience


def common_grid(profile: dict, as_of: dt.date) -> dict:
    """Every factor and section of the common grid, the total, and the failed eligibility rules."""
    age = age_on(profile["date_of_birth"], as_of)
    years = skilled_years(profile["experience"])
    level = language_level(profile["languages"])
    best, second = language_points(profile["languages"])
    education_and_language, experience_and_language = _combinations(
        profile["education_level"], years, level)
    result = {
        "age": _band(age, AGE_BANDS),
        "education": EDUCATION_POINTS[profile["education_level"]],
        "best_language": best,
        "second_language": second,
        "skilled_experience": _band(years, SKILLED_YEARS_BANDS),
        "education_and_language": education_and_language,
        "experience_and_language": experience_and_language,
        "eu_study": EU_STUDY if profile["eu_study"] else 0,
        "eu_work": EU_WORK if profile["eu_work"] else 0,
        "talent_partnership": TALENT_PARTNERSHIP if profile["talent_partnership"] else 0,
    }
    result["human_capital"] = sum(result[name] for name in FACTORS[:5])
    result["combinations"] = min(COMBINATIONS_CAP, education_and_language + experience_and_language)
    result["additional"] = min(ADDITIONAL_CAP, sum(result[name] for name in FACTORS[7:]))
    result["total"] = sum(result[name] for name in SECTIONS)
    failed = set()
    if age < 18:
        failed.add("adult")
    if level == "below B1":
        failed.add("language")
    if profile["education_level"] < 4 and years < 2:
        failed.add("qualification_or_experience")
    result["failed"] = failed
    result["eligible"] = not failed
    return result


def _matches(occupation: str, prefixes) -> bool:
    return any(occupation.startswith(prefix) for prefix in prefixes)


def state_additions(profile: dict, overlay: dict) -> dict:
    """The additions one state's overlay gives this candidate, per factor and their capped sum."""
    points = overlay.get("points", {})
    per_skill = points.get("state_language", STATE_LANGUAGE_PER_SKILL)
    official = [language for language in profile["languages"]
                if language["language"] in overlay.get("languages", [])]
    state_language = min(STATE_LANGUAGE_CAP, max(
        [sum(per_skill[language[skill]] for skill in SKILLS) for language in official], default=0))
    years = sum(item["years"] for item in profile["experience"]
                if _matches(item["occupation"], overlay.get("shortage_occupations", [])))
    shortage_points = points.get("shortage_occupation", SHORTAGE_POINTS)
    shortage = _band(years, zip(SHORTAGE_BAND_STARTS, shortage_points))
    # Only a verified offer counts (docs/eu-grid.md, "Job offer"); the candidate's own `job_offer` is a claim.
    offer = profile.get("verified_job_offer")
    job_offer = points.get("job_offer", JOB_OFFER) if offer and offer["state"] == overlay["state"] else 0
    additions = {"state_language": state_language, "shortage_occupation": shortage,
                 "job_offer": job_offer}
    additions["state_additions"] = min(STATE_ADDITIONS_CAP, sum(additions.values()))
    return additions


def elementary_waiver(profile: dict, overlay: dict) -> bool:
    """docs/eu-grid.md, "Elementary occupations": a state that lists occupations of ISCO-08 major
    group 9 as shortages lets in, at that state only, a candidate who misses only the
    qualification-or-experience rule but has two years or more in those listed group-9 occupations."""
    listed = overlay.get("shortage_occupations", [])
    years = sum(item["years"] for item in profile["experience"]
                if item["occupation"].startswith("9") and _matches(item["occupation"], listed))
    return years >= 2


def score(profile: dict, as_of: dt.date, overlays: dict[str, dict] | None = None) -> dict:
    """The common grid and, for each preferred state in order, that state's additions and total."""
    overlays = shipped_overlays() if overlays is None else overlays
    result = common_grid(profile, as_of)
    states = []
    for state in profile["preferences"]:
        overlay = overlays[state]
        additions = state_additions(profile, overlay)
        state_total = result["total"] + additions["state_additions"]
        below_minimum = state_total < overlay.get("min_total", 0)
        admitted = result["eligible"] or (result["failed"] == {"qualification_or_experience"}
                                          and elementary_waiver(profile, overlay))
        states.append({
            "state": state,
            "additions": additions,
            "total": state_total if admitted and not below_minimum else None,
            "below_minimum": below_minimum,
        })
    result["states"] = states
    return result
