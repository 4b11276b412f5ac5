"""`storage.column_insert`: rows sent as columns land exactly as SQLAlchemy's own insert of each row
would store them, on both databases, with conflicts skipped and RETURNING counted the same way."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text, insert, select

from app.storage import engines
from app.storage.column_insert import insert_columns
from app.storage.tables import UTCDateTime

UTC = dt.timezone.utc
METADATA = MetaData()
COLUMNS = lambda: [Column("id", Integer, primary_key=True), Column("who", BigInteger),  # noqa: E731
                   Column("code", String(2)), Column("key", String(40), unique=True), Column("body", Text),
                   Column("note", String(20)), Column("count", Integer), Column("at", UTCDateTime)]
BULK = Table("column_insert_bulk", METADATA, *COLUMNS())
PLAIN = Table("column_insert_plain", METADATA, *COLUMNS())

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
rows = st.lists(st.tuples(st.integers(-(2**63), 2**63 - 1), st.text("ABCDÉ", min_size=2, max_size=2),
                          st.text("abc", min_size=1, max_size=6), texts, st.none() | st.text(max_size=0)),
                max_size=40)


@pytest.fixture
def tables(app):
    with app.app_context():
        METADATA.create_all(engines.writer())
        yield app
        METADATA.drop_all(engines.writer())


def stored(connection, table) -> list[tuple]:
    columns = [c for c in table.c if c.name != "id"]
    return [tuple(row) for row in connection.execute(select(*columns).order_by(table.c.id)).all()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, count=st.integers(0, 5))
def test_rows_land_as_a_plain_insert_of_each_stores_them_and_conflicts_are_skipped(tables, rows, count):
    at = dt.datetime(2026, 12, 3, 18, 5, 7, 123456, tzinfo=UTC)
    constants = {"count": count, "at": at}
    with tables.app_context(), engines.writer().begin() as connection:
        connection.execute(BULK.delete())
        connection.execute(PLAIN.delete())
        columns = {"who": [r[0] for r in rows], "code": [r[1] for r in rows], "key": [r[2] for r in rows],
                   "body": [r[3] for r in rows], "note": [r[4] for r in rows]}
        statement = insert_columns(connection, BULK, columns, constants)
        added = connection.execute(statement.on_conflict_do_nothing(index_elements=["key"])
                                   .returning(BULK.c.id)).all()
        want = {}
        for row in rows:  # the reference: one plain insert per row, a repeated key skipped
            if row[2] not in want:
                want[row[2]] = row
                connection.execute(insert(PLAIN).values(who=row[0], code=row[1], key=row[2], body=row[3],
                                                        note=row[4], **constants))
        assert len(added) == len(want)
        assert stored(connection, BULK) == stored(connection, PLAIN)
        assert all(row[-1] == at for row in stored(connection, BULK))


def test_columns_of_different_lengths_are_refused(tables):
    with tables.app_context(), engines.writer().connect() as connection:
        with pytest.raises(ValueError, match="different lengths"):
            insert_columns(connection, BULK, {"who": [1, 2], "code": ["DE"]})
