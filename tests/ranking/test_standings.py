"""`ranking.standings.ranking` against a plain sort of its definition.

Each state orders the candidates ranked there by total (higher first), first submission (earlier
first), candidate id (smaller first); ranks count from 1 per state, and the round order lists
(row, slot) pairs by state, then rank, each with its state and total. Draws cover both of the
engine's ways: totals that fit its packed key and totals beyond it (the lexsort), ids in and out
of order, submissions that tie, padding and NO_SCORE in any slot.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from ranking.constants import NO_SCORE
from ranking import standings
from ranking.standings import ranking
from strategies import preference_row

INT32 = np.iinfo(np.int32)


def plain(states, totals, submitted, ids):
    """(ranks as nested lists, [(row, slot)] in round order), by Python's sort."""
    n, k = totals.shape
    pairs = [(int(states[i, j]), -int(totals[i, j]), int(submitted[i]), int(ids[i]), i, j)
             for i in range(n) for j in range(k) if states[i, j] >= 0 and totals[i, j] != NO_SCORE]
    pairs.sort()
    ranks = [[0] * k for _ in range(n)]
    order, previous, rank = [], None, 0
    for state, _, _, _, i, j in pairs:
        rank = rank + 1 if state == previous else 1
        previous = state
        ranks[i][j] = rank
        order.append((i, j))
    return ranks, order


@st.composite
def pools(draw):
    state_count = draw(st.integers(1, 6))
    n = draw(st.integers(0, 25))
    k = draw(st.integers(1, 4))
    totals_from = draw(st.sampled_from([st.integers(0, 3), st.integers(-2**19, 2**19 - 1),
                                        st.integers(INT32.min + 1, INT32.max)]))
    states = np.full((k, n), -1, dtype=np.int8)  # slot-major, as the engine stores them
    totals = np.full((k, n), NO_SCORE, dtype=np.int32)
    value = st.one_of(st.just(NO_SCORE), totals_from, totals_from, totals_from)
    for i in range(n):
        for position, state, total in preference_row(draw, state_count, k, value):
            states[position, i], totals[position, i] = state, total
    ids = draw(st.lists(st.integers(-2**40, 2**40), min_size=n, max_size=n, unique=True))
    if draw(st.booleans()):
        ids.sort()
    submitted = draw(st.lists(st.integers(0, 3) if draw(st.booleans()) else st.integers(0, 2**50),
                              min_size=n, max_size=n))
    if draw(st.booleans()):
        submitted.sort()
    return states.T, totals.T, np.array(submitted, dtype=np.int64), np.array(ids, dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(pools(), st.integers(1, 8))
def test_ranking_follows_the_definition(pool, block):
    with pytest.MonkeyPatch.context() as patch:  # sorted keys read back across several blocks
        patch.setattr(standings, "UNPACK_BLOCK_KEYS", block)
        result = ranking(*pool)
    ranks, order = plain(*pool)
    assert result.ranks.dtype == np.int32 and result.ranks.tolist() == ranks
    assert result.rows.dtype == np.int64 and result.slots.dtype == np.int64
    assert list(zip(result.rows.tolist(), result.slots.tolist())) == order
    states, totals = pool[0], pool[1]
    assert result.states.dtype == np.int32 and result.totals.dtype == np.int32
    assert result.states.tolist() == [int(states[i, j]) for i, j in order]
    assert result.totals.tolist() == [int(totals[i, j]) for i, j in order]
