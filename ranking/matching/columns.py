"""The matching engine's inputs: the pool and the vacancies as columns, and their builders.

The engine never sees a profile record whole. `pool_from_records` copies out of the grid's
records only the fields a match may depend on (EQF level, languages with their four skills,
experience, preferred states) and the app's two findability flags; date of birth and every
other field are not copied, so no fit can read them (docs/matching.md, "Fair by construction").
Every code comes from the grid: the language, state and CEFR codes are the grid's own, and the
slot counts are the grid's list limits, so a grid allowing 8 languages needs no change here.

`vacancies_from_documents` turns the app's vacancies (state code, ISCO-08 occupation and the
requirements document of `app.employers.models.Vacancy`) into the same codes.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

# The four CEFR skills, in the order of the last axis of `Pool.levels` and `Vacancies.skill_min`.
SKILLS = ("listening", "reading", "speaking", "writing")
SCOPES = ("occupation", "group")
# Columns of the grid's records the pool reads (the `eu` grid's names; a grid without them
# cannot be matched).
EDUCATION = "education_level"
LANGUAGE = "languages.language"
OCCUPATION = "experience.occupation"
YEARS = "experience.years"
PREFERENCES = "preferences"


@dataclass(frozen=True)
class Scale:
    """The grid's codes the engine needs: labels in code order, and the CEFR code range.

    A language's code is `languages.index(label)`, a state's `states.index(label)` (the codes of
    the grid's `preferences`), a CEFR level's code is 1 (A1) to `top_level` (C2), 0 meaning none.
    """

    languages: tuple[str, ...]
    states: tuple[str, ...]
    levels: tuple[str, ...]        # CEFR labels, level code = index + 1
    education: tuple[int, int]     # lowest and highest EQF level the grid allows
    language_slots: int
    occupation_slots: int
    preference_slots: int

    @property
    def top_level(self) -> int:
        return len(self.levels)

    @classmethod
    def of(cls, grid) -> "Scale":
        columns = grid.columns
        for name in (EDUCATION, LANGUAGE, OCCUPATION, YEARS, PREFERENCES, *(f"languages.{s}" for s in SKILLS)):
            if name not in columns:
                raise ValueError(f"grid {grid.name} has no input column {name!r}: it cannot be matched")
        level = columns[f"languages.{SKILLS[0]}"].scalar
        if level.first_code != 1:
            raise ValueError(f"grid {grid.name}: CEFR codes must start at 1 (0 = no level)")
        education = columns[EDUCATION].scalar
        return cls(languages=tuple(grid.codes(LANGUAGE)), states=tuple(grid.codes(PREFERENCES)),
                   levels=tuple(level.labels), education=(education.minimum, education.maximum),
                   language_slots=columns[LANGUAGE].slots, occupation_slots=columns[OCCUPATION].slots,
                   preference_slots=columns[PREFERENCES].slots)


@dataclass(frozen=True)
class Pool:
    """N candidates as the engine's columns, sorted by candidate id (so index order is id order).

    A list is stored slot-major (one contiguous (N,) row per slot), so that a test over a list
    is one whole-array operation per slot, never a reduction over a short axis.

    ids          (N,) int64, strictly increasing
    education    (N,) int8, EQF level
    language     (S, N) int8 language codes, -1 in an empty slot (S = the grid's language limit)
    levels       (4, S, N) int8 CEFR codes per skill (SKILLS order) and slot, 0 in an empty slot
    occupation   (E, N) int16 ISCO-08 unit groups, -1 in an empty slot
    group        (E, N) int16 their minor groups (the first three digits), negative in an empty slot
    years        (E, N) int8 years in that occupation, 0 in an empty slot
    preferences  (P, N) int8 state codes, -1 in an empty slot
    findable     (N,) bool: consented to be found (and has not withdrawn)
    any_state    (N,) bool: employers of states they did not choose may find them too
    """

    scale: Scale
    ids: np.ndarray
    education: np.ndarray
    language: np.ndarray
    levels: np.ndarray
    occupation: np.ndarray
    group: np.ndarray
    years: np.ndarray
    preferences: np.ndarray
    findable: np.ndarray
    any_state: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows) -> "Pool":
        """The candidates at `rows` (a slice: views; or positions, ascending to keep the id order)."""
        rows = rows if isinstance(rows, slice) else np.asarray(rows)
        return Pool(self.scale, *(getattr(self, name)[..., rows] for name in _POOL_ARRAYS))

    def with_findability(self, findable, any_state) -> "Pool":
        """The same candidates with other findability flags ((N,) booleans each)."""
        return replace(self, findable=np.broadcast_to(np.asarray(findable, bool), self.ids.shape),
                       any_state=np.broadcast_to(np.asarray(any_state, bool), self.ids.shape))


_POOL_ARRAYS = ("ids", "education", "language", "levels", "occupation", "group", "years", "preferences",
                "findable", "any_state")


def pool_from_records(grid, records: np.ndarray, ids, findable, any_state) -> Pool:
    """The pool of `records` (an (N,) array of `grid.record_dtype`) with the app's findability.

    `ids` (N,) candidate ids (any order, unique), `findable` and `any_state` (N,) booleans in the
    same order (the app's `Findability`: consent given and not withdrawn; `any_state`). Only the
    columns listed in `Pool` are copied, sorted by id.
    """
    scale = Scale.of(grid)
    if records.dtype != grid.record_dtype:
        raise ValueError(f"records of dtype {records.dtype} are not grid {grid.name}'s records")
    ids = np.asarray(ids, dtype=np.int64)
    findable, any_state = np.asarray(findable, dtype=bool), np.asarray(any_state, dtype=bool)
    n = len(records)
    if ids.shape != (n,) or findable.shape != (n,) or any_state.shape != (n,):
        raise ValueError(f"ids, findable and any_state must each hold one value per record ({n})")
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    if n > 1 and not (ids[1:] > ids[:-1]).all():
        raise ValueError("candidate ids must be unique")
    records = records[order] if n and (order != np.arange(n)).any() else records
    levels = np.empty((len(SKILLS), scale.language_slots, n), dtype=np.int8)
    for k, skill in enumerate(SKILLS):
        levels[k] = records[f"languages.{skill}"].T
    occupation = _slot_major(records[OCCUPATION], np.int16)
    return Pool(scale=scale, ids=ids,
                education=np.ascontiguousarray(records[EDUCATION], dtype=np.int8),
                language=_slot_major(records[LANGUAGE], np.int8),
                levels=levels,
                occupation=occupation,
                group=occupation // 10,
                years=_slot_major(records[YEARS], np.int8),
                preferences=_slot_major(records[PREFERENCES], np.int8),
                findable=findable[order], any_state=any_state[order])


def _slot_major(column: np.ndarray, dtype) -> np.ndarray:
    """An (N, M) record field as a contiguous (M, N) array."""
    return np.ascontiguousarray(column.T, dtype=dtype)


@dataclass(frozen=True)
class Vacancies:
    """V vacancies as columns.

    ids            (V,) int64 vacancy ids (any order; ties in a candidate's matches go to the lower id)
    state          (V,) int8 state code (the grid's `preferences` codes)
    occupation     (V,) int16 ISCO-08 unit group (4 digits)
    education_min  (V,) int8 minimum EQF level, 0 = none
    language       (L, V) int8 required language codes, slot-major like the pool's lists, filled from
                   the first slot, -1 in an unused slot (L = the grid's language limit)
    skill_min      (4, L, V) int8 minimum CEFR code per skill (SKILLS order) and slot, 0 = any level
    years_min      (V,) int8 minimum years of experience, 0 = none
    group_scope    (V,) bool: years count in the occupation's ISCO-08 minor group (its first three
                   digits) rather than in the exact occupation
    """

    scale: Scale
    ids: np.ndarray
    state: np.ndarray
    occupation: np.ndarray
    education_min: np.ndarray
    language: np.ndarray
    skill_min: np.ndarray
    years_min: np.ndarray
    group_scope: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows) -> "Vacancies":
        """The vacancies at `rows` (a slice or positions)."""
        rows = rows if isinstance(rows, slice) else np.asarray(rows)
        return Vacancies(self.scale, *(getattr(self, name)[..., rows] for name in _VACANCY_ARRAYS))


_VACANCY_ARRAYS = ("ids", "state", "occupation", "education_min", "language", "skill_min", "years_min",
                   "group_scope")


def vacancies_from_documents(grid, vacancies: Iterable[Mapping[str, Any] | Any]) -> Vacancies:
    """The vacancies' columns from the app's vacancies.

    Each item is a mapping or an object with `id`, `state_code` ("DE"), `occupation` ("2512") and
    `requirements`, the document of `app.employers.models.Vacancy`: {"education_level": 1-8 or
    null, "languages": [{"language": "de", "listening": "B2" or null, "reading": ..., "speaking":
    ..., "writing": ...}], "experience_years": int or null, "experience_scope": "occupation" |
    "group"}. A missing key means none (no minimum, no language, scope "group"); a null skill
    means any level. A value outside the grid's codes raises ValueError naming the vacancy.
    """
    scale = Scale.of(grid)
    items = list(vacancies)
    v, slots = len(items), scale.language_slots
    out = {"ids": np.zeros(v, np.int64), "state": np.zeros(v, np.int8), "occupation": np.zeros(v, np.int16),
           "education_min": np.zeros(v, np.int8), "language": np.full((slots, v), -1, np.int8),
           "skill_min": np.zeros((len(SKILLS), slots, v), np.int8), "years_min": np.zeros(v, np.int8),
           "group_scope": np.ones(v, bool)}
    for row, item in enumerate(items):
        vacancy_id = _get(item, "id")
        try:
            _fill(scale, out, row, item)
        except (ValueError, TypeError, KeyError) as error:
            raise ValueError(f"vacancy {vacancy_id}: {error}") from None
    return Vacancies(scale=scale, **out)


def _get(item, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _fill(scale: Scale, out: dict[str, np.ndarray], row: int, item) -> None:
    out["ids"][row] = int(_get(item, "id"))
    state = _get(item, "state_code")
    if state not in scale.states:
        raise ValueError(f"state {state!r} is not one of the grid's states")
    out["state"][row] = scale.states.index(state)
    occupation = str(_get(item, "occupation"))
    if len(occupation) != 4 or not occupation.isdigit():
        raise ValueError(f"occupation {occupation!r} is not a 4-digit ISCO-08 unit group")
    out["occupation"][row] = int(occupation)
    requirements = _get(item, "requirements") or {}
    level = requirements.get("education_level")
    if level is not None:
        if isinstance(level, bool) or not scale.education[0] <= int(level) <= scale.education[1]:
            raise ValueError(f"education_level {level!r} is not an EQF level of the grid")
        out["education_min"][row] = int(level)
    languages = requirements.get("languages") or []
    if len(languages) > scale.language_slots:
        raise ValueError(f"at most {scale.language_slots} required languages, not {len(languages)}")
    seen = set()
    for slot, language in enumerate(languages):
        code = language.get("language")
        if code not in scale.languages or code in seen:
            raise ValueError(f"language {code!r} is not one of the grid's languages, or is repeated")
        seen.add(code)
        out["language"][slot, row] = scale.languages.index(code)
        for k, skill in enumerate(SKILLS):
            minimum = language.get(skill)
            if minimum is not None:
                if minimum not in scale.levels:
                    raise ValueError(f"{code}.{skill}: {minimum!r} is not a CEFR level")
                out["skill_min"][k, slot, row] = scale.levels.index(minimum) + 1
    years = requirements.get("experience_years")
    if years is not None:
        if isinstance(years, bool) or not 0 <= int(years) <= 127:
            raise ValueError(f"experience_years {years!r} is not a number of years")
        out["years_min"][row] = int(years)
    scope = requirements.get("experience_scope", "group")
    if scope not in SCOPES:
        raise ValueError(f"experience_scope {scope!r} is not one of {', '.join(SCOPES)}")
    out["group_scope"][row] = scope == "group"
