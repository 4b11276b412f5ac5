"""The newest run's pool kept in chunks (`app.ranking_runs.run_pool`), on both databases: the same
entries as the entry rows, the records the run scored, one run only, tampering ignored, erasure
blanking the person's record, and removal with the run."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from rounds_helpers import add_pool, rank
from sqlalchemy import func, select, update

from app import clock, db
from app.accounts.models import Account
from app.privacy import erasure
from app.profiles.models import Profile
from app.ranking_runs import rerank, run_entries, run_pool, run_removal
from app.ranking_runs.models import RankingRunPool
from app.states import grid as grids
from app.storage import engines, entry_slots

CHUNK = 37  # several chunks and a short last one from a small pool


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(run_pool, "POOL_CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(entry_slots, "BLOCK_ROWS", 29)


def _latest(connection):
    return run_entries.latest_complete(connection)


def _chunk_rows(connection, run_id=None):
    table = RankingRunPool.__table__
    statement = select(table.c.run_id, table.c.chunk, table.c.size, table.c.first_candidate_id)
    if run_id is not None:
        statement = statement.where(table.c.run_id == run_id)
    return connection.execute(statement.order_by(table.c.run_id, table.c.chunk)).all()


class _Read:
    """A run read back from its chunks: its entries matrix and its records (or None: not usable)."""

    def __init__(self, entries, records):
        self.entries, self.records = entries, records


def _read(connection, run):
    entries = run_pool.read_entries(connection, run)
    records = run_pool.read_records(connection, run, grids.shipped_grid().record_version)
    assert (entries is None) == (records is None)
    return None if entries is None else _Read(entries, records)


def _decompressed(blob: bytes) -> bytes:
    """A chunk's blob decompressed by the zstd library itself (through its streaming reader,
    which needs no size), not by `run_pool`."""
    with pa.CompressedInputStream(pa.BufferReader(blob), "zstd") as stream:
        return stream.read()


def _profile_records(connection, ids) -> dict[int, bytes]:
    table = Profile.__table__
    rows = connection.execute(select(table.c.account_id, table.c.record).where(table.c.account_id.in_([int(i) for i in ids]))).all()
    return {account_id: bytes(record) for account_id, record in rows}


def test_the_chunks_hold_the_entry_rows_and_the_records_ranked(app):
    ids = add_pool(app, 200, seed=3)
    rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        run = _latest(connection)
        chunks = _chunk_rows(connection, run.id)
        assert [row.chunk for row in chunks] == list(range(-(-200 // CHUNK)))
        assert [row.size for row in chunks] == [CHUNK] * (200 // CHUNK) + [200 % CHUNK]
        read = _read(connection, run)
        rows = run_entries.read(connection, run.id)
        from_rows = rows.matrix
        np.testing.assert_array_equal(read.entries, from_rows)
        # Decoded block by block (blocks of 29 rows here) as the whole slots decode at once.
        blocks = run_entries.RunEntries(read.entries)
        for name, decode in (("preferences", entry_slots.states), ("scores", entry_slots.scores),
                             ("ranks", entry_slots.ranks)):
            whole = decode(from_rows[:, 4:])
            np.testing.assert_array_equal(getattr(blocks, name), whole)
            assert getattr(blocks, name).dtype == whole.dtype
        assert [row.first_candidate_id for row in chunks] == from_rows[::CHUNK, 0].tolist()
        stored = _profile_records(connection, ids)
        assert [bytes(record) for record in read.records] == [stored[i] for i in from_rows[:, 0].tolist()]
        # Stored compressed, each blob a zstd stream of exactly its slice.
        table = RankingRunPool.__table__
        blobs = connection.execute(select(table.c.codec, table.c.record_width, table.c.entries, table.c.records)
                                   .where(table.c.run_id == run.id).order_by(table.c.chunk)).all()
        assert {row.codec for row in blobs} == {"zstd"}
        assert {row.record_width for row in blobs} == {grids.shipped_grid().record_dtype.itemsize}
        assert b"".join(_decompressed(row.entries) for row in blobs) == from_rows.astype("<i8").tobytes()
        assert b"".join(_decompressed(row.records) for row in blobs) \
            == b"".join(stored[i] for i in from_rows[:, 0].tolist())
        assert sum(len(row.entries) for row in blobs) < from_rows.nbytes


def test_only_the_newest_run_keeps_chunks_and_removal_takes_them(app):
    add_pool(app, 90, seed=4)
    rank(app, clock.today())
    rank(app, clock.today() + dt.timedelta(days=1))
    with app.app_context():
        with engines.reader().connect() as connection:
            newest = _latest(connection)
            assert {row.run_id for row in _chunk_rows(connection)} == {newest.id}
        run_removal.remove(engines.writer(), newest.id)
        with engines.reader().connect() as connection:
            assert _chunk_rows(connection) == []


def test_chunks_that_do_not_match_the_entry_rows_are_not_used(app):
    add_pool(app, 80, seed=5)
    rank(app)
    with app.app_context():
        table = RankingRunPool.__table__
        with engines.reader().connect() as connection:
            run = _latest(connection)
            size, blob = connection.execute(select(table.c.size, table.c.entries).where(
                table.c.run_id == run.id, table.c.chunk == 1)).one()
        entries = np.frombuffer(_decompressed(blob), dtype="<i8").reshape(size, -1).copy()
        entries[0, 2] ^= 1  # one candidate's total, one bit, stored as validly compressed as before
        with engines.writer().begin() as connection:
            connection.execute(update(table).where(table.c.run_id == run.id, table.c.chunk == 1)
                               .values(entries=pa.Codec("zstd").compress(entries, asbytes=True)))
        run_entries.forget()
        with engines.reader().connect() as connection:
            assert run_pool.read_entries(connection, run) is None
            # What a round reads is then the entry rows, which the run's hash vouches for.
            np.testing.assert_array_equal(run_entries.of_run(connection, run).matrix,
                                          run_entries.read(connection, run.id).matrix)
        with engines.writer().begin() as connection:  # a chunk missing: not whole, not used
            connection.execute(table.delete().where(table.c.run_id == run.id, table.c.chunk == 0))
        with engines.reader().connect() as connection:
            assert _read(connection, run) is None
            assert run_pool.read_records(connection, run, grids.shipped_grid().record_version) is None


def _corrupt(app, run_id: int, chunk: int, column: str) -> None:
    """A chunk's compressed blob cut in half: it no longer decompresses."""
    table = RankingRunPool.__table__
    where = (table.c.run_id == run_id) & (table.c.chunk == chunk)
    with app.app_context(), engines.writer().begin() as connection:
        blob = connection.execute(select(table.c[column]).where(where)).scalar_one()
        connection.execute(update(table).where(where).values({column: blob[:len(blob) // 2]}))


@pytest.mark.parametrize("column", ["entries", "records"])
def test_a_chunk_that_does_not_decompress_is_not_used(app, column):
    add_pool(app, 80, seed=9)
    rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        run = _latest(connection)
        rows = run_entries.read(connection, run.id).matrix
    _corrupt(app, run.id, 1, column)
    run_entries.forget()
    with app.app_context(), engines.reader().connect() as connection:
        if column == "entries":
            assert run_pool.read_entries(connection, run) is None
        else:
            assert run_pool.read_records(connection, run, grids.shipped_grid().record_version) is None
        np.testing.assert_array_equal(run_entries.of_run(connection, run).matrix, rows)


def test_erasure_removes_a_chunk_it_cannot_read(app):
    add_pool(app, 80, seed=10)
    rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        run = _latest(connection)
        in_chunk_1 = int(run_entries.read(connection, run.id).matrix[CHUNK + 3, 0])
    _corrupt(app, run.id, 1, "records")
    with app.app_context():
        with db.unit_of_work() as session:
            erasure.erase(session, session.get(Account, in_chunk_1))
        with engines.reader().connect() as connection:
            assert [row.chunk for row in _chunk_rows(connection, run.id)] == [0, 2]
            assert _read(connection, run) is None


def test_erasure_blanks_the_record_in_the_chunks_and_nothing_else(app):
    ids = add_pool(app, 120, seed=6)
    rank(app)
    gone = [int(ids[0]), int(ids[CHUNK]), int(ids[-1])]  # a first, a chunk's first and the last candidate
    with app.app_context():
        with engines.reader().connect() as connection:
            run = _latest(connection)
            before = _read(connection, run)
        with db.unit_of_work() as session:
            for candidate in gone:
                erasure.erase(session, session.get(Account, candidate))
        with engines.reader().connect() as connection:
            after = _read(connection, run)
    np.testing.assert_array_equal(after.entries, before.entries)  # the pseudonymous entries stay
    erased = np.isin(before.entries[:, 0], gone)
    assert not after.records[erased].any()
    np.testing.assert_array_equal(after.records[~erased], before.records[~erased])
    assert before.records[erased].any()


def test_an_erasure_that_rolls_back_blanks_nothing(app):
    ids = add_pool(app, 50, seed=7)
    rank(app)
    with app.app_context():
        with engines.reader().connect() as connection:
            before = _read(connection, _latest(connection))
        with pytest.raises(RuntimeError), db.unit_of_work() as session:
            erasure.erase(session, session.get(Account, int(ids[3])))
            raise RuntimeError("the request failed after the erasure")
        with engines.reader().connect() as connection:
            np.testing.assert_array_equal(_read(connection, _latest(connection)).records, before.records)


def test_a_candidate_erased_while_the_pool_was_ranked_is_blanked_when_the_run_completes(app, monkeypatch):
    ids = add_pool(app, 60, seed=8)
    erased = int(ids[10])
    real_write = rerank.columnar.write

    def write_after_an_erasure(engine, tables, **options):
        # The pool was read and scored with the candidate in it; they are erased before the write.
        with db.unit_of_work() as session:
            erasure.erase(session, session.get(Account, erased))
        return real_write(engine, tables, **options)

    monkeypatch.setattr(rerank.columnar, "write", write_after_an_erasure)
    rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        read = _read(connection, _latest(connection))
        row = int(np.flatnonzero(read.entries[:, 0] == erased)[0])
        assert not read.records[row].any()
        assert read.records[np.arange(len(read.records)) != row].any(axis=1).all()
        assert connection.execute(select(func.count()).select_from(RankingRunPool.__table__)).scalar_one() \
            == -(-60 // CHUNK)
