"""Where a candidate would stand tonight if nothing else changed: their rank in the latest
complete run with today's totals, at each state they chose.

Computed per request from the run's tie groups (`ranking_tie_group`), not from its million
entries: at a state, rank = 1 + (how many entries have a higher total: one index range sum over
a few thousand rows) + (how many of the entries with the same total come first by (first
submission, id): a binary search in that one group's sorted keys). The candidate's own entry in
the run, if any, is left out. It is provisional: tonight's run ranks everybody's new totals.
Nothing is cached per worker, so memory does not grow with the pool; one request reads one
group per chosen state (12 bytes per candidate in it).
"""
from __future__ import annotations

import numpy as np
from ranking import NO_SCORE
from sqlalchemy import Connection, func, select

from app.ranking_runs import run_entries
from app.ranking_runs.models import SLOT_COLUMNS, RankingEntry, RankingTieGroup
from app.storage import entry_slots


def of_candidate(connection: Connection, candidate_id: int, first_us: int, states: np.ndarray,
                 totals: np.ndarray, codes: list[str]) -> dict | None:
    """`{run_date, provisional: True, states: [{state, total, rank}]}` for the (K,) chosen `states`
    (state indexes, -1 for none) with today's `totals` there (NO_SCORE: not eligible); None
    before the first complete run."""
    run = run_entries.latest_complete(connection)
    if run is None or not _has_tie_groups(connection, run):
        return None
    own = _own_entry(connection, run.id, candidate_id)
    out = []
    for state, total in zip(states.tolist(), totals.tolist()):
        if state < 0:
            continue
        rank = None if total == NO_SCORE else _rank(connection, run.id, state, total, (first_us, candidate_id), own)
        out.append({"state": codes[state], "total": None if rank is None else total, "rank": rank})
    return {"run_date": run.run_date, "provisional": True, "states": out}


def _has_tie_groups(connection: Connection, run) -> bool:
    """Whether the run can place anybody: runs written before tie groups existed have none (and
    would otherwise rank everyone first); a run with nobody eligible needs none."""
    if not run.eligible:
        return True
    groups = RankingTieGroup.__table__
    return connection.execute(select(groups.c.run_id).where(groups.c.run_id == run.id).limit(1)).first() is not None


def _own_entry(connection: Connection, run_id: int, candidate_id: int) -> dict[int, tuple[int, int]]:
    """{state: (total, first_us)} of the candidate's ranked preferences in the run."""
    table = RankingEntry.__table__
    entry = connection.execute(select(table).where(table.c.run_id == run_id,
                                                   table.c.candidate_id == candidate_id)).first()
    if entry is None:
        return {}
    slots = np.array([[getattr(entry, column) for column in SLOT_COLUMNS]], dtype=np.int64)
    states, totals, ranks = entry_slots.states(slots)[0], entry_slots.scores(slots)[0], entry_slots.ranks(slots)[0]
    return {int(s): (int(t), int(entry.first_submitted_us)) for s, t, r in zip(states, totals, ranks) if r > 0}


def _rank(connection: Connection, run_id: int, state: int, total: int, key: tuple[int, int],
          own: dict[int, tuple[int, int]]) -> int:
    groups = RankingTieGroup.__table__
    here = (groups.c.run_id == run_id) & (groups.c.state == state)
    ahead = connection.execute(select(func.coalesce(func.sum(groups.c.size), 0))
                               .where(here, groups.c.total > total)).scalar_one()
    group = connection.execute(select(groups.c.first_us, groups.c.candidate_id)
                               .where(here, groups.c.total == total)).first()
    before = 0 if group is None else position(np.frombuffer(group.first_us, dtype="<i8"),
                                              np.frombuffer(group.candidate_id, dtype="<i4"), key)
    if state in own:
        own_total, own_first = own[state]
        if own_total > total or (own_total == total and (own_first, key[1]) < key):
            ahead_or_before = 1
        else:
            ahead_or_before = 0
        return 1 + int(ahead) + before - ahead_or_before
    return 1 + int(ahead) + before


def position(first_us: np.ndarray, ids: np.ndarray, key: tuple[int, int]) -> int:
    """How many (first_us, id) pairs, sorted, come strictly before `key`."""
    low = int(np.searchsorted(first_us, key[0], side="left"))
    high = int(np.searchsorted(first_us, key[0], side="right"))
    return low + int(np.searchsorted(ids[low:high], key[1], side="left"))
