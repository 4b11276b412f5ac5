"""Per-run counts of (state, total), against plain counting; the distribution from them against the
distribution from the run's entries, and for a run without tie groups."""
from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rounds_helpers import add_pool, rank

from app.ranking_runs import pool_distribution, run_counts, run_entries
from app.ranking_runs.models import RankingTieGroup
from app.ranking_runs.run_counts import RunCounts
from app.states.grid import state_codes
from app.storage import engines

STATES = 4
groups = st.dictionaries(st.tuples(st.integers(0, STATES - 1), st.integers(-5, 30)), st.integers(1, 9), max_size=40)


@given(groups, st.integers(0, STATES - 1), st.integers(-8, 33))
def test_ahead_is_a_plain_count(sizes, state, total):
    keys = list(sizes)
    counts = RunCounts.of_groups(np.array([s for s, _ in keys], dtype=np.int64),
                                 np.array([t for _, t in keys], dtype=np.int64),
                                 np.array([sizes[k] for k in keys], dtype=np.int64), STATES)
    expected = sum(size for (s, t), size in sizes.items() if s == state and t > total)
    assert counts.ahead(state, total) == (expected, (state, total) in sizes)


def _plain_distribution(entries, width: int) -> dict[str, Counter]:
    out = {}
    for row in range(len(entries.candidate_ids)):
        for slot in range(entries.ranks.shape[1]):
            if entries.ranks[row, slot]:
                code = state_codes()[int(entries.preferences[row, slot])]
                out.setdefault(code, Counter())[int(entries.scores[row, slot]) // width * width] += 1
    return out


def _shown(distribution: dict) -> dict[str, Counter]:
    return {state["state"]: Counter({bucket["low"]: bucket["candidates"] for bucket in state["buckets"]})
            for state in distribution["states"] if state["buckets"]}


def test_the_distribution_counts_what_the_entries_hold(app):
    add_pool(app, 400, seed=11)
    rank(app)
    with app.test_request_context(), engines.reader().connect() as connection:
        width = app.config["DISTRIBUTION_BUCKET"]
        run = run_entries.latest_complete(connection)
        expected = _plain_distribution(run_entries.read(connection, run.id), width)
        from_groups = pool_distribution.distribution()
        assert from_groups["candidates"] == run.candidates
        # With every count published the two agree bucket for bucket (small ones are withheld alike).
        app.config["DISTRIBUTION_BUCKET"] = 10_000
        with engines.writer().begin() as writing:  # a run written before tie groups existed
            writing.execute(RankingTieGroup.__table__.delete())
        run_counts.forget()
        app.extensions.pop("talentpool.distribution", None)
        from_entries = pool_distribution.distribution()
    published = {code: Counter({low: n for low, n in buckets.items() if n is not None})
                 for code, buckets in _shown(from_groups).items()}
    for code, buckets in published.items():
        assert all(expected[code][low] == n for low, n in buckets.items())
    assert {s["state"]: s["buckets"][0]["candidates"] for s in from_entries["states"] if s["buckets"]} == {
        code: sum(buckets.values()) if sum(buckets.values()) >= 10 else None for code, buckets in expected.items()}
