"""The re-rank writes a run's tie groups in transactions of a bounded number of key bytes, not of a
fixed number of groups (groups grow with the pool), and writes every group whatever the split."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rounds_helpers import add_pool, rank
from sqlalchemy import select

from app.ranking_runs import run_entries, run_pool, tie_groups
from app.ranking_runs.models import RankingTieGroup
from app.storage import engines


@given(sizes=st.lists(st.integers(1, 50_000), min_size=1, max_size=200), budget=st.integers(1, 1 << 22))
def test_a_transaction_takes_as_many_groups_as_the_budget_holds_on_average(sizes, budget):
    rows = tie_groups.chunk_rows({"size": np.array(sizes)}, budget)
    # In whole numbers: `rows` groups of the average size hold rows * key bytes / len(sizes).
    key_bytes, groups = tie_groups.KEY_BYTES * sum(sizes), len(sizes)
    assert rows >= 1
    assert rows == 1 or rows * key_bytes <= budget * groups  # within the budget, unless one group alone exceeds it
    assert (rows + 1) * key_bytes > budget * groups  # and no fewer than it holds


def test_no_groups_is_one_row_a_transaction():
    assert tie_groups.chunk_rows({"size": np.zeros(0, dtype=np.int64)}) == 1


def test_the_groups_are_written_whole_in_as_many_transactions_as_the_budget_says(app, monkeypatch):
    add_pool(app, 400, seed=11)
    monkeypatch.setattr(tie_groups, "CHUNK_BYTES", 2_000)  # a few groups per transaction
    report = rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        table = RankingTieGroup.__table__
        stored = connection.execute(select(table.c.state, table.c.total, table.c.size, table.c.first_us,
                                           table.c.candidate_id).where(table.c.run_id == run.id)
                                    .order_by(table.c.state, table.c.total.desc())).all()
        expected = tie_groups.of_entries(run.id, run_entries.read(connection, run.id))
        dialect = connection.dialect.name
    assert [(row.state, row.total, row.size) for row in stored] == list(zip(
        expected["state"].tolist(), expected["total"].tolist(), expected["size"].tolist()))
    assert [bytes(row.first_us) for row in stored] == expected["first_us"].to_pylist()
    assert [bytes(row.candidate_id) for row in stored] == expected["candidate_id"].to_pylist()
    if dialect == "sqlite":  # one transaction per chunk of each table there (PostgreSQL: one in all)
        per = tie_groups.chunk_rows(expected, 2_000)
        groups = len(stored)
        assert groups > 2 * per  # several transactions of tie groups
        entry_chunks = -(-400 // app.config["RERANK_CHUNK_ROWS"])
        pool_chunks = -(-(-(-400 // run_pool.POOL_CHUNK_ROWS)) // run_pool.CHUNKS_PER_TRANSACTION)
        assert report.write_transactions == entry_chunks + -(-groups // per) + pool_chunks
