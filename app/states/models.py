"""Member states and what their officials configure: grid overlays, the ceiling, categories.

Rules are data with the date they take effect (OpenFisca's dated parameters are the model): an
overlay revision, a category revision and a change of participation each carry `effective_from`, and "the rules in
force on day D" are, for each state, the newest row whose `effective_from` is on or before D.
Rows are never updated, so any past day's rules can be read back.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class MemberState(SQLModel, table=True):
    """The 27 states, inserted by the first migration (the list changes only by treaty)."""

    __tablename__ = "member_state"

    code: str = Field(primary_key=True, sa_type=String(2))
    name: str = Field(sa_type=String(64))
    annual_invitation_ceiling: int | None = None
    ceiling_updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OverlayVersion(SQLModel, table=True):
    """One revision of a state's grid overlay; rows are never updated.

    The revision in force on a day is the state's one with the latest `effective_from` on or
    before it (the highest id among those of one date: a correction saved later wins). A state
    with no revision in force uses the overlay shipped with the grid. The version label is unique
    per state, so a label names one revision in the trail, in ranking runs and in rounds.
    """

    __tablename__ = "overlay_version"
    __table_args__ = (UniqueConstraint("state_code", "version", name="uq_overlay_version_state_version"),)

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    version: str = Field(sa_type=String(64))
    effective_from: date = Field(sa_type=Date, index=True)
    body: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")


class Category(SQLModel, table=True):
    """A named candidate predicate a state's rounds may be restricted to: its key, and through its
    revisions (`CategoryRevision`) a title and a definition that take effect on dates."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("state_code", "key", name="uq_category_state_key"),)

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    key: str = Field(sa_type=String(64))
    created_at: datetime = Field(sa_type=UTCDateTime)


class CategoryRevision(SQLModel, table=True):
    """One revision of a category's title and definition; rows are never updated.

    The revision in force on a day is the category's one with the latest `effective_from` on or
    before it (the highest id among those of one date); before its first revision's date a
    category is as first defined (a new category has no older definition to keep). Deleting a
    category deletes its revisions; rounds keep their own copy of the definition they ran with.
    """

    __tablename__ = "category_revision"

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="category.id", index=True, ondelete="CASCADE")
    title: str = Field(sa_type=String(200))
    definition: dict[str, Any] = Field(sa_type=JSON)
    effective_from: date = Field(sa_type=Date)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")


class StateParticipation(SQLModel, table=True):
    """Whether a member state takes part in the pool from `effective_from` on; rows are never updated.

    Taking part is voluntary (and Denmark, by Protocol 22, does not take part in measures under
    Title V TFEU), so it is data, not code: a state with no row in force takes part. A state not
    taking part on a day is left out of that day's ranking and rounds and cannot be chosen.
    """

    __tablename__ = "state_participation"

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    taking_part: bool
    effective_from: date = Field(sa_type=Date)
    reason: str = Field(default="", sa_type=String(500))
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
