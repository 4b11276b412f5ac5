"""Member states: the public list, and what only a state's own officials may see and change.

Every change is audited in the same transaction as the change itself, with the official and the
difference, so the trail can never miss or invent a change.
"""
from __future__ import annotations

import ranking
from sqlmodel import Session, select

from app import clock, db
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_errors, field_path
from app.states import categories, effective_dates
from app.states import grid as grids
from app.states.models import Category, CategoryRevision, MemberState, OverlayVersion
from app.states.schemas import CategoryKeyArgs


def all_states(session: Session) -> list[MemberState]:
    """Every member state, by code."""
    return list(session.exec(select(MemberState).order_by(MemberState.code)).all())


def own_state(session: Session, official: Account, code: str) -> MemberState:
    """The state `code` if `official` works for it: 404 for no such state, 403 for another state's."""
    state = session.get(MemberState, code)
    if state is None:
        raise NotFound(f"There is no EU member state with the code {code!r}.")
    if official.state_code != code:
        raise Forbidden(f"You are an official of {official.state_code}; you cannot see or change {code}'s settings.")
    return state


def lock(session: Session, code: str) -> None:
    """Hold state `code`'s row until the transaction ends, so one state's check-then-insert changes
    (a new category, a round within the ceiling) run one after the other on PostgreSQL.

    SQLite needs nothing: every write request there holds the database from its `BEGIN IMMEDIATE`.
    """
    session.exec(select(MemberState.code).where(MemberState.code == code).with_for_update()).one()


# -- grid overlays ------------------------------------------------------------------------------

# What a full replacement (PUT) must carry besides `version`; the shipped overlays leave some out,
# so what the API shows is completed with these (an empty list adds nothing, no `points`
# overrides nothing), and what it shows can be sent back unchanged.
OVERLAY_DEFAULTS = {"description": "", "sources": [], "languages": [], "shortage_occupations": [],
                    "min_total": 0, "points": {}, "demo_data": False}


def complete(code: str, body: dict) -> dict:
    """`body` with every field of an overlay present (defaults where it has none)."""
    return {"state": code, "name": grids.shipped_overlay(code).get("name", code), **OVERLAY_DEFAULTS, **body}


def overlay(session: Session, code: str) -> dict:
    """The state's newest saved revision (which may take effect later), or the shipped overlay."""
    row = session.exec(select(OverlayVersion).where(OverlayVersion.state_code == code)
                       .order_by(OverlayVersion.id.desc())).first()
    in_force = grids.ids_in_force(session, clock.today()).get(code)
    return _revision(code, row, in_force) if row else _shipped(code, in_force)


def overlay_in_force(session: Session, code: str, day) -> dict:
    """The revision in force for `code` on `day`."""
    in_force = grids.ids_in_force(session, day).get(code)
    row = session.get(OverlayVersion, in_force) if in_force is not None else None
    return _revision(code, row, in_force) if row else _shipped(code, in_force)


def overlay_history(session: Session, code: str) -> list[dict]:
    """Every saved revision, latest effective date first, then the shipped overlay they started from."""
    rows = session.exec(select(OverlayVersion).where(OverlayVersion.state_code == code)
                        .order_by(OverlayVersion.effective_from.desc(), OverlayVersion.id.desc())).all()
    in_force = grids.ids_in_force(session, clock.today()).get(code)
    return [_revision(code, row, in_force) for row in rows] + [_shipped(code, in_force)]


def _revision(code: str, row: OverlayVersion, in_force: int | None) -> dict:
    return {"state": code, "revision": row.id, "source": "official", "effective_from": row.effective_from,
            "in_force": row.id == in_force, "saved_at": row.created_at, "saved_by": row.created_by,
            "overlay": complete(code, row.body)}


def _shipped(code: str, in_force: int | None) -> dict:
    return {"state": code, "revision": None, "source": "shipped", "effective_from": None,
            "in_force": in_force is None, "saved_at": None, "saved_by": None,
            "overlay": complete(code, grids.shipped_overlay(code))}


def checked_overlay(code: str, body: dict) -> dict:
    """`body` as the engine will apply it (every field present), or 422 naming the field it refused."""
    body = complete(code, body)
    if body["state"] != code:
        raise InvalidInput(f"This is {code}'s overlay; it cannot name {body['state']}.",
                           {"json": {"state": [f"Must be {code}."]}})
    try:
        ranking.validate_overlay(grids.GRID, body)
    except ranking.GridError as error:
        raise InvalidInput(f"The overlay was refused: {error.where or 'overlay'}: {error.problem}",
                           field_errors(field_path(error.where), error.problem)) from None
    return body


def save_overlay(session: Session, official: Account, code: str, body: dict) -> dict:
    """Store a new revision, taking effect on `body["effective_from"]` (default: the next ranking's date).

    A full replacement: `body` carries every field (the schema requires them), so nothing the
    official did not send is silently kept or dropped. The previous revisions stay as they were.
    """
    body = dict(body)
    effective_from = effective_dates.check(session, body.pop("effective_from", None))
    body = checked_overlay(code, body)
    lock(session, code)  # the label check and the insert, one revision of a state at a time
    taken = Conflict(f"{code} already has an overlay revision labelled {body['version']!r}; "
                     "give this one its own version label.", {"json": {"version": ["Already used by this state."]}})
    if session.exec(select(OverlayVersion.id).where(OverlayVersion.state_code == code,
                                                    OverlayVersion.version == body["version"])).first() is not None:
        raise taken
    before = overlay(session, code)["overlay"]
    row = OverlayVersion(state_code=code, version=body["version"], effective_from=effective_from, body=body,
                         created_at=clock.now(), created_by=official.id)
    db.add_or_conflict(session, row, taken)
    session.flush()
    trail.record(session, official, "overlay.update", f"overlay:{code}", state_code=code,
                 details={"revision": row.id, "version": body["version"], "effective_from": effective_from.isoformat(),
                          "changes": trail.diff(before, body)})
    return _revision(code, row, grids.ids_in_force(session, clock.today()).get(code))


