"""`columnar.read_batches`: the rows of `read`, batch by batch, read ahead by a thread; a reader
that stops early or a failing statement leaves the bulk path usable for the next read."""
import pytest
from sqlalchemy import text

from app.storage import columnar, engines

ROWS = 1000
# Counting in SQL, on both databases: the rows do not come from the code under test.
NUMBERS = text(f"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {ROWS}) "
               "SELECT x, x * x AS square FROM n")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(columnar, "READ_BATCH_ROWS", 64)  # SQLite's batches; PostgreSQL sends its own


def test_batches_hold_the_rows_of_one_read_in_order(app, small_batches):
    with app.app_context():
        engine = engines.reader()
        batches = list(columnar.read_batches(engine, NUMBERS))
        whole = columnar.read(engine, NUMBERS)
    if not columnar.is_postgresql(engine):
        assert len(batches) == -(-ROWS // 64)
    x = [int(v) for batch in batches for v in batch["x"]]
    assert x == list(range(1, ROWS + 1))
    assert [int(v) for batch in batches for v in batch["square"]] == [v * v for v in x]
    assert whole["x"].tolist() == x


def test_a_reader_that_stops_early_leaves_the_next_read_whole(app, small_batches):
    with app.app_context():
        engine = engines.reader()
        for batch in columnar.read_batches(engine, NUMBERS, ahead=1):
            break
        with pytest.raises(ZeroDivisionError):
            for batch in columnar.read_batches(engine, NUMBERS):
                1 / 0
        assert columnar.read(engine, NUMBERS)["x"].tolist() == list(range(1, ROWS + 1))


def test_a_failing_statement_is_a_bulk_error_and_the_next_read_works(app):
    with app.app_context():
        engine = engines.reader()
        with pytest.raises(columnar.BulkError):
            list(columnar.read_batches(engine, text("SELECT x FROM no_such_table")))
        assert len(columnar.read(engine, NUMBERS)["x"]) == ROWS
