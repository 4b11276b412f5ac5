"""The nightly ranking: one run per date, and every ranked candidate's totals and ranks in it.

A run is written in one transaction and marked complete in that same transaction, and readers
only ever read the newest complete run, so nobody sees a half-written ranking. Rounds allocate
from a run's entries (not from the live profiles), which is what lets `flask rounds verify`
recompute a round long after the profiles have changed.

Entries hold the candidate's preferences as they were ranked, the per-state totals aligned with
them (NO_SCORE where not eligible there) and the rank at that state (1 = best, 0 = not ranked
there), one packed slot per preference. They are written in bulk, so neither `run_id`
nor `candidate_id` carries a foreign key: a per-row check made the nightly COPY several times
slower, entries are written and deleted only together with their run, and an account row is
never deleted (erasure empties it).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Integer, LargeBinary, SmallInteger, String
from sqlmodel import Field, SQLModel

from app.profiles.models import PREFERENCE_SLOTS
from app.storage.tables import UTCDateTime


class RankingRun(SQLModel, table=True):
    """One night's ranking of the whole active pool, with what it was computed from."""

    __tablename__ = "ranking_run"

    id: int | None = Field(default=None, primary_key=True)
    run_date: date = Field(sa_type=Date, unique=True)
    started_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    grid: str = Field(sa_type=String(32))
    grid_version: str = Field(sa_type=String(32))
    # {"DE": {"version": "2026-11-01", "revision": 4, "effective_from": "2026-11-01"}, ...}: the overlay
    # revision in force on `run_date` for each state (revision null: the shipped overlay).
    overlay_versions: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The states taking part on `run_date` (the others were left out of the ranking), by code.
    taking_part: list[str] = Field(default_factory=list, sa_type=JSON)
    # SHA-256 of the canonical input: rule versions, run date and the pool's columns by candidate id.
    input_hash: str = Field(sa_type=String(64))
    # SHA-256 of the entries as written: `rounds verify` checks they were not changed since.
    entries_hash: str = Field(sa_type=String(64))
    candidates: int = Field(sa_type=Integer)
    eligible: int = Field(sa_type=Integer)


def _slot(kind, default):
    return Field(default=default, sa_type=kind)


class RankingEntry(SQLModel, table=True):
    """One candidate in one run; `slot_k` packs their k-th preference with its total and rank there.

    Packed (see `app.storage.entry_slots`) because the write is per value: 9 columns instead of
    21 halve the nightly write and every round's read of a million entries.
    """

    __tablename__ = "ranking_entry"

    run_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    candidate_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    first_submitted_us: int = Field(sa_type=BigInteger)
    total: int = Field(sa_type=Integer)
    eligible: int = Field(sa_type=SmallInteger)
    slot_1: int = Field(default=0, sa_type=BigInteger)
    slot_2: int = Field(default=0, sa_type=BigInteger)
    slot_3: int = Field(default=0, sa_type=BigInteger)
    slot_4: int = Field(default=0, sa_type=BigInteger)
    slot_5: int = Field(default=0, sa_type=BigInteger)


SLOT_COLUMNS = tuple(f"slot_{slot}" for slot in range(1, PREFERENCE_SLOTS + 1))
# Every entry column in the order the bulk writer and reader use.
ENTRY_COLUMNS = ("candidate_id", "first_submitted_us", "total", "eligible", *SLOT_COLUMNS)


class RankingTieGroup(SQLModel, table=True):
    """The candidates of one run with the same total at one state, in round order: what a
    provisional standing is computed from without reading the whole run.

    `size` entries; `first_us` their first submissions (little-endian int64) and `candidate_id`
    their ids (little-endian int32), both sorted by (first submission, id), the order that
    breaks a tie. A run has one row per (state, total) that anybody holds, a few thousand a
    night, so the rank ahead of a total is a short index range sum (see `provisional_standing`).
    """

    __tablename__ = "ranking_tie_group"

    run_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    state: int = Field(primary_key=True, sa_type=SmallInteger, sa_column_kwargs={"autoincrement": False})
    total: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    size: int = Field(sa_type=Integer)
    first_us: bytes = Field(sa_type=LargeBinary)
    candidate_id: bytes = Field(sa_type=LargeBinary)


TIE_GROUP_COLUMNS = ("run_id", "state", "total", "size", "first_us", "candidate_id")


class RankingRunPool(SQLModel, table=True):
    """The latest complete run's pool as columns, in chunks of `POOL_CHUNK_ROWS` candidates: what
    a round, a simulation and a preview read instead of a million entry rows and profiles.

    `entries` holds the chunk's rows of the run's entries matrix (`ENTRY_COLUMNS`, little-endian
    int64, row-major), exactly as `ranking_entry` holds them, so the run's `entries_hash` checks
    the copy; `records` the records the run scored, `record_width` bytes each, in the same
    candidate order (`record_grid` says which grid contract they are of). Both are compressed
    as `codec` says (`run_pool.CODEC`). Each row is a megabyte or two: reading a run this way
    costs a few hundred rows, not one per candidate (at 10M, 25 s for the entry rows on SQLite).
    Only the newest complete run keeps its chunks; erasure blanks the candidate's record here.
    """

    __tablename__ = "ranking_run_pool"

    run_id: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    chunk: int = Field(primary_key=True, sa_type=Integer, sa_column_kwargs={"autoincrement": False})
    first_candidate_id: int = Field(sa_type=BigInteger)
    size: int = Field(sa_type=Integer)
    record_grid: str = Field(sa_type=String(64))
    record_width: int = Field(sa_type=Integer)
    codec: str = Field(sa_type=String(16))
    entries: bytes = Field(sa_type=LargeBinary)
    records: bytes = Field(sa_type=LargeBinary)


POOL_CHUNK_ROWS = 65_536
