"""The whole pool as the engine's columns, in one plain query.

One `SELECT` of small integers ordered by candidate id, one numpy array built from the rows,
then column slices. The nightly re-rank reads the same thing faster through
`app.ranking_runs.rerank.read_pool` (columns packed into BIGINTs by the query, sorted by numpy);
this plain reading is what that packed one is tested against.
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection, select

from app.profiles.encoding import columns_of, stored_names
from app.profiles.models import Profile, ProfileStatus
from app.ranking_runs.rerank import PoolColumns


def read_active(connection: Connection, as_of: datetime) -> PoolColumns:
    """Every profile that is active and unexpired at `as_of`."""
    names = stored_names()
    table = Profile.__table__
    statement = (
        select(table.c.account_id, table.c.first_submitted_us, *(table.c[name] for name in names))
        .where(table.c.status == ProfileStatus.ACTIVE.value, table.c.expires_at > as_of)
        .order_by(table.c.account_id)
    )
    rows = connection.execute(statement).all()
    matrix = np.array(rows, dtype=np.int64).reshape(len(rows), 2 + len(names))
    return PoolColumns(
        candidate_ids=matrix[:, 0].copy(),
        submitted_us=matrix[:, 1].copy(),
        columns=columns_of(matrix[:, 2:], names),
    )
