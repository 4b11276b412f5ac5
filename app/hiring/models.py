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
- `MatchGeneration`, `VacancyMatch`, `CandidateMatch`: every open vacancy's best-fitting findable
  candidates, stored nightly as a generation in bulk and read only once complete
  (`hiring.match_generations`); not steps of their own, but what an employer's interest starts from.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, SmallInteger, String, Text, UniqueConstraint
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


class MatchGeneration(SQLModel, table=True):
    """One complete set of every open vacancy's matches, as the nightly job writes it.

    Readers use the current generation only: the newest complete one not retired
    (`hiring.match_generations`). A generation being written (`completed_at` null) or retired
    (`retired_at` set: replaced, or left by a crash; its rows are being deleted) is seen by nobody,
    so employers switch from yesterday's matches to today's at the commit that completes it. Ids
    are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL): a crashed run's rows can
    never be taken for a later generation's.
    """

    __tablename__ = "vacancy_match_generation"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_type=UTCDateTime)  # when its pool and vacancies were read
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class VacancyMatch(SQLModel, table=True):
    """One of a vacancy's best-fitting candidates in one generation (top 100 nightly, and on publication).

    Keyed in the order the nightly job writes them (generation, vacancy, rank), so its bulk write
    only appends, and a vacancy's matches are one index range. No foreign keys and no index on the
    candidate: written in bulk, ten million a night, each would cost the write several times over
    (measured: a random-order candidate index made SQLite's chunks 5 times slower and PostgreSQL's
    COPY 3 times); `CandidateMatch` holds the same pairs in candidate order instead. Vacancies and
    accounts are never deleted (erasure empties the account, and deletes its matches itself).

    The employer names the candidate by a reference valid for this vacancy only
    (`matches.reference`, an HMAC of the vacancy and the candidate), computed when the matches are
    shown rather than stored: the same for the same pair every night."""

    __tablename__ = "vacancy_match"
    __table_args__ = {"sqlite_with_rowid": False}

    generation: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    vacancy_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    rank: int = Field(primary_key=True, sa_type=SmallInteger, sa_column_kwargs={"autoincrement": False})
    candidate_id: int = Field(sa_type=Integer)
    fit: int = Field(sa_type=Integer)


class CandidateMatch(SQLModel, table=True):
    """The vacancies a candidate is among the matches of, per generation: `VacancyMatch`'s pairs in
    candidate order, written beside it, so that finding a candidate's matches (withdrawal of
    consent, erasure, export) is an index range instead of a scan of ten million rows."""

    __tablename__ = "candidate_match"
    __table_args__ = {"sqlite_with_rowid": False}

    generation: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    candidate_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    vacancy_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
