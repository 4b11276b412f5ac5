"""A candidate's expression of interest: the document they wrote, and the engine's record of it.

`document` is the validated input contract exactly (JSON): what the API returns, what the data
export gives, and what `flask pool reencode` reads. `record` is the same profile as one
fixed-width binary record whose layout the grid derives (`grid.record_dtype`: one packed field
per encoded column, lists as fixed-size subarrays), and `record_grid` the grid contract it was
encoded under (`grid.record_version`). The nightly re-rank reads (id, first submission, record)
and scores the records through zero-copy column views, so there is one column to read per
profile whatever the grid says: changing a list limit or adding a factor changes the record's
width, not the table, and needs no migration, only a re-encode.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, LargeBinary, String, or_
from sqlmodel import Field, SQLModel

from app.states.grid import shipped_grid
from app.storage.tables import UTCDateTime

# How many preferences a profile may list, as the grid says (the ranking entries have a slot each).
PREFERENCE_SLOTS = shipped_grid().columns["preferences"].slots


class ProfileStatus(StrEnum):
    """Where a profile stands; only `active` profiles are ranked. Rounds move them on."""

    ACTIVE = "active"
    INVITED = "invited"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    # Taken out by a rule (`removal_reason`): unanswered invitations, or a false claim found by a state.
    REMOVED = "removed"


class RemovalReason(StrEnum):
    """Why a profile was removed from the pool; each comes with a notice saying what the candidate can do."""

    UNANSWERED = "unanswered"
    MISREPRESENTATION = "misrepresentation"


class Profile(SQLModel, table=True):
    """One row per candidate (`account_id` is unique); the candidate id is the account id."""

    __tablename__ = "profile"
    # Who is in the pool now (status, unexpired), answered from this index alone: a round reads a
    # million ids through it without visiting the rows (measured at 1M on SQLite under load:
    # 12.3 s through the status index and the rows, 2.7 s from this one; 0.44 s CPU to 0.15 s).
    __table_args__ = (Index("ix_profile_status_expires_at_account_id", "status", "expires_at", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", unique=True)
    status: str = Field(default=ProfileStatus.ACTIVE, sa_type=String(16))
    # The tie-break between equal scores: set at the first submission, never changed by updates.
    first_submitted_at: datetime = Field(sa_type=UTCDateTime)
    # The same instant as microseconds since the epoch: the re-rank sorts on it without parsing dates.
    first_submitted_us: int = Field(sa_type=BigInteger)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removal_reason: str | None = Field(default=None, sa_type=String(24))

    document: dict[str, Any] = Field(sa_type=JSON)
    record: bytes = Field(sa_type=LargeBinary)
    record_grid: str = Field(sa_type=String(64), index=True)


def of_another_contract(version: str):
    """SQL: the profile's record is of another grid contract than `version`.

    Written as two ranges, not `!=`, so both databases answer it from the `record_grid` index
    (an index search that is empty on a normal night) instead of scanning every profile."""
    column = Profile.__table__.c.record_grid
    return or_(column < version, column > version)
