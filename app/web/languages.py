"""Which language a page is in, and the names of languages and states in it.

The order of choice for a page: `?lang=xx` (then kept in a cookie, so the next page stays in
it), the cookie, the browser's `Accept-Language`, English. The API (its error messages) follows
`Accept-Language` alone: a program says in each request what it reads, and carries no cookie. Only *offered* languages are chosen: English (the
language the texts are written in) and every EU language whose catalog translates every message.
A catalog that is in place but not finished is not offered, because a page marked `lang="pl"`
that is mostly English would mislead screen readers and people alike; finishing a catalog is all
it takes to offer its language.

Names of member states and languages come from CLDR (through Babel) in the page's language,
never from a hand-written list.
"""
from __future__ import annotations

from pathlib import Path

from babel import Locale
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import get_locale

from app.web.forms import is_page_request

# The 24 official languages of the EU, by ISO 639-1 code.
EU_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
                "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")
SOURCE_LANGUAGE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def catalog_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def compiled_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"


def _key(message) -> str:
    """A message's id (the singular, for a plural message)."""
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def template_ids() -> frozenset[str]:
    """Every message id the pages and services ask for (`messages.pot`, made by `make translations`)."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return frozenset(_key(message) for message in read_po(handle) if message.id)


def is_complete(language: str, wanted: frozenset[str] | None = None) -> bool:
    """Whether the language's compiled catalog translates every message of the template.

    Read from the `.mo` file, which is what Flask-Babel serves and holds only translated,
    non-fuzzy messages: 0.01 s a catalog, where parsing the 23 `.po` files took most of a fresh
    process's start (about 1.7 s of CPU of a 3.5 s start, measured for issue 8)."""
    path = compiled_path(language)
    if not path.exists():
        return False
    wanted = template_ids() if wanted is None else wanted
    with path.open("rb") as handle:
        translated = {_key(message) for message in read_mo(handle) if message.id and _translated(message)}
    return bool(wanted) and wanted <= translated


def _translated(message) -> bool:
    """Whether a compiled message carries a translation: the compiler fills an untranslated plural
    with its English forms, which do not count."""
    if isinstance(message.string, (tuple, list)):
        return all(message.string) and tuple(message.string) != tuple(message.id)[:len(message.string)]
    return bool(message.string)


def complete_languages() -> tuple[str, ...]:
    """English and the EU languages whose catalogs are complete, in the EU's order."""
    wanted = template_ids()
    return tuple(code for code in EU_LANGUAGES if code == SOURCE_LANGUAGE or is_complete(code, wanted))


def offered() -> tuple[str, ...]:
    return current_app.extensions["talentpool.languages"]


def select_locale() -> str:
    """Flask-Babel's locale selector (see the module's docstring for the order)."""
    if not has_request_context():  # a command or a job renders in a language it chose (force_locale)
        return SOURCE_LANGUAGE
    languages = offered()
    if not is_page_request():
        return request.accept_languages.best_match(languages) or SOURCE_LANGUAGE
    asked = request.args.get("lang", "")
    if asked in languages:
        g.language_chosen = asked
        return asked
    kept = request.cookies.get(COOKIE, "")
    if kept in languages:
        return kept
    return request.accept_languages.best_match(languages) or SOURCE_LANGUAGE


def keep_choice(response: Response) -> Response:
    """Remember a `?lang=` choice in a cookie (an `after_request` hook)."""
    chosen = g.pop("language_chosen", None)
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


def current() -> str:
    """The page's language code, for `<html lang>`."""
    return str(get_locale() or SOURCE_LANGUAGE)


def state_name(code: str) -> str:
    """A member state's name in the page's language (CLDR); Greece is `GR` in ISO 3166 and in our grid."""
    return Locale.parse(current()).territories.get(code, code)


def language_name(code: str) -> str:
    """A language's name in the page's language (CLDR)."""
    return Locale.parse(current()).languages.get(code, code)


def autonym(code: str) -> str:
    """A language's name in itself (CLDR), as a language switcher lists it: "Deutsch", "Français"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def init_app(app: Flask) -> None:
    """Work out the offered languages once per process, and keep `?lang=` choices."""
    app.extensions["talentpool.languages"] = complete_languages()
    app.after_request(keep_choice)