def merged(base: dict, changes: dict) -> dict:
    """`base` with `changes` applied: given fields replace, objects (such as `points`) merge key by key."""
    result = dict(base)
    for key, value in changes.items():
        result[key] = merged(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) else value
    return result


def patch_overlay(session: Session, official: Account, code: str, changes: dict) -> dict:
    """A partial update: a new revision made of the newest one with `changes` applied."""
    return save_overlay(session, official, code, merged(overlay(session, code)["overlay"], changes))


# -- categories ---------------------------------------------------------------------------------

def _category_view(row: Category, revisions: list[CategoryRevision], today) -> dict:
    """A category as the API shows it: the revision in force today, and every revision by date."""
    current = categories.on(revisions, today)
    ordered = sorted(revisions, key=lambda r: (r.effective_from, r.id))
    return {"state": row.state_code, "key": row.key, "title": current.title, "definition": current.definition,
            "effective_from": current.effective_from, "created_at": row.created_at,
            "updated_at": max(r.created_at for r in revisions),
            "revisions": [{"revision": r.id, "title": r.title, "definition": r.definition,
                           "effective_from": r.effective_from, "created_at": r.created_at,
                           "in_force": r.id == current.id} for r in ordered]}


def _views(session: Session, rows: list[Category]) -> list[dict]:
    if not rows:
        return []
    revisions: dict[int, list[CategoryRevision]] = {}
    for revision in session.exec(select(CategoryRevision).where(
            CategoryRevision.category_id.in_([row.id for row in rows]))).all():
        revisions.setdefault(revision.category_id, []).append(revision)
    today = clock.today()
    return [_category_view(row, revisions[row.id], today) for row in rows]


def category_list(session: Session, code: str) -> list[dict]:
    """The state's categories, by key, each with its revision in force today and all its revisions."""
    return _views(session, list(session.exec(select(Category).where(Category.state_code == code)
                                             .order_by(Category.key)).all()))


def _category_row(session: Session, code: str, key: str) -> Category:
    row = session.exec(select(Category).where(Category.state_code == code, Category.key == key)).first()
    if row is None:
        raise NotFound(f"{code} has no category {key!r}.")
    return row


def category(session: Session, code: str, key: str) -> dict:
    """One of the state's categories (as `category_list` shows each), or 404."""
    return _views(session, [_category_row(session, code, key)])[0]


def category_in_force(session: Session, code: str, key: str, day) -> dict | None:
    """The category's key, title and definition in force on `day`, or None if the state has no such category."""
    return categories.in_force(session, [(code, key)], day).get((code, key))


def check_category_key(key: str) -> None:
    """A key is a slug, so it reads well in URLs and round records."""
    errors = CategoryKeyArgs().validate({"key": key})
    if errors:
        raise InvalidInput(f"Bad category key {key!r}: {errors['key'][0]}", {"path": errors})


def save_category(session: Session, official: Account, code: str, key: str, title: str,
                  definition: dict, effective_from=None) -> tuple[dict, bool]:
    """Create a category, or add a revision taking effect on `effective_from` (default and earliest:
    the next nightly ranking's date), after validating the definition; says whether it is new."""
    categories.validate(definition)
    day = effective_dates.check(session, effective_from)
    lock(session, code)  # else two creations of one key at once: both find none, one insert fails
    row = session.exec(select(Category).where(Category.state_code == code, Category.key == key)
                       .with_for_update()).first()
    now = clock.now()
    created = row is None
    before = None
    if created:
        row = Category(state_code=code, key=key, created_at=now)
        session.add(row)
        session.flush()
    else:
        previous = category_in_force(session, code, key, day)
        before = {"title": previous["title"], "definition": previous["definition"]}
    revision = CategoryRevision(category_id=row.id, title=title, definition=definition, effective_from=day,
                                created_at=now, created_by=official.id)
    session.add(revision)
    session.flush()
    trail.record(session, official, "category.create" if created else "category.update", f"category:{code}/{key}",
                 state_code=code, details={"effective_from": day.isoformat(), "revision": revision.id,
                                           "changes": trail.diff(before or {}, {"title": title,
                                                                                "definition": definition})})
    return category(session, code, key), created


def delete_category(session: Session, official: Account, code: str, key: str) -> None:
    """Remove a category and its revisions (rounds keep their own copy of the definition they ran with)."""
    row = _category_row(session, code, key)
    shown = category(session, code, key)
    trail.record(session, official, "category.delete", f"category:{code}/{key}", state_code=code,
                 details={"title": shown["title"], "definition": shown["definition"]})
    for revision in session.exec(select(CategoryRevision).where(CategoryRevision.category_id == row.id)).all():
        session.delete(revision)
    session.flush()
    session.delete(row)
