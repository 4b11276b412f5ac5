"""Where a candidate stood in the latest nightly ranking: their rank at each state they chose.

The rank is the one rounds allocate from, read from the newest complete run, so what a
candidate is shown and what a round does never disagree. It is last night's: a profile
changed today is ranked again tonight.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, select
from sqlmodel import Session

from app.ranking_runs import run_entries
from app.ranking_runs.models import SLOT_COLUMNS, RankingEntry
from app.states.grid import state_codes
from app.storage import entry_slots


@dataclass(frozen=True)
class Entry:
    """A candidate's entry in a run: first submission, and per slot (K,) the state index (-1:
    none), the total there and the rank there (0: not ranked)."""

    first_us: int
    states: np.ndarray
    totals: np.ndarray
    ranks: np.ndarray


def entry(connection: Connection, run_id: int, candidate_id: int) -> Entry | None:
    """The candidate's entry in the run (one primary-key read), or None."""
    table = RankingEntry.__table__
    row = connection.execute(select(table.c.first_submitted_us, *(table.c[column] for column in SLOT_COLUMNS))
                             .where(table.c.run_id == run_id, table.c.candidate_id == candidate_id)).first()
    if row is None:
        return None
    slots = np.array([row[1:]], dtype=np.int64)
    return Entry(int(row[0]), entry_slots.states(slots)[0], entry_slots.scores(slots)[0], entry_slots.ranks(slots)[0])


def of_entry(run, found: Entry | None, codes: tuple[str, ...]) -> dict | None:
    """`{run_date, states: [{state, total, rank}]}` of `found` in `run`, or None without one."""
    if run is None or found is None:
        return None
    return {"run_date": run.run_date, "states": [
        {"state": codes[int(state)], "total": int(total) if rank else None, "rank": int(rank) or None}
        for state, total, rank in zip(found.states, found.totals, found.ranks) if state >= 0]}


def of_candidate(session: Session, candidate_id: int) -> dict | None:
    """`{run_date, states: [{state, total, rank}]}`, or None if no ranking includes the candidate."""
    connection = session.connection()
    run = run_entries.latest_complete(connection)
    if run is None:
        return None
    return of_entry(run, entry(connection, run.id, candidate_id), state_codes())
