"""The audit trail of every official's and administrator's action."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class AuditEvent(SQLModel, table=True):
    """Append-only. `actor_role` is copied so the trail still reads after the actor's account goes."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    actor_role: str = Field(sa_type=String(16))
    action: str = Field(sa_type=String(64), index=True)
    state_code: str | None = Field(default=None, sa_type=String(2), index=True)
    subject: str = Field(sa_type=String(200))
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
