"""Round categories as data: which candidates a round may invite, e.g. health professionals.

A category is a JSON-able definition an official stores with the round, not code, so it can be
validated when saved, audited, and re-applied unchanged later. Every predicate present must hold:

    {"occupations": ["22"], "min_years": 2,                  # ISCO-08 prefixes, with at least
                                                             # min_years (default 1) in one of them
     "min_language": {"level": "B2", "languages": ["de"]},   # all four skills at B2 or better in
                                                             # one listed language (any if omitted)
     "min_education_level": 6}                               # EQF level

It applies as a mask over the EU grid's encoded columns, passed to `allocate` as `eligible`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")  # coded 1..6 in the columns, 0 for none
SKILLS = ("listening", "reading", "speaking", "writing")
_FIELDS = ("occupations", "min_years", "min_language", "min_education_level")
_LANGUAGE_FIELDS = ("level", "languages")
_ISCO_PREFIX = re.compile(r"[0-9]{1,4}", re.ASCII)
_LANGUAGE_CODE = re.compile(r"[a-z]{2}", re.ASCII)
_ISCO_DIGITS = 4


@dataclass(frozen=True)
class LanguageRequirement:
    """All four skills at `level` (1..6 for A1..C2) or better, in one of `languages` (any if empty)."""

    level: int
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """A validated category; build it with `from_dict`."""

    occupations: tuple[str, ...] = ()
    min_years: int = 1
    min_language: LanguageRequirement | None = None
    min_education_level: int | None = None

    @classmethod
    def from_dict(cls, definition: dict, *, language_codes: tuple[str, ...] | None = None) -> Category:
        """Check a definition; ValueError naming the field on anything unexpected.

        With `language_codes` (the grid's list), languages outside it are refused now rather
        than when the round runs.
        """
        _only(definition, _FIELDS, "category")
        occupations = ()
        if "occupations" in definition:
            occupations = definition["occupations"]
            if not isinstance(occupations, list) or not occupations:
                raise ValueError("occupations: must be a non-empty list of ISCO-08 prefixes such as \"22\"")
            for prefix in occupations:
                if not isinstance(prefix, str) or not _ISCO_PREFIX.fullmatch(prefix):
                    raise ValueError(f"occupations: {prefix!r} is not an ISCO-08 prefix of 1 to 4 digits")
            occupations = tuple(dict.fromkeys(occupations))
        min_years = 1
        if "min_years" in definition:
            if not occupations:
                raise ValueError("min_years: only meaningful together with occupations")
            min_years = _integer(definition["min_years"], "min_years", 1, 50)
        min_language = None
        if "min_language" in definition:
            min_language = _language(definition["min_language"], language_codes)
        min_education = None
        if "min_education_level" in definition:
            min_education = _integer(definition["min_education_level"], "min_education_level", 1, 8)
        return cls(occupations, min_years, min_language, min_education)

    def to_dict(self) -> dict:
        """The definition back as data (`from_dict(c.to_dict()) == c`)."""
        definition = {}
        if self.occupations:
            definition["occupations"] = list(self.occupations)
            if self.min_years != 1:
                definition["min_years"] = self.min_years
        if self.min_language is not None:
            definition["min_language"] = {"level": LEVELS[self.min_language.level - 1]}
            if self.min_language.languages:
                definition["min_language"]["languages"] = list(self.min_language.languages)
        if self.min_education_level is not None:
            definition["min_education_level"] = self.min_education_level
        return definition

    def mask(self, columns: dict[str, np.ndarray], language_codes: tuple[str, ...] = ()) -> np.ndarray:
        """Which candidates (rows of the encoded columns) belong to the category.

        `language_codes` maps the codes in `languages.language` to ISO 639-1 codes (the
        grid's `codes("languages.language")`); needed only when the category names languages.
        """
        if not columns:
            raise ValueError("mask needs the encoded columns")
        member = np.ones(len(next(iter(columns.values()))), dtype=bool)
        if self.occupations:
            member &= self._has_occupation(columns)
        if self.min_language is not None:
            member &= self._speaks(columns, language_codes)
        if self.min_education_level is not None:
            member &= _column(columns, "education_level") >= self.min_education_level
        return member

    def _has_occupation(self, columns) -> np.ndarray:
        codes = _column(columns, "experience.occupation").astype(np.int32)
        matches = np.zeros(codes.shape, dtype=bool)
        for digits in sorted({len(prefix) for prefix in self.occupations}):
            wanted = [int(prefix) for prefix in self.occupations if len(prefix) == digits]
            # Codes are integers, so "0110" is 110: dropping the trailing digits still works,
            # and empty slots (-1) stay negative, matching no prefix.
            matches |= np.isin(codes // 10 ** (_ISCO_DIGITS - digits), wanted) & (codes >= 0)
        matches &= _column(columns, "experience.years") >= self.min_years
        return matches.any(axis=1)

    def _speaks(self, columns, language_codes) -> np.ndarray:
        requirement = self.min_language
        languages = _column(columns, "languages.language")
        good = languages >= 0
        for skill in SKILLS:
            good &= _column(columns, f"languages.{skill}") >= requirement.level
        if requirement.languages:
            unknown = [code for code in requirement.languages if code not in language_codes]
            if unknown:
                raise ValueError(f"min_language.languages: {unknown[0]!r} is not among the language codes given")
            good &= np.isin(languages, [language_codes.index(code) for code in requirement.languages])
        return good.any(axis=1)


def _language(value, language_codes) -> LanguageRequirement:
    _only(value, _LANGUAGE_FIELDS, "min_language")
    if "level" not in value:
        raise ValueError("min_language.level: missing (one of A1, A2, B1, B2, C1, C2)")
    if value["level"] not in LEVELS:
        raise ValueError(f"min_language.level: {value['level']!r} is not one of {', '.join(LEVELS)}")
    languages = value.get("languages", [])
    if not isinstance(languages, list) or ("languages" in value and not languages):
        raise ValueError("min_language.languages: must be a non-empty list of ISO 639-1 codes such as \"de\"")
    for code in languages:
        if not isinstance(code, str) or not _LANGUAGE_CODE.fullmatch(code):
            raise ValueError(f"min_language.languages: {code!r} is not a two-letter ISO 639-1 code")
        if language_codes is not None and code not in language_codes:
            raise ValueError(f"min_language.languages: {code!r} is not one of the grid's languages")
    return LanguageRequirement(LEVELS.index(value["level"]) + 1, tuple(dict.fromkeys(languages)))


def _only(value, allowed: tuple[str, ...], name: str) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{name}: must be an object with fields among {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            raise ValueError(f"{name}: unknown field {key!r} (expected {', '.join(allowed)})")


def _integer(value, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}: must be an integer from {low} to {high}, got {value!r}")
    return value


def _column(columns, name: str) -> np.ndarray:
    try:
        return np.asarray(columns[name])
    except KeyError:
        raise ValueError(f"the category needs the encoded column {name!r}") from None
