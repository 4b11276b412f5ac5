"""The message catalogs: one per official EU language, English, French and German complete, every
text of the sources in them, and the compiled files the service reads matching their sources."""
from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from app.web import languages

APP = Path(__file__).resolve().parents[2] / "app"
COMPLETE = ("de", "en", "fr")


def catalog(language: str):
    with languages.catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


@functools.cache
def source_messages() -> frozenset[str]:
    """Every text the sources mark for translation, found as `make translations` finds them."""
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = extract_from_dir(str(APP), method_map, options, keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None,
                                                                         "_l": None, "lazy_gettext": None})
    return frozenset(message if isinstance(message, str) else message[0] for _, _, message, _, _ in found)


def test_there_is_a_catalog_for_each_official_eu_language():
    assert len(languages.EU_LANGUAGES) == 24
    for language in languages.EU_LANGUAGES:
        assert languages.catalog_path(language).exists(), language


def test_english_french_and_german_are_offered_and_complete():
    assert set(COMPLETE) <= set(languages.complete_languages())
    for language in ("de", "fr"):
        assert languages.is_complete(language)


@pytest.mark.parametrize("language", languages.EU_LANGUAGES)
def test_every_text_of_the_sources_is_in_the_catalog(language):
    """Fails when a template gained a text and `make translations` was not run."""
    missing = source_messages() - {message.id[0] if isinstance(message.id, tuple) else message.id  # plurals: the singular
                                   for message in catalog(language) if message.id}
    assert not missing


def _key(text):
    """A message id or translation as one comparable value: a plural's forms as a tuple."""
    return tuple(text) if isinstance(text, (list, tuple)) else (text,)


@pytest.mark.parametrize("language", languages.EU_LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language):
    compiled_path = languages.catalog_path(language).with_suffix(".mo")
    with compiled_path.open("rb") as handle:
        compiled = read_mo(handle)
    translated = {_key(m.id): _key(m.string) for m in catalog(language)
                  if m.id and m.string and all(_key(m.string)) and not m.fuzzy}
    found = {_key(m.id): _key(m.string) for m in compiled if m.id}
    assert {key: forms for key, forms in found.items() if key in translated} == translated
    # The rest can only be untranslated plurals, which the compiler fills with their English forms.
    assert all(set(forms) <= set(key) for key, forms in found.items() if key not in translated)
    buffer = io.BytesIO()
    write_mo(buffer, catalog(language))
    assert buffer.getvalue()  # the source compiles


@pytest.mark.parametrize("language", [code for code in languages.EU_LANGUAGES if code != languages.SOURCE_LANGUAGE])
def test_a_language_is_offered_exactly_when_its_source_catalog_is_complete(language):
    """The service decides from the compiled catalogs (fast at start-up); the definition is the
    source's: every message translated, none fuzzy, every plural form given."""
    messages = [m for m in catalog(language) if m.id]
    complete = bool(messages) and all(m.string and not m.fuzzy and all(_key(m.string)) for m in messages)
    assert languages.is_complete(language) == complete
