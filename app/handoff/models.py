"""What follows an accepted invitation: the application in the state's procedure, and false claims it found.

An `Application` is the state's record of the procedure that follows one accepted invitation;
the candidate sees it. It is kept (pseudonymous, like the invitation) after the shared profile and
address are deleted at the end of the retention (`shared_until`), because the published counts of
lodged and approved applications are made from it.

A `Misrepresentation` is a state's finding that a claim in the profile was false: the candidate
leaves the pool and is barred until `barred_until`, unless an administrator lifts it.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, String
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class ApplicationStatus(StrEnum):
    """`lodged` is open; the other three are final outcomes, which start the retention of shared data."""

    LODGED = "lodged"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


FINAL_OUTCOMES = (ApplicationStatus.APPROVED.value, ApplicationStatus.REFUSED.value,
                  ApplicationStatus.WITHDRAWN.value)


class Application(SQLModel, table=True):
    """The application that followed one accepted invitation, as the inviting state records it."""

    __tablename__ = "application"

    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="invitation.id", unique=True)
    candidate_id: int = Field(foreign_key="account.id", index=True)
    state_code: str = Field(sa_type=String(2), index=True)
    status: str = Field(sa_type=String(16), index=True)
    lodged_on: date | None = Field(default=None, sa_type=Date)
    decided_on: date | None = Field(default=None, sa_type=Date)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # Set with a final outcome: the shared profile and address are deleted after this moment.
    shared_until: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    shared_data_deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Misrepresentation(SQLModel, table=True):
    """A claim the inviting state found false in its procedure, and the bar on re-entering the pool."""

    __tablename__ = "misrepresentation"

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="account.id", index=True)
    invitation_id: int = Field(foreign_key="invitation.id")
    state_code: str = Field(sa_type=String(2))
    claim: str = Field(sa_type=String(64))
    decision_reference: str = Field(sa_type=String(120))
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by: int | None = Field(default=None, foreign_key="account.id")
    barred_until: datetime = Field(sa_type=UTCDateTime)
    lifted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lifted_by: int | None = Field(default=None, foreign_key="account.id")
    lift_reason: str | None = Field(default=None, sa_type=String(300))
    # The keyed hash of the barred address while the bar lasts (`app.handoff.barred_addresses`).
    address_digest: str | None = Field(default=None, sa_type=String(64), index=True)
