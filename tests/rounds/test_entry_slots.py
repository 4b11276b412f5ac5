"""`entry_slots.pack` against the bit layout its docstring gives, computed one slot at a time.

Blocks are made small so that draws cross block edges; the output is also written into a strided
view (the entries matrix's slot columns, as the re-rank does) and must leave the other columns
alone.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from ranking import NO_SCORE

from app.storage import entry_slots


def plain_slot(state: int, total: int, rank: int) -> int:
    """Bits 52-56: state + 1; bits 28-51: total + 2**23, 0 for NO_SCORE; bits 0-27: the rank."""
    stored = 0 if total == NO_SCORE else total + 2**23
    return (state + 1) * 2**52 + stored * 2**28 + rank


@st.composite
def slot_matrices(draw):
    n, k = draw(st.integers(0, 40)), draw(st.integers(1, 6))
    states = draw(hnp.arrays(np.int8, (n, k), elements=st.integers(-1, 30)))
    totals = draw(hnp.arrays(np.int32, (n, k), elements=st.one_of(
        st.just(NO_SCORE), st.integers(-2**23 + 1, 2**23 - 1), st.integers(-3, 3))))
    ranks = draw(hnp.arrays(np.int32, (n, k), elements=st.integers(0, 2**28 - 1)))
    if draw(st.booleans()):  # slot-major, as the engine and the decoded run hold them
        states, totals, ranks = (np.asfortranarray(a) for a in (states, totals, ranks))
    return states, totals, ranks


@settings(max_examples=200, deadline=None)
@given(slot_matrices(), st.integers(1, 7))
def test_pack_follows_the_layout_block_by_block_and_into_a_view(matrices, block):
    states, totals, ranks = matrices
    n, k = totals.shape
    expected = [[plain_slot(int(states[i, j]), int(totals[i, j]), int(ranks[i, j])) for j in range(k)]
                for i in range(n)]
    matrix = np.full((n, k + 3), -7, dtype=np.int64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(entry_slots, "BLOCK_ROWS", block)
        assert entry_slots.pack(states, totals, ranks).tolist() == expected
        entry_slots.pack(states, totals, ranks, out=matrix[:, 2:2 + k])
    assert matrix[:, 2:2 + k].tolist() == expected
    assert (matrix[:, :2] == -7).all() and (matrix[:, 2 + k:] == -7).all()


@pytest.mark.parametrize("total", [2**23, -2**23, 2**31 - 1])
def test_a_total_out_of_range_is_refused_in_any_block(monkeypatch, total):
    monkeypatch.setattr(entry_slots, "BLOCK_ROWS", 2)
    totals = np.zeros((5, 2), dtype=np.int32)
    totals[4, 1] = total  # in the last block
    with pytest.raises(ValueError, match="total"):
        entry_slots.pack(np.zeros((5, 2), dtype=np.int8), totals, np.zeros((5, 2), dtype=np.int32))


def test_a_rank_out_of_range_is_refused():
    ranks = np.zeros((3, 1), dtype=np.int32)
    ranks[2, 0] = 2**28
    with pytest.raises(ValueError, match="rank"):
        entry_slots.pack(np.zeros((3, 1), dtype=np.int8), np.zeros((3, 1), dtype=np.int32), ranks)
