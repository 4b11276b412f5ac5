"""The occupation chooser: finding an ISCO-08 unit group by words from its title, in the page's language.

Without JavaScript it is a step of the form itself: the person types words in the occupation box
and presses "Find"; the form comes back (nothing saved) with the matching unit groups as radio
buttons in place of the box, and the one chosen is posted with the rest of the form. With
JavaScript, `static/occupations.js` offers the same matches as the person types, from the JSON
at `/occupations.json` (our own origin, so the strict CSP holds). Both read `app.occupations.isco`.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from app.occupations import isco

blp = Blueprint("occupations", __name__)
FIND = "find:"  # the value of a "Find" button: find:<id of the occupation field>
MOST = 20
SHORTEST_QUERY = 2


@blp.get("/occupations.json")
def suggestions():
    """`[{code, title, lang}]`: unit groups matching `q`, in the page's language (English where it has none)."""
    query = request.args.get("q", "")[:100]
    if len(query.strip()) < SHORTEST_QUERY:
        return jsonify([])
    return jsonify([{"code": code, "title": title.text, "lang": title.language}
                    for code, title in isco.search(query, limit=MOST)])


def title_of(code: str):
    """The title of a 4-digit unit group's code, or None."""
    if len(code) == 4 and code.isdigit():
        group = isco.groups().get(code)
        if group is not None and group.level == 4:
            return isco.title(code)
    return None


def searcher(action: str):
    """The `search(field)` callback of `profile_form.sections` for a request whose button was `action`.

    The field named by a "Find" button gets its matches (an empty list when none match); every
    other occupation field shows the title of the code it holds."""
    wanted = action[len(FIND):] if action.startswith(FIND) else None

    def search(field):
        text = (field.data or "").strip()
        if field.id == wanted:
            return [(code, title) for code, title in isco.search(text, limit=MOST)] if text else [], text, None
        return None, text, title_of(text)

    return search
