"""Invitations: one candidate invited by one state in one round.

A partial unique index allows at most one pending or accepted invitation per candidate, so no
interleaving of processes running rounds can invite someone twice (see `app.rounds.execution`).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class InvitationStatus(StrEnum):
    """`pending` and `accepted` keep a candidate out of other rounds; the others do not."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    # Accepted, then withdrawn by the candidate: the state's record says so, and the candidate is free again.
    WITHDRAWN = "withdrawn"


HOLDING_STATUSES = (InvitationStatus.PENDING.value, InvitationStatus.ACCEPTED.value)


class Invitation(SQLModel, table=True):
    """One candidate invited by one state in one round; the candidate answers within the validity."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("round_id", "candidate_id", name="uq_invitation_round_candidate"),
        Index("uq_invitation_holding_candidate", "candidate_id", unique=True,
              sqlite_where=text("status IN ('pending', 'accepted')"),
              postgresql_where=text("status IN ('pending', 'accepted')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    candidate_id: int = Field(foreign_key="account.id", index=True)
    state_code: str = Field(sa_type=String(2))
    score: int = Field(sa_type=Integer)
    rank: int = Field(sa_type=Integer)
    preference: int = Field(sa_type=Integer)
    status: str = Field(default=InvitationStatus.PENDING, sa_type=String(16), index=True)
    issued_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the candidate, accepting, consented to share their profile and address with the state.
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
