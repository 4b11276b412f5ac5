"""`columnar.write` with a `Pending` table: rows another thread is still making are written in
their turn, after the tables before them; rows that cannot be made stop the write before its
`finish`, and the bulk path works for the next write. On both databases."""
from concurrent.futures import Future, ThreadPoolExecutor
import threading
import time

import numpy as np
import pytest
from sqlalchemy import BigInteger, Column, MetaData, Table, text, update

from app.storage import columnar, engines

METADATA = MetaData()
NUMBERS = Table("bulk_numbers", METADATA, Column("x", BigInteger), Column("part", BigInteger))
MARKER = Table("bulk_marker", METADATA, Column("done", BigInteger))


@pytest.fixture
def tables(app):
    with app.app_context():
        engine = engines.writer()
        METADATA.create_all(engine)
        with engine.begin() as connection:
            connection.execute(MARKER.insert().values(done=0))
        yield engine


def numbers(low: int, high: int, part: int) -> columnar.Rows:
    x = np.arange(low, high, dtype=np.int64)
    return columnar.Rows(NUMBERS, {"x": x, "part": np.full(x.size, part, dtype=np.int64)}, chunk_rows=7)


def stored(engine) -> tuple[list[tuple[int, int]], int]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT part, x FROM bulk_numbers ORDER BY part, x")).all()
        return [tuple(row) for row in rows], connection.execute(text("SELECT done FROM bulk_marker")).scalar_one()


def test_pending_rows_are_written_in_their_turn_once_made(tables, monkeypatch):
    monkeypatch.setattr(columnar, "POSTGRESQL_SLICE_ROWS", 9)  # several COPYs a table in one transaction
    release = threading.Event()

    def made_later() -> columnar.Rows:
        release.wait(10)
        return numbers(100, 130, 2)

    with ThreadPoolExecutor(max_workers=1) as thread:
        later = thread.submit(made_later)
        threading.Timer(0.2, release.set).start()  # made while the first table is being written
        started = time.perf_counter()
        report = columnar.write(tables, [numbers(0, 50, 1), columnar.Pending(NUMBERS, later)],
                                finish=update(MARKER).values(done=1))
        elapsed = time.perf_counter() - started
    assert report.rows == 80
    # The transactions' seconds are parts of the call's (one transaction on PostgreSQL, a chunk each on SQLite).
    assert report.transactions and all(0 <= seconds <= elapsed for seconds in report.transactions)
    assert len(report.transactions) == (1 if columnar.is_postgresql(tables) else -(-50 // 7) + -(-30 // 7))
    rows, done = stored(tables)
    assert rows == [(1, x) for x in range(50)] + [(2, x) for x in range(100, 130)]
    assert done == 1


def test_rows_that_cannot_be_made_stop_the_write_before_finish_and_the_next_write_works(tables):
    failed: Future = Future()
    failed.set_exception(RuntimeError("the rows could not be made"))
    with pytest.raises(RuntimeError, match="could not be made"):
        columnar.write(tables, [numbers(0, 50, 1), columnar.Pending(NUMBERS, failed), numbers(0, 5, 3)],
                       finish=update(MARKER).values(done=1))
    rows, done = stored(tables)
    assert done == 0 and not any(part == 3 for part, _ in rows)
    if columnar.is_postgresql(tables):  # one transaction: nothing of it
        assert rows == []
    else:  # a transaction per chunk: whole chunks of the first table at most
        assert rows == [(1, x) for x in range(len(rows))] and len(rows) % 7 in (0, 50 % 7)
    with tables.begin() as connection:
        connection.execute(text("DELETE FROM bulk_numbers"))
    columnar.write(tables, [numbers(0, 10, 4)], finish=update(MARKER).values(done=2))
    assert stored(tables) == ([(4, x) for x in range(10)], 2)
