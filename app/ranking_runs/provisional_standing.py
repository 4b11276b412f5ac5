"""Where a candidate would stand tonight if nothing else changed: their rank in the latest
complete run with today's totals, at each state they chose.

rank = 1 + (entries at the state with a higher total) + (entries with the same total that come
first by (first submission, id)), the candidate's own entry in the run, if any, left out. It is
provisional: tonight's run ranks everybody's new totals.

The first term comes from the run's counts per (state, total), read once per run and worker
(`run_counts`: one value per tie group, a few hundred KB whatever the pool's size): a binary
search, no query. The second reads the one tie group holding that total at that state (its
sorted keys, 12 bytes per candidate in it), one primary-key read per chosen state,
and binary-searches it. Why not more per worker: the keys of every group are 12 bytes per ranked
preference, 360 MB at 10M candidates with three choices each, far over 50 MB a worker; why not
fewer: summing the groups above a total in SQL is one more range query per chosen state, per
request, for a number that does not change until the next run.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ranking import NO_SCORE
from sqlalchemy import Connection, bindparam, select

from app.ranking_runs import candidate_standing, run_counts, run_entries
from app.ranking_runs.candidate_standing import Entry
from app.ranking_runs.models import RankingTieGroup


def of_candidate(connection: Connection, candidate_id: int, first_us: int, states: np.ndarray,
                 totals: np.ndarray, codes: tuple[str, ...]) -> dict | None:
    """`{run_date, provisional: True, states: [{state, total, rank}]}` for the (K,) chosen `states`
    (state indexes, -1 for none) with today's `totals` there (NO_SCORE: not eligible); None
    before the first complete run."""
    run = run_entries.latest_complete(connection)
    if run is None:
        return None
    own = candidate_standing.entry(connection, run.id, candidate_id)
    return place(connection, run, own, candidate_id, first_us, states, totals, codes)


def place(connection: Connection, run, own: Entry | None, candidate_id: int, first_us: int,
          states: np.ndarray, totals: np.ndarray, codes: tuple[str, ...]) -> dict | None:
    """`of_candidate` with the latest complete `run` (None: there is none) and the candidate's
    `own` entry in it already read."""
    return rank(counted(connection, run, own, states, totals, codes), candidate_id, first_us)


@dataclass(frozen=True)
class Counted:
    """What a provisional standing reads of the run, for (state, total) pairs chosen: how many are
    ahead of each total, and the tie group holding it (its sorted keys), if any."""

    run: object
    own: Entry | None
    codes: tuple[str, ...]
    chosen: list[tuple[int, int]]
    ahead: dict[tuple[int, int], int]
    groups: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]


def counted(connection: Connection, run, own: Entry | None, states: np.ndarray, totals: np.ndarray,
            codes: tuple[str, ...]) -> Counted | None:
    """Everything `rank` needs from the database, which depends only on the totals: a submission
    reads it before its write transaction, and places the candidate once it knows their queue place."""
    if run is None:
        return None
    counts = run_counts.of_run(connection, run, len(codes))
    if counts is None:
        return None  # a run written before tie groups existed would rank everyone first
    chosen = [(int(s), int(t)) for s, t in zip(states.tolist(), totals.tolist()) if s >= 0]
    ahead = {(s, t): counts.ahead(s, t) for s, t in chosen if t != NO_SCORE}
    groups = _groups(connection, run.id, [key for key, (_, held) in ahead.items() if held])
    return Counted(run, own, codes, chosen, {key: above for key, (above, _) in ahead.items()}, groups)


def rank(counted: Counted | None, candidate_id: int, first_us: int) -> dict | None:
    """The provisional standing of the candidate with queue place (`first_us`, `candidate_id`)."""
    if counted is None:
        return None
    own, codes = counted.own, counted.codes
    own_ranked = {} if own is None else {int(s): int(t) for s, t, r in zip(own.states, own.totals, own.ranks) if r > 0}
    key = (first_us, candidate_id)
    out = []
    for state, total in counted.chosen:
        if total == NO_SCORE:
            out.append({"state": codes[state], "total": None, "rank": None})
            continue
        group = counted.groups.get((state, total))
        before = 0 if group is None else position(*group, key)
        # The candidate's own entry is in those counts when it is ahead of today's key: take it out.
        own_total = own_ranked.get(state)
        own_ahead = own_total is not None and (own_total > total or (
            own_total == total and (own.first_us, candidate_id) < key))
        out.append({"state": codes[state], "total": total,
                    "rank": int(1 + counted.ahead[(state, total)] + before - own_ahead)})
    return {"run_date": counted.run.run_date, "provisional": True, "states": out}


def _groups(connection: Connection, run_id: int, keys: list[tuple[int, int]]) -> dict:
    """{(state, total): (first_us, ids)} of the run's tie groups at `keys`: one primary-key read
    each (one query with an OR of the keys took three times as long on SQLite)."""
    table = RankingTieGroup.__table__
    statement = select(table.c.first_us, table.c.candidate_id).where(
        table.c.run_id == bindparam("run"), table.c.state == bindparam("state"), table.c.total == bindparam("total"))
    out = {}
    for state, total in keys:
        row = connection.execute(statement, {"run": run_id, "state": state, "total": total}).first()
        if row is not None:
            out[(state, total)] = (np.frombuffer(row.first_us, dtype="<i8"), np.frombuffer(row.candidate_id, dtype="<i4"))
    return out


def position(first_us: np.ndarray, ids: np.ndarray, key: tuple[int, int]) -> int:
    """How many (first_us, id) pairs, sorted, come strictly before `key`."""
    low = int(np.searchsorted(first_us, key[0], side="left"))
    high = int(np.searchsorted(first_us, key[0], side="right"))
    return low + int(np.searchsorted(ids[low:high], key[1], side="left"))
