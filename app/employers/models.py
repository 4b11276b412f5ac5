"""Employers, the people who act for them, and the vacancies they publish.

An `Employer` registers itself (pending), and an official of its member state verifies it before
it can publish anything; the same official can suspend it, with a reason. The people who act for
an employer are ordinary accounts of role `employer`, each tied to it by an `EmployerMember` row,
so one organisation can have several.

A `Vacancy` states its requirements in the grid's own terms (EQF level, languages with a minimum
CEFR level per skill, years in the occupation or its group), so the matching engine
(`ranking.matching`) compares them with the very records the points engine scores. The
requirements are kept as one JSON document, validated against the grid like a profile; the
engine reads them as columns.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime


class EmployerStatus(StrEnum):
    """`pending` until an official of its state verifies it; only a `verified` employer publishes."""

    PENDING = "pending"
    VERIFIED = "verified"
    SUSPENDED = "suspended"


class Employer(SQLModel, table=True):
    """An organisation established in one member state, known there by its registration number."""

    __tablename__ = "employer"
    __table_args__ = (UniqueConstraint("state_code", "registration_number"),)

    id: int | None = Field(default=None, primary_key=True)
    # What candidates see of it before they share anything: its name and this reference.
    reference: str = Field(sa_type=String(32), unique=True)
    name: str = Field(sa_type=String(200))
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    registration_number: str = Field(sa_type=String(64))
    contact_name: str = Field(sa_type=String(200))
    # The postal address of the establishment (free text: formats differ across the 27 states).
    address: str = Field(sa_type=String(500))
    status: str = Field(default=EmployerStatus.PENDING.value, sa_type=String(16), index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    verified_by: int | None = Field(default=None, foreign_key="account.id")
    suspended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    suspended_by: int | None = Field(default=None, foreign_key="account.id")
    suspension_reason: str | None = Field(default=None, sa_type=String(500))


class EmployerMember(SQLModel, table=True):
    """One person acting for an employer: an account of role `employer`, in one organisation only."""

    __tablename__ = "employer_member"

    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    added_at: datetime = Field(sa_type=UTCDateTime)


class VacancyStatus(StrEnum):
    """A `draft` is the employer's alone; `published` is visible and matched; `closed` is over."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Vacancy(SQLModel, table=True):
    """One job, with its requirements in the grid's terms (`requirements`, a JSON document).

    `requirements` = {"education_level": EQF 1–8 or null, "languages": [{"language", "listening",
    "reading", "speaking", "writing"} with a minimum CEFR level each, or null for a skill that does
    not matter], "experience_years": int or null, "experience_scope": "occupation" | "group"}.
    """

    __tablename__ = "vacancy"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_type=String(32), unique=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    state_code: str = Field(foreign_key="member_state.code", sa_type=String(2), index=True)
    occupation: str = Field(sa_type=String(4), index=True)  # ISCO-08 unit group
    title: str = Field(sa_type=String(200))
    description: str = Field(sa_type=Text)
    posts: int = Field(sa_type=Integer)
    location: str = Field(sa_type=String(200))
    closing_date: date = Field(sa_type=Date)
    requirements: dict = Field(sa_type=JSON)
    salary_min: int | None = Field(default=None, sa_type=Integer)  # a year, in euros
    salary_max: int | None = Field(default=None, sa_type=Integer)
    status: str = Field(default=VacancyStatus.DRAFT.value, sa_type=String(16), index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
