"""A candidate's expression of interest, stored as the points engine's encoded integer columns.

Why fixed slot columns (`language_1` .. `language_6`, `experience_1_*` .. `experience_5_*`,
`preference_1` .. `preference_5`) rather than child tables keyed by (profile_id, slot): the grid
bounds every list (at most 6 languages, 5 experiences, 5 preferences), and the nightly re-rank must
read the whole pool at once. With slot columns that is one `SELECT` over one table whose rows are
already the engine's (N, 6) / (N, 5) arrays side by side (see `app.ranking_runs.rerank.read_pool`); child
tables would need three joins or a pivot per slot and would multiply the rows read. An empty slot
holds -1 (codes) or 0 (levels, years), exactly as `ranking` encodes it, so nothing is translated on
the way in or out.

Codes are the grid's: `language_*` and `preference_*`/`job_offer_state` are indices into
`grid.codes("languages.language")` and `grid.state_codes`; levels 1..6 are A1..C2; occupations are ISCO-08
unit groups as integers; `date_of_birth` is YYYYMMDD.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, SmallInteger, String
from sqlmodel import Field, SQLModel

from app.storage.tables import UTCDateTime

LANGUAGE_SLOTS = 6
EXPERIENCE_SLOTS = 5
PREFERENCE_SLOTS = 5
LANGUAGE_SKILLS = ("listening", "reading", "speaking", "writing")


class ProfileStatus(StrEnum):
    """Where a profile stands; only `active` profiles are ranked. Rounds move them on."""

    ACTIVE = "active"
    INVITED = "invited"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


def _code(default: int = -1):
    return Field(default=default, sa_type=SmallInteger)


class Profile(SQLModel, table=True):
    """One row per candidate (`account_id` is unique); the candidate id is the account id."""

    __tablename__ = "profile"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", unique=True)
    status: str = Field(default=ProfileStatus.ACTIVE, sa_type=String(16), index=True)
    # The tie-break between equal scores: set at the first submission, never changed by updates.
    first_submitted_at: datetime = Field(sa_type=UTCDateTime)
    # The same instant as microseconds since the epoch: the re-rank sorts on it without parsing dates.
    first_submitted_us: int = Field(sa_type=BigInteger)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    date_of_birth: int
    education_level: int = Field(sa_type=SmallInteger)
    language_1: int = _code()
    language_1_listening: int = _code(0)
    language_1_reading: int = _code(0)
    language_1_speaking: int = _code(0)
    language_1_writing: int = _code(0)
    language_2: int = _code()
    language_2_listening: int = _code(0)
    language_2_reading: int = _code(0)
    language_2_speaking: int = _code(0)
    language_2_writing: int = _code(0)
    language_3: int = _code()
    language_3_listening: int = _code(0)
    language_3_reading: int = _code(0)
    language_3_speaking: int = _code(0)
    language_3_writing: int = _code(0)
    language_4: int = _code()
    language_4_listening: int = _code(0)
    language_4_reading: int = _code(0)
    language_4_speaking: int = _code(0)
    language_4_writing: int = _code(0)
    language_5: int = _code()
    language_5_listening: int = _code(0)
    language_5_reading: int = _code(0)
    language_5_speaking: int = _code(0)
    language_5_writing: int = _code(0)
    language_6: int = _code()
    language_6_listening: int = _code(0)
    language_6_reading: int = _code(0)
    language_6_speaking: int = _code(0)
    language_6_writing: int = _code(0)
    experience_1_occupation: int = _code()
    experience_1_years: int = _code(0)
    experience_2_occupation: int = _code()
    experience_2_years: int = _code(0)
    experience_3_occupation: int = _code()
    experience_3_years: int = _code(0)
    experience_4_occupation: int = _code()
    experience_4_years: int = _code(0)
    experience_5_occupation: int = _code()
    experience_5_years: int = _code(0)
    preference_1: int = _code()
    preference_2: int = _code()
    preference_3: int = _code()
    preference_4: int = _code()
    preference_5: int = _code()
    job_offer: int = _code(0)
    job_offer_state: int = _code()
    job_offer_occupation: int = _code()
    eu_study: int = _code(0)
    eu_work: int = _code(0)
    talent_partnership: int = _code(0)


def _slots(template: str, count: int) -> tuple[str, ...]:
    return tuple(template.format(i) for i in range(1, count + 1))


# The engine's encoded column name -> the table columns holding it (one, or one per slot).
ENCODED_COLUMNS: dict[str, tuple[str, ...]] = {
    "date_of_birth": ("date_of_birth",),
    "education_level": ("education_level",),
    "languages.language": _slots("language_{}", LANGUAGE_SLOTS),
    **{f"languages.{skill}": _slots(f"language_{{}}_{skill}", LANGUAGE_SLOTS) for skill in LANGUAGE_SKILLS},
    "experience.occupation": _slots("experience_{}_occupation", EXPERIENCE_SLOTS),
    "experience.years": _slots("experience_{}_years", EXPERIENCE_SLOTS),
    "job_offer": ("job_offer",),
    "job_offer.state": ("job_offer_state",),
    "job_offer.occupation": ("job_offer_occupation",),
    "eu_study": ("eu_study",),
    "eu_work": ("eu_work",),
    "talent_partnership": ("talent_partnership",),
    "preferences": _slots("preference_{}", PREFERENCE_SLOTS),
}

# The dtype the engine's contract gives each encoded column.
ENCODED_DTYPES: dict[str, str] = {
    "date_of_birth": "int32",
    "education_level": "int8",
    "languages.language": "int8",
    **{f"languages.{skill}": "int8" for skill in LANGUAGE_SKILLS},
    "experience.occupation": "int16",
    "experience.years": "int8",
    "job_offer": "int8",
    "job_offer.state": "int8",
    "job_offer.occupation": "int16",
    "eu_study": "int8",
    "eu_work": "int8",
    "talent_partnership": "int8",
    "preferences": "int8",
}
