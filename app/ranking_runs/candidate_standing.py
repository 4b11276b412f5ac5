"""Where a candidate stood in the latest nightly ranking: their rank at each state they chose.

The rank is the one rounds allocate from, read from the newest complete run, so what a
candidate is shown and what a round does never disagree. It is last night's: a profile
changed today is ranked again tonight.
"""
from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlmodel import Session

from app.ranking_runs import run_entries
from app.ranking_runs.models import SLOT_COLUMNS, RankingEntry
from app.states.grid import state_codes
from app.storage import entry_slots


def of_candidate(session: Session, candidate_id: int) -> dict | None:
    """`{run_date, states: [{state, total, rank}]}`, or None if no ranking includes the candidate."""
    connection = session.connection()
    run = run_entries.latest_complete(connection)
    if run is None:
        return None
    table = RankingEntry.__table__
    entry = connection.execute(select(table).where(
        table.c.run_id == run.id, table.c.candidate_id == candidate_id)).first()
    if entry is None:
        return None
    slots = np.array([[getattr(entry, column) for column in SLOT_COLUMNS]], dtype=np.int64)
    codes = state_codes()
    states, totals, ranks = entry_slots.states(slots)[0], entry_slots.scores(slots)[0], entry_slots.ranks(slots)[0]
    return {"run_date": run.run_date, "states": [
        {"state": codes[int(state)], "total": int(total) if rank else None, "rank": int(rank) or None}
        for state, total, rank in zip(states, totals, ranks) if state >= 0]}
