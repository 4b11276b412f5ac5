"""No count below 10 of the pool distribution is published, nor can one be worked out from the
counts that are (a state's total minus its published buckets)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.ranking_runs.pool_distribution import SMALLEST_COUNT, disclosed

counts = st.lists(st.integers(1, 40), min_size=0, max_size=12)


def state_of(bucket_counts: list[int]) -> dict:
    return {"state": "MT", "candidates": sum(bucket_counts),
            "buckets": [{"low": 50 * i, "high": 50 * i + 49, "candidates": c} for i, c in enumerate(bucket_counts)]}


@given(counts)
def test_no_small_count_is_published_or_deducible(bucket_counts):
    shown = disclosed(state_of(bucket_counts))
    published = [b["candidates"] for b in shown["buckets"] if b["candidates"] is not None]
    assert all(count >= SMALLEST_COUNT for count in published)
    assert shown["candidates"] is None or shown["candidates"] >= SMALLEST_COUNT or shown["candidates"] == 0
    hidden = [b for b in shown["buckets"] if b["candidates"] is None]
    # A total with exactly one hidden bucket would give that bucket away by subtraction.
    assert shown["candidates"] is None or len(hidden) != 1
    for bucket, count in zip(shown["buckets"], bucket_counts):
        assert bucket["fewer_than_10"] == (count < SMALLEST_COUNT)
        assert bucket["candidates"] in (None, count)


def test_a_lone_small_bucket_withholds_the_smallest_other():
    shown = disclosed(state_of([30, 12, 4, 50]))
    assert [(b["candidates"], b["fewer_than_10"], b["withheld"]) for b in shown["buckets"]] == [
        (30, False, False), (None, False, True), (None, True, False), (50, False, False)]
    assert shown["candidates"] == 96
