"""Member states: the public list, and what only a state's own officials may see and change.

Every change is audited in the same transaction as the change itself, with the official and the
difference, so the trail can never miss or invent a change.
"""
from __future__ import annotations

import ranking
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.errors import Forbidden, InvalidInput, NotFound, field_errors, field_path
from app.states import categories
from app.states import grid as grids
from app.states.models import Category, MemberState, OverlayVersion
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

def overlay(session: Session, code: str) -> dict:
    """The state's active overlay: its newest stored version, or the one shipped with the grid."""
    row = session.exec(select(OverlayVersion).where(OverlayVersion.state_code == code)
                       .order_by(OverlayVersion.id.desc())).first()
    return _revision(code, row) if row else _shipped(code)


def overlay_history(session: Session, code: str) -> list[dict]:
    """Every stored version, newest first, then the shipped overlay it started from."""
    rows = session.exec(select(OverlayVersion).where(OverlayVersion.state_code == code)
                        .order_by(OverlayVersion.id.desc())).all()
    return [_revision(code, row) for row in rows] + [_shipped(code)]


def _revision(code: str, row: OverlayVersion) -> dict:
    return {"state": code, "revision": row.id, "source": "official", "saved_at": row.created_at,
            "saved_by": row.created_by, "overlay": row.body}


def _shipped(code: str) -> dict:
    return {"state": code, "revision": None, "source": "shipped", "saved_at": None, "saved_by": None,
            "overlay": grids.shipped_overlay(code)}


def save_overlay(session: Session, official: Account, code: str, body: dict) -> dict:
    """Store a new version after the engine accepted it; the previous versions stay as they were."""
    body = {**body, "state": body.get("state", code)}
    if body["state"] != code:
        raise InvalidInput(f"This is {code}'s overlay; it cannot name {body['state']}.",
                           {"json": {"state": [f"Must be {code}."]}})
    try:
        ranking.validate_overlay(grids.GRID, body)
    except ranking.GridError as error:
        raise InvalidInput(f"The overlay was refused: {error.where or 'overlay'}: {error.problem}",
                           field_errors(field_path(error.where), error.problem)) from None
    before = overlay(session, code)["overlay"]
    row = OverlayVersion(state_code=code, version=body["version"], body=body, created_at=clock.now(),
                         created_by=official.id)
    session.add(row)
    session.flush()
    trail.record(session, official, "overlay.update", f"overlay:{code}", state_code=code,
                 details={"revision": row.id, "version": body["version"], "changes": trail.diff(before, body)})
    return _revision(code, row)


# -- the annual invitation ceiling ------------------------------------------------------------

def ceiling(state: MemberState) -> dict:
    """The state's ceiling as the API shows it."""
    return {"state": state.code, "annual_invitation_ceiling": state.annual_invitation_ceiling,
            "updated_at": state.ceiling_updated_at}


def save_ceiling(session: Session, official: Account, state: MemberState, value: int | None) -> dict:
    """Set how many invitations the state issues at most per calendar year (None: not set)."""
    before = state.annual_invitation_ceiling
    state.annual_invitation_ceiling = value
    state.ceiling_updated_at = clock.now()
    session.add(state)
    trail.record(session, official, "ceiling.update", f"ceiling:{state.code}", state_code=state.code,
                 details={"from": before, "to": value})
    return ceiling(state)


# -- categories ---------------------------------------------------------------------------------

def category_list(session: Session, code: str) -> list[Category]:
    """The state's categories, by key."""
    return list(session.exec(select(Category).where(Category.state_code == code).order_by(Category.key)).all())


def category(session: Session, code: str, key: str) -> Category:
    """One of the state's categories, or 404."""
    row = session.exec(select(Category).where(Category.state_code == code, Category.key == key)).first()
    if row is None:
        raise NotFound(f"{code} has no category {key!r}.")
    return row


def check_category_key(key: str) -> None:
    """A key is a slug, so it reads well in URLs and round records."""
    errors = CategoryKeyArgs().validate({"key": key})
    if errors:
        raise InvalidInput(f"Bad category key {key!r}: {errors['key'][0]}", {"path": errors})


def save_category(session: Session, official: Account, code: str, key: str, title: str,
                  definition: dict) -> tuple[Category, bool]:
    """Create or replace a category after validating its definition; says whether it is new."""
    categories.validate(definition)
    lock(session, code)  # else two creations of one key at once: both find none, one insert fails
    row = session.exec(select(Category).where(Category.state_code == code, Category.key == key)
                       .with_for_update()).first()
    now = clock.now()
    created = row is None
    before = None if created else {"title": row.title, "definition": row.definition}
    if created:
        row = Category(state_code=code, key=key, title=title, definition=definition, created_at=now, updated_at=now)
    else:
        row.title, row.definition, row.updated_at = title, definition, now
    session.add(row)
    trail.record(session, official, "category.create" if created else "category.update", f"category:{code}/{key}",
                 state_code=code, details={"changes": trail.diff(before or {}, {"title": title, "definition": definition})})
    return row, created


def delete_category(session: Session, official: Account, code: str, key: str) -> None:
    """Remove a category (rounds keep their own copy of the definition they ran with)."""
    row = category(session, code, key)
    trail.record(session, official, "category.delete", f"category:{code}/{key}", state_code=code,
                 details={"title": row.title, "definition": row.definition})
    session.delete(row)
