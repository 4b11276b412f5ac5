"""The steps between a vacancy and a candidate, each a row so that each is audited and exported.

- `Findability`: the candidate's consent to appear, pseudonymously, in employers' matches. Off
  until given; revoking it takes them out of every match at once. One row per account, kept with
  its dates (the consent record the GDPR asks for).
- `Interest`: an employer's interest in a matched candidate for one vacancy, with a message. Only
  when the candidate accepts it (`contact_shared_at`) does that employer, and no other, see the
  candidate's name-free profile details and e-mail address.
- `JobOffer`: made by the employer after the candidate shared contact; accepted by the candidate;
  an accepted offer from a verified employer is a *verified* offer, and only verified offers earn
  the grid's job-offer points.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class Findability(SQLModel, table=True):
    """A candidate's consent to be found by employers; `withdrawn_at` set means not findable."""

    __tablename__ = "findability"

    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    given_at: datetime = Field(sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # False: only employers of the states the candidate chose (their preferences) find them.
    any_state: bool = Field(default=False)


class InterestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"  # the candidate shared their contact details with this employer
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the employer, or because the candidate stopped being findable


class Interest(SQLModel, table=True):
    """An employer's interest in one candidate for one vacancy."""

    __tablename__ = "interest"
    __table_args__ = (UniqueConstraint("vacancy_id", "candidate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    candidate_id: int = Field(foreign_key="account.id", index=True)
    message: str = Field(sa_type=Text)
    status: str = Field(default=InterestStatus.PENDING.value, sa_type=String(16), index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    contact_shared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"  # accepted by the candidate from a verified employer: a verified offer
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the employer, or with the employer's suspension


class JobOffer(SQLModel, table=True):
    """A job offer an employer made after an accepted interest; the only source of job-offer points."""

    __tablename__ = "job_offer"

    id: int | None = Field(default=None, primary_key=True)
    interest_id: int = Field(foreign_key="interest.id", unique=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    candidate_id: int = Field(foreign_key="account.id", index=True)
    state_code: str = Field(sa_type=String(2), index=True)
    occupation: str = Field(sa_type=String(4))
    status: str = Field(default=OfferStatus.OFFERED.value, sa_type=String(16), index=True)
    made_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawal_reason: str | None = Field(default=None, sa_type=String(500))


class VacancyMatch(SQLModel, table=True):
    """One of a vacancy's best-fitting candidates, as stored nightly (top 100) and on publication.

    `reference` is the candidate's pseudonym for this vacancy only (`matches.reference`): the
    employer names the candidate by it, and cannot link them across vacancies."""

    __tablename__ = "vacancy_match"
    __table_args__ = (UniqueConstraint("vacancy_id", "candidate_id"), UniqueConstraint("vacancy_id", "reference"))

    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", ondelete="CASCADE", index=True)
    candidate_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    reference: str = Field(sa_type=String(16))
    rank: int
    fit: int
    computed_at: datetime = Field(sa_type=UTCDateTime)
