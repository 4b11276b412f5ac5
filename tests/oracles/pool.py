"""The whole pool as the engine's columns, read the plain way: documents, encoded again.

One `SELECT` of (id, first submission, document) ordered by candidate id, and the documents
encoded with the grid's encoder into plain columns. The nightly re-rank reads the stored
records instead (`app.ranking_runs.rerank.read_pool`: bytes, zero-copy views, sorted by
numpy); this reading is what that one is tested against, so a record that disagrees with its
document shows up.
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection, select

from app.profiles.models import Profile, ProfileStatus
from app.ranking_runs.rerank import PoolColumns
from app.states.grid import shipped_grid


def read_active(connection: Connection, as_of: datetime) -> PoolColumns:
    """Every profile that is active and unexpired at `as_of`."""
    table = Profile.__table__
    statement = (
        select(table.c.account_id, table.c.first_submitted_us, table.c.document)
        .where(table.c.status == ProfileStatus.ACTIVE.value, table.c.expires_at > as_of)
        .order_by(table.c.account_id)
    )
    rows = connection.execute(statement).all()
    return PoolColumns(
        candidate_ids=np.array([row[0] for row in rows], dtype=np.int64),
        submitted_us=np.array([row[1] for row in rows], dtype=np.int64),
        columns=shipped_grid().encode([row[2] for row in rows], as_of=as_of.date()),
    )
