"""Member states and what their officials configure: grid overlays, the ceiling, categories."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
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
    """One version of a state's grid overlay; rows are never updated, the newest (highest id) is active.

    A state with no row here uses the overlay shipped with the grid.
    """

    __tablename__ = "overlay_version"

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    version: str = Field(sa_type=String(64))
    body: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")


class Category(SQLModel, table=True):
    """A named, validated candidate predicate a state's rounds may be restricted to."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("state_code", "key", name="uq_category_state_key"),)

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    key: str = Field(sa_type=String(64))
    title: str = Field(sa_type=String(200))
    definition: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
