"""The eligibility mask each completed round stores (what `rounds verify` recomputes from): packed
per round from the masks the rounds share, it must read back as that round's own mask."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from app.rounds import draw


@st.composite
def draw_rounds(draw_, max_candidates=200, max_rounds=6):
    """Rounds over one pool, some sharing one mask object (as rounds without a category do)."""
    count = draw_(st.integers(0, max_candidates))
    distinct = [np.array(draw_(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
                for _ in range(draw_(st.integers(1, 3)))]
    choices = draw_(st.lists(st.integers(0, len(distinct) - 1), min_size=1, max_size=max_rounds))
    return [draw.DrawRound(key=f"R{i}", state=i, quota=1, min_score=None, eligible=distinct[c])
            for i, c in enumerate(choices)]


@settings(max_examples=200, deadline=None)
@given(draw_rounds())
def test_each_round_reads_back_its_own_mask(rounds):
    packed = draw.packed_masks(rounds)
    assert len(packed) == len(rounds)
    for part, blob in zip(rounds, packed):
        np.testing.assert_array_equal(draw.unpack_mask(blob, part.eligible.size), part.eligible)


def test_rounds_that_share_a_mask_share_its_packed_bytes_and_equal_masks_apart_do_not():
    pool = np.arange(1000) % 3 == 0
    twin = pool.copy()  # equal, but another round's own mask (a category that selects the same rows)
    rounds = [draw.DrawRound(key=f"R{i}", state=i, quota=1, min_score=None, eligible=mask)
              for i, mask in enumerate([pool, twin, pool, pool])]
    packed = draw.packed_masks(rounds)
    assert packed[0] is packed[2] is packed[3]
    assert packed[1] is not packed[0] and packed[1] == packed[0]
