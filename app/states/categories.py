"""Categories: their definitions validated by the ranking core, which is what will apply them, and
the revision of each in force on a day.

A category's title and definition are dated revisions (`CategoryRevision`, never updated): the
one in force on day D is the newest whose `effective_from` is on or before D (the highest id among
those of one date); before its first revision's date a category is as first defined, since a new
category has no older definition to keep. A round restricted to a category allocates with the
revision in force on its ranking run's date (`app.rounds.execution`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ranking.categories import Category
from sqlalchemy import select

from app.errors import InvalidInput
from app.states.models import Category as StoredCategory
from app.states.models import CategoryRevision


def validate(definition: dict) -> None:
    """Let `ranking.categories.Category.from_dict` judge the definition; refusals become 422s."""
    if not definition:
        raise InvalidInput("A category needs at least one condition.",
                           {"json": {"definition": ["Give occupations, min_language or min_education_level."]}})
    try:
        Category.from_dict(definition)
    except (ValueError, TypeError, KeyError) as error:
        raise InvalidInput(f"The category was refused: {error}", {"json": {"definition": [str(error)]}}) from None


def on(revisions: list, day: dt.date):
    """The revision in force on `day` among one category's `revisions` (any order, at least one)."""
    ordered = sorted(revisions, key=lambda r: (r.effective_from, r.id))
    in_force = [r for r in ordered if r.effective_from <= day]
    return in_force[-1] if in_force else ordered[0]


def revisions_of(connection, state_codes: Iterable[str]) -> dict[tuple[str, str], list]:
    """Every revision of the categories of `state_codes`, by (state, key); on a session or a connection."""
    rows = connection.execute(
        select(StoredCategory.state_code, StoredCategory.key, CategoryRevision.id, CategoryRevision.title,
               CategoryRevision.definition, CategoryRevision.effective_from)
        .join(CategoryRevision, CategoryRevision.category_id == StoredCategory.id)
        .where(StoredCategory.state_code.in_(sorted(set(state_codes))))).all()
    found: dict[tuple[str, str], list] = {}
    for row in rows:
        found.setdefault((row.state_code, row.key), []).append(row)
    return found


def in_force(connection, wanted: Iterable[tuple[str, str]], day: dt.date) -> dict[tuple[str, str], dict]:
    """{(state, key): {"key", "title", "definition", "effective_from"}} in force on `day`, for the
    categories of `wanted` that exist (a deleted one is absent)."""
    wanted = set(wanted)
    if not wanted:
        return {}
    revisions = revisions_of(connection, {state for state, _key in wanted})
    out = {}
    for (state, key) in wanted & set(revisions):
        revision = on(revisions[(state, key)], day)
        out[(state, key)] = {"key": key, "title": revision.title, "definition": revision.definition,
                             "effective_from": revision.effective_from.isoformat()}
    return out
