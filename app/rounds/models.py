"""Invitation rounds.

A round is one member state's draw at a moment: scheduled by an official, then completed in one
transaction together with its invitations (`app.invitations.models`). Rounds due at the same
moment are allocated together (one deferred-acceptance run over their states) and share a
`draw_key`.

Exactly-once is the database's job: a process claims due rounds with a conditional UPDATE of
the lease columns, and completes a round with an UPDATE that only matches while the round is
still `scheduled` and still leased to that process, in the same transaction that inserts the
invitations. A partial unique index allows at most one pending or accepted invitation per
candidate, so no interleaving of processes can invite someone twice.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime

class RoundStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"


class Round(SQLModel, table=True):
    """What an official scheduled, and once completed, what it did and what it was computed from."""

    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("state_code", "scheduled_at", name="uq_round_state_scheduled_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(40), unique=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, index=True)
    size: int = Field(sa_type=Integer)
    category_key: str | None = Field(default=None, sa_type=String(64))
    # The category's title and definition in force on the round's day when it was scheduled; once
    # completed, the revision its draw used: the one in force on its ranking run's date.
    category: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    min_score: int | None = Field(default=None, sa_type=Integer)
    status: str = Field(default=RoundStatus.SCHEDULED, sa_type=String(16), index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    lease_owner: str | None = Field(default=None, sa_type=String(128))
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    draw_key: str | None = Field(default=None, sa_type=String(64), index=True)
    draw_states: list[str] | None = Field(default=None, sa_type=JSON)
    ranking_run_id: int | None = Field(default=None, foreign_key="ranking_run.id")
    quota: int | None = Field(default=None, sa_type=Integer)
    eligible_pool: int | None = Field(default=None, sa_type=Integer)
    invited: int | None = Field(default=None, sa_type=Integer)
    cutoff_score: int | None = Field(default=None, sa_type=Integer)
    cutoff_submitted_us: int | None = Field(default=None, sa_type=BigInteger)
    cutoff_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cutoff_candidate_id: int | None = Field(default=None, sa_type=Integer)
    input_hash: str | None = Field(default=None, sa_type=String(64))
    rule_versions: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # Who could be invited by this state, as bits over the ranking run's entries (zlib-packed):
    # candidates already holding an invitation, out of the pool since the run, or outside the
    # round's category are out. Recorded because those facts change, and verify needs them as they were.
    eligible_mask: bytes | None = Field(default=None, sa_type=LargeBinary)


class RoundSimulation(SQLModel, table=True):
    """A round an official tried before scheduling: who asked, when, with what, and what it gave.

    Kept so that a round can be compared with its simulation afterwards (the round's page shows
    the latest simulation of its state at its moment). No invitation is ever written for it; the
    invitees are kept only as a hash of their ids (`invitees_hash`), enough to tell whether the
    real round invited exactly the same people, and nothing about anyone in particular.
    """

    __tablename__ = "round_simulation"

    id: int | None = Field(default=None, primary_key=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    # What was asked: invitations, category key, minimum score (the moment is `scheduled_at`).
    parameters: dict[str, Any] = Field(sa_type=JSON)
    # The other states' rounds scheduled at that moment, which the joint allocation ran together.
    drawn_with: list[str] = Field(sa_type=JSON)
    ranking_run_id: int | None = Field(default=None, foreign_key="ranking_run.id", ondelete="SET NULL")
    input_hash: str = Field(sa_type=String(64))
    invitees_hash: str = Field(sa_type=String(64))
    # The answer as the API gives it: invited, quota, cut-off, drawn away, the invitees in counts.
    result: dict[str, Any] = Field(sa_type=JSON)
