"""ISCO-08 titles in the page's language, and a search for the occupation chooser.

The classification is read once per process from `isco08.csv` (619 groups: 10 major, 43 sub-major,
130 minor, 436 unit groups; English, French and German titles for all). A page in any other
language falls back to English, and says so (`Title.language`), so a page can mark it `lang="en"`
for screen readers.
"""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import get_locale

DATA = Path(__file__).with_name("isco08.csv")
TITLED = ("en", "fr", "de")
FALLBACK = "en"
LEVELS = {1: "major", 2: "sub-major", 3: "minor", 4: "unit"}


@dataclass(frozen=True)
class Group:
    code: str
    level: int
    titles: dict  # language -> title, only the languages that have one

    @property
    def parent(self) -> str | None:
        return self.code[:-1] or None


@dataclass(frozen=True)
class Title:
    text: str
    language: str  # the language the text is in (the fallback's when the asked one has none)


@cache
def groups() -> dict[str, Group]:
    """Every ISCO-08 group by code, in code order."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["code"]: Group(row["code"], int(row["level"]),
                               {lang: row[f"title_{lang}"] for lang in TITLED if row[f"title_{lang}"]})
            for row in rows}


def unit_groups() -> list[Group]:
    return [group for group in groups().values() if group.level == 4]


def _language(locale: str | None) -> str:
    return (locale or str(get_locale() or FALLBACK)).split("_")[0]


def title(code: str, locale: str | None = None) -> Title | None:
    """The title of group `code` in `locale` (default: the request's), English when it has none there."""
    group = groups().get(code)
    if group is None:
        return None
    language = _language(locale)
    if language in group.titles:
        return Title(group.titles[language], language)
    return Title(group.titles[FALLBACK], FALLBACK)


def _folded(text: str) -> str:
    """Lower case without accents, so "ingenieur" finds "Ingénieurs"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _index(language: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((group.code, _folded(group.titles.get(language, "")), _folded(group.titles[FALLBACK]))
                 for group in unit_groups())


def search(query: str, locale: str | None = None, limit: int = 20) -> list[tuple[str, Title]]:
    """Unit groups whose code starts with `query`, or whose title (in `locale` or English) holds every word of it.

    Matches in the asked language come first, then English-only matches, each in code order.
    """
    words = _folded(query).split()
    if not words:
        return []
    language = _language(locale)
    if len(words) == 1 and words[0].isdigit():
        found = [code for code, _, _ in _index(language) if code.startswith(words[0])]
    else:
        own = [code for code, text, _ in _index(language) if text and all(w in text for w in words)]
        english = [code for code, _, text in _index(language) if code not in own and all(w in text for w in words)]
        found = own + english
    return [(code, title(code, language)) for code in found[:limit]]
