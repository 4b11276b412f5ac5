"""The shipped ISCO-08 structure: its counts, its hierarchy, and the codes the grids use."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.occupations import isco

GRIDS = Path(__file__).resolve().parents[2] / "ranking" / "grids"


def test_the_file_has_every_level_of_isco_08():
    levels = [group.level for group in isco.groups().values()]
    assert [levels.count(level) for level in (1, 2, 3, 4)] == [10, 43, 130, 436]
    assert len(isco.unit_groups()) == 436


def test_the_hierarchy_is_consistent():
    groups = isco.groups()
    for code, group in groups.items():
        assert code.isdigit() and len(code) == group.level
        assert group.parent is None or group.parent in groups
        assert group.titles["en"] and group.titles["fr"]
    parents = {group.parent for group in groups.values()}
    assert all(code in parents for code, group in groups.items() if group.level < 4)  # no empty group


def test_every_isco_code_in_the_grids_exists():
    codes = set()
    for path in GRIDS.rglob("*.toml"):
        codes.update(tomllib.loads(path.read_text()).get("shortage_occupations", []))
    assert codes and codes <= set(isco.groups())


@pytest.mark.parametrize("language", isco.TITLED)
def test_every_group_has_a_title_in_every_shipped_language(language):
    untitled = [code for code, group in isco.groups().items() if not group.titles.get(language, "").strip()]
    assert untitled == []
    per_level = [sum(1 for group in isco.groups().values() if group.level == level and language in group.titles)
                 for level in (1, 2, 3, 4)]
    assert per_level == [10, 43, 130, 436]


def test_titles_are_clean_text():
    for group in isco.groups().values():
        for text in group.titles.values():
            assert text == text.strip() and "  " not in text and not text.endswith(".")


def test_german_titles_below_the_major_groups():
    assert isco.title("2", "de") == isco.Title("Akademische Berufe", "de")
    assert isco.title("25", "de") == isco.Title("Akademische und vergleichbare Fachkräfte in der Informations- und Kommunikationstechnologie", "de")
    assert isco.title("2512", "de") == isco.Title("Softwareentwickler", "de")
    assert isco.title("5321", "de") == isco.Title("Pflegehelfer", "de")


def test_a_language_without_titles_falls_back_to_english_and_says_so():
    assert isco.title("2512", "it") == isco.Title("Software developers", "en")
    assert isco.title("2512", "fr").language == "fr"
    assert isco.title("9999", "en") is None


def test_search_by_words_in_any_case_and_without_accents_or_by_code():
    assert [code for code, _ in isco.search("Software developers", "en")] == ["2512", "2519"]  # every word, any order
    assert [code for code, _ in isco.search("developers SOFTWARE", "en")] == ["2512", "2519"]
    found = dict(isco.search("ingenieurs", "fr"))
    assert found and all(title.language == "fr" for title in found.values())
    assert [code for code, _ in isco.search("2512", "de")] == ["2512"]
    assert all(code.startswith("22") for code, _ in isco.search("22", "en"))
    assert isco.search("   ", "en") == []
