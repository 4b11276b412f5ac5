"""Re-encoding stored profiles from their documents under the current grid contract.

A grid whose input contract changed (a list limit, a new input, an enum's labels) lays out
records differently, and records of the old layout cannot be scored. Every profile keeps its
document, so its record is rebuilt from it: chunk by chunk, each chunk its own short unit of
work (on SQLite the write lock is held for one chunk, never for the whole pool). That is why
this module, like the re-rank, opens its own transactions rather than being one.

Each record carries the candidate's verified job offer, read for the chunk in one query
(`hiring.verified_offers`): it is not in the document. An update only lands on a row still of another contract, so a candidate who submits meanwhile
(and so is encoded under the current grid already) is never overwritten with an older document.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ranking
from sqlalchemy import bindparam, func, select, update

from app import clock, db
from app.hiring import verified_offers
from app.profiles.models import Profile, of_another_contract
from app.storage import engines

CHUNK_ROWS = 2000


@dataclass
class Reencoded:
    """What a re-encode did: profiles rewritten, and those whose document the grid now refuses."""

    profiles: int = 0
    refused: dict[int, str] = field(default_factory=dict)  # candidate id -> the engine's objection


def stale(grid, *, every: bool = False) -> int:
    """How many profiles have records of another grid contract (or all of them, with `every`)."""
    table = Profile.__table__
    statement = select(func.count()).select_from(table)
    if not every:
        statement = statement.where(of_another_contract(grid.record_version))
    # A read, so no write lock: the nightly job asks this first, beside web requests that write.
    with engines.reader().connect() as connection:
        return connection.execute(statement).scalar_one()


def reencode(grid, *, every: bool = False, chunk_rows: int = CHUNK_ROWS,
             progress: Callable[[int], None] = lambda done: None) -> Reencoded:
    """Re-encode every profile of another grid contract (with `every`, all profiles) from its document."""
    table = Profile.__table__
    version = grid.record_version
    rewrite = update(table).where(table.c.id == bindparam("row_id")).values(
        record=bindparam("new_record"), record_grid=version)
    if not every:
        rewrite = rewrite.where(of_another_contract(version))
        if not stale(grid):  # the usual night: an index search, instead of a scan for nothing
            return Reencoded()
    report, last_id = Reencoded(), 0
    while True:
        with db.unit_of_work() as session:
            statement = select(table.c.id, table.c.account_id, table.c.document).where(table.c.id > last_id)
            if not every:
                statement = statement.where(of_another_contract(version))
            rows = session.execute(statement.order_by(table.c.id).limit(chunk_rows)).all()
            if not rows:
                return report
            updates = []
            # The verified offers are the service's inputs, not the documents': one read per chunk.
            offers = verified_offers.standing_offers(session, [row[1] for row in rows])
            for row_id, candidate_id, document in rows:
                engine_document = {**document, verified_offers.INPUT: offers.get(candidate_id)}
                try:
                    record = grid.encode_records([engine_document], as_of=clock.today()).tobytes()
                except ranking.ProfileError as error:
                    report.refused[candidate_id] = f"{error.field}: {error.message}"
                    continue
                updates.append({"row_id": row_id, "new_record": record})
            if updates:
                session.execute(rewrite, updates)
            report.profiles += len(updates)
            last_id = rows[-1][0]
        progress(len(rows))
