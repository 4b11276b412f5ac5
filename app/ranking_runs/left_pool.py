"""Who of a ranking run's candidates has left the pool since: read as the few who left, not the many who stay.

Everyone a run ranked had an active profile then, so the run's candidates minus these are exactly
those with an active, unexpired profile now. Rounds, simulations and previews all start from the
run and take these out.
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection, Text, cast, func, select

from app.accounts.models import Account
from app.profiles.models import Profile, ProfileStatus


def since_ranked(connection: Connection, now: datetime) -> np.ndarray:
    """Candidates a ranking run may hold who are not in the pool at `now`: their profile is no longer
    active, or is past its expiry, or is gone (erasure deletes it and marks the account).

    Read through the profile index's ranges and the account's `erased_at` index, so this stays
    small at any pool size (it was a round's and a simulation's largest read when it read the
    million who stay)."""
    table, accounts = Profile.__table__, Account.__table__
    inactive = [status.value for status in ProfileStatus if status is not ProfileStatus.ACTIVE]
    return np.concatenate([
        integers(connection, table.c.account_id, table.c.status.in_(inactive)),
        integers(connection, table.c.account_id, (table.c.status == ProfileStatus.ACTIVE.value)
                 & (table.c.expires_at <= now)),
        integers(connection, accounts.c.id, accounts.c.erased_at.is_not(None)),
    ])


def integers(connection: Connection, column, where) -> np.ndarray:
    """The integers of `column` in the rows `where` selects, read in the connection's snapshot (so
    not through the Arrow helper, whose read is its own transaction).

    As one comma-separated text aggregated by the database, which numpy parses in one pass: a
    million ids fetched as rows cost a Python tuple each (about 1.2 s of CPU at 1M on SQLite,
    against 0.3 s this way)."""
    if connection.dialect.name == "postgresql":
        joined = func.string_agg(cast(column, Text), ",")
    else:
        joined = func.group_concat(column, ",")
    text = connection.execute(select(joined).where(where)).scalar_one()
    return np.fromstring(text or "", dtype=np.int64, sep=",")
