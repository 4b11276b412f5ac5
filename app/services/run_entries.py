"""Reading a ranking run back: the latest complete run, and a run's entries as arrays."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, select

from app.models import RankingEntry, RankingRun
from app.models.ranking_run import ENTRY_COLUMNS, SLOT_COLUMNS
from app.services import bulk, entry_slots


@dataclass(frozen=True)
class RunEntries:
    """A run's entries in candidate-id order: what a round allocates from and verify re-checks."""

    matrix: np.ndarray  # (N, len(ENTRY_COLUMNS)) int64, exactly as stored

    @property
    def slots(self) -> np.ndarray:
        start = ENTRY_COLUMNS.index(SLOT_COLUMNS[0])
        return self.matrix[:, start:start + len(SLOT_COLUMNS)]

    @property
    def candidate_ids(self) -> np.ndarray:
        return self.matrix[:, 0]

    @property
    def submitted_us(self) -> np.ndarray:
        return self.matrix[:, 1]

    @property
    def preferences(self) -> np.ndarray:
        return entry_slots.states(self.slots)

    @property
    def scores(self) -> np.ndarray:
        return entry_slots.scores(self.slots)

    @property
    def ranks(self) -> np.ndarray:
        return entry_slots.ranks(self.slots)


def latest_complete(connection: Connection):
    """The newest complete run's row, or None: the only run readers ever use."""
    table = RankingRun.__table__
    return connection.execute(select(table).where(table.c.completed_at.is_not(None))
                              .order_by(table.c.run_date.desc(), table.c.id.desc()).limit(1)).first()


def run_by_id(connection: Connection, run_id: int):
    table = RankingRun.__table__
    return connection.execute(select(table).where(table.c.id == run_id)).first()


def read(connection: Connection, run_id: int) -> RunEntries:
    """Every entry of the run, ordered by candidate id, in one columnar read."""
    table = RankingEntry.__table__
    statement = (select(*bulk.as_bigints(connection, *(table.c[name] for name in ENTRY_COLUMNS)))
                 .where(table.c.run_id == run_id))
    return RunEntries(bulk.by_first_column(bulk.fetch_matrix(connection, statement, len(ENTRY_COLUMNS))))
