"""Deleting a ranking run without holding SQLite's write lock for seconds.

A run of a million candidates is a million entry rows; one DELETE of them held the lock for
2.7 s in the spike. So the run is first marked incomplete (readers stop using it at that
commit, as they would a half-written one), then its entries go in candidate-id ranges of
`RERANK_CHUNK_ROWS` ids, one short transaction each, then its pool chunks, its tie groups and its row. A crash
half-way leaves an incomplete run, which the next re-rank or purge removes the same way.
"""
from __future__ import annotations

from sqlalchemy import Engine, delete, func, select, update

from app.config import setting
from app.ranking_runs import run_pool
from app.ranking_runs.models import RankingEntry, RankingRun, RankingTieGroup


def remove(write_engine: Engine, run_id: int) -> None:
    """Delete run `run_id` with its entries and tie groups, in short transactions."""
    runs, entries, groups = RankingRun.__table__, RankingEntry.__table__, RankingTieGroup.__table__
    with write_engine.begin() as connection:
        connection.execute(update(runs).where(runs.c.id == run_id).values(completed_at=None))
        low, high = connection.execute(select(func.min(entries.c.candidate_id), func.max(entries.c.candidate_id))
                                       .where(entries.c.run_id == run_id)).one()
    step = setting("RERANK_CHUNK_ROWS")
    if low is not None:
        for start in range(low, high + 1, step):
            with write_engine.begin() as connection:
                connection.execute(delete(entries).where(entries.c.run_id == run_id, entries.c.candidate_id >= start,
                                                         entries.c.candidate_id < start + step))
    run_pool.remove(write_engine, run_id)
    with write_engine.begin() as connection:
        connection.execute(delete(groups).where(groups.c.run_id == run_id))
        connection.execute(delete(runs).where(runs.c.id == run_id))
