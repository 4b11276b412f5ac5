"""A plain matcher written from issue 13 and docs/matching.md, to check `ranking.matching` against.

It reads profile *documents* (the JSON a candidate submits) and vacancy documents (state code,
ISCO-08 occupation, requirements as `app.employers.models.Vacancy` stores them), never the
grid's records or the engine's columns, and its numbers are written out again from the doc.
Loops and dictionaries on purpose: one candidate and one vacancy at a time.
"""
from __future__ import annotations

CEFR = ["A1", "A2", "B1", "B2", "C1", "C2"]
SKILLS = ["listening", "reading", "speaking", "writing"]
LOWEST_EQF = 1

# docs/matching.md, "The fit"
PER_EQF_LEVEL = 10
PER_CEFR_STEP = 3
PER_YEAR = 4
YEARS_COUNTED = 10
SAME_OCCUPATION = 20


def level(label: str) -> int:
    """A1 -> 1 ... C2 -> 6."""
    return CEFR.index(label) + 1


def years_in_scope(profile: dict, occupation: str, scope: str) -> int:
    total = 0
    for item in profile["experience"]:
        if scope == "occupation" and item["occupation"] == occupation:
            total += item["years"]
        if scope == "group" and item["occupation"][:3] == occupation[:3]:
            total += item["years"]
    return total


def requirements(vacancy: dict) -> dict:
    wanted = vacancy.get("requirements") or {}
    return {"education_level": wanted.get("education_level"), "languages": wanted.get("languages") or [],
            "experience_years": wanted.get("experience_years"),
            "experience_scope": wanted.get("experience_scope", "group")}


def fit(candidate: dict, vacancy: dict) -> int | None:
    """The fit of `candidate` ({"id", "profile", "findable", "any_state"}) for `vacancy`, None if no match."""
    profile, wanted = candidate["profile"], requirements(vacancy)
    if not candidate["findable"]:
        return None
    if vacancy["state_code"] not in profile["preferences"] and not candidate["any_state"]:
        return None
    score = 0
    minimum = wanted["education_level"]
    if minimum is not None and profile["education_level"] < minimum:
        return None
    score += PER_EQF_LEVEL * (profile["education_level"] - (minimum if minimum is not None else LOWEST_EQF))
    spoken = {item["language"]: item for item in profile["languages"]}
    for required in wanted["languages"]:
        own = spoken.get(required["language"])
        if own is None:
            return None
        for skill in SKILLS:
            floor = level(required[skill]) if required.get(skill) is not None else 1
            if level(own[skill]) < floor:
                return None
            score += PER_CEFR_STEP * (level(own[skill]) - floor)
    years = years_in_scope(profile, vacancy["occupation"], wanted["experience_scope"])
    needed = wanted["experience_years"] or 0
    if years < needed:
        return None
    score += PER_YEAR * (min(years, YEARS_COUNTED) - min(needed, YEARS_COUNTED))
    if any(item["occupation"] == vacancy["occupation"] for item in profile["experience"]):
        score += SAME_OCCUPATION
    return score


def _best_first(found: list[tuple[int, int | None]], limit: int) -> list[tuple[int, int]]:
    """The (id, fit) pairs that match, best fit first, then lower id; at most `limit`."""
    matched = [(identifier, score) for identifier, score in found if score is not None]
    matched.sort(key=lambda pair: (-pair[1], pair[0]))
    return matched[:limit]


def matches_for_vacancy(candidates: list[dict], vacancy: dict, limit: int) -> list[tuple[int, int]]:
    """[(candidate id, fit)], best fit first, then lower id."""
    return _best_first([(candidate["id"], fit(candidate, vacancy)) for candidate in candidates], limit)


def matches_for_candidate(candidate: dict, vacancies: list[dict], limit: int) -> list[tuple[int, int]]:
    """[(vacancy id, fit)], best fit first, then lower vacancy id."""
    return _best_first([(vacancy["id"], fit(candidate, vacancy)) for vacancy in vacancies], limit)


def top_for_all(candidates: list[dict], vacancies: list[dict], k: int) -> list[tuple[int, int, int, int]]:
    """[(vacancy index, candidate id, fit, rank from 1)] by vacancy index, then rank."""
    rows = []
    for position, vacancy in enumerate(vacancies):
        for rank, (candidate_id, score) in enumerate(matches_for_vacancy(candidates, vacancy, k), start=1):
            rows.append((position, candidate_id, score, rank))
    return rows
