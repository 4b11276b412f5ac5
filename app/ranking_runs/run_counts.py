"""How many ranked entries of a complete run hold each (state, total): kept per worker, per run.

Read once per run and worker from the run's tie groups (`ranking_tie_group`: one row per
(state, total) anybody holds, a few thousand a night whatever the pool's size) without their key
blobs, and never again: a complete run does not change. Two readers count from it without
touching the run's entries: the public distribution (buckets of totals per state) and the
provisional standing (how many are ahead of a total at a state: one binary search).

Memory: three int64 arrays of one value per (state, total) group, about 300 KB at 12,000 groups,
the same at 10M candidates as at 1M (totals are bounded by the grid, not by the pool).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, select

from app.ranking_runs.models import RankingTieGroup

_lock = threading.Lock()
# The counts of the last run read by this process, keyed by (database, id, entries hash): the hash
# tells a run apart from a later one that reused a deleted run's id.
_cache: dict[tuple[str, int, str], RunCounts | None] = {}


@dataclass(frozen=True)
class RunCounts:
    """Groups sorted by (state, total): (G,) int64 `states`, `totals`, `sizes`; `starts` (S + 1,)
    the first group of each state index (state s's groups are `starts[s]:starts[s + 1]`), and
    `above` (G,) how many entries of the group's state hold a higher total than the group's."""

    states: np.ndarray
    totals: np.ndarray
    sizes: np.ndarray
    starts: np.ndarray
    above: np.ndarray

    @classmethod
    def of_groups(cls, states: np.ndarray, totals: np.ndarray, sizes: np.ndarray, state_count: int) -> RunCounts:
        order = np.lexsort((totals, states))
        states, totals, sizes = (np.asarray(a, dtype=np.int64)[order] for a in (states, totals, sizes))
        starts = np.searchsorted(states, np.arange(state_count + 1), side="left")
        # Per state, the sum of the sizes after each group: a reversed cumulative sum per segment.
        through = np.cumsum(sizes)
        state_end = through[starts[1:] - 1] if sizes.size else np.zeros(state_count, dtype=np.int64)
        state_end = np.where(starts[1:] > starts[:-1], state_end, 0)
        above = state_end[states] - through if sizes.size else np.zeros(0, dtype=np.int64)
        for array in (states, totals, sizes, starts, above):
            array.setflags(write=False)
        return cls(states, totals, sizes, starts, above)

    def ahead(self, state: int, total: int) -> tuple[int, bool]:
        """(entries at `state` with a total above `total`, whether anybody holds `total` there)."""
        low, high = int(self.starts[state]), int(self.starts[state + 1])
        at = low + int(np.searchsorted(self.totals[low:high], total, side="left"))
        if at == high:
            return 0, False
        held = int(self.totals[at]) == total
        return int(self.above[at]) + (0 if held else int(self.sizes[at])), held


def of_run(connection: Connection, run, state_count: int) -> RunCounts | None:
    """The counts of `run` (a complete ranking_run row); None for a run with eligible entries but
    no tie groups (written before they existed: it cannot be counted this way)."""
    key = (str(connection.engine.url), run.id, run.entries_hash)
    if key in _cache:
        return _cache[key]
    groups = RankingTieGroup.__table__
    rows = connection.execute(select(groups.c.state, groups.c.total, groups.c.size)
                              .where(groups.c.run_id == run.id)).all()
    # Plain tuples first: numpy probing SQLAlchemy rows as mappings cost a second per 10,000.
    columns = np.array([tuple(row) for row in rows], dtype=np.int64).reshape(-1, 3)
    counts = None if (not rows and run.eligible) else RunCounts.of_groups(*columns.T, state_count)
    with _lock:
        _cache.clear()
        _cache[key] = counts
    return counts


def forget() -> None:
    """Drop the process's counts (benchmarks measure the read)."""
    with _lock:
        _cache.clear()
