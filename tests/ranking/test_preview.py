"""The preview engine against the plain reference (tests/reference/preview.py), on random pools."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import preview as reference

from ranking.constants import NO_SCORE
from ranking.preview import preview

totals = st.one_of(st.none(), st.integers(0, 700))


@st.composite
def pools(draw):
    size = draw(st.integers(0, 60))
    submitted = draw(st.lists(st.integers(0, 5), min_size=size, max_size=size))  # many ties
    ids = draw(st.permutations(range(1, size + 1)))
    return [(draw(totals), draw(totals), submitted[i], ids[i]) for i in range(size)]


def arrays(candidates):
    column = lambda i: np.array([NO_SCORE if c[i] is None else c[i] for c in candidates], dtype=np.int64)  # noqa: E731
    return column(0), column(1), np.array([c[2] for c in candidates], dtype=np.int64), \
        np.array([c[3] for c in candidates], dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(pools(), st.integers(1, 70), st.sampled_from([1, 7, 25, 100]))
def test_the_preview_agrees_with_the_reference(candidates, size, width):
    result = preview(*arrays(candidates), round_size=size, bin_width=width)
    assert result.candidates == len(candidates)
    assert {name: getattr(result, name) for name in reference.counts(candidates)} == reference.counts(candidates)
    for side, outcome in [(0, result.before), (1, result.after)]:
        expected = reference.round_result(candidates, side, size)
        assert (outcome.invited, outcome.cutoff_total, outcome.cutoff_submitted_us, outcome.cutoff_candidate_id) == expected
        shown = {int(edge): int(count) for edge, count in zip(result.bin_edges, outcome.histogram) if count}
        assert shown == reference.histogram(candidates, side, width)
        assert outcome.eligible == sum(1 for c in candidates if c[side] is not None)


def test_without_a_round_size_nobody_is_invited():
    result = preview(np.array([300]), np.array([310]), np.array([1]), np.array([1]))
    assert (result.before.invited, result.after.cutoff_total) == (0, None)


def test_misaligned_inputs_are_refused():
    with pytest.raises(ValueError):
        preview(np.array([1, 2]), np.array([1]), np.array([1]), np.array([1]))


def test_results_are_read_only():
    result = preview(np.array([300]), np.array([310]), np.array([1]), np.array([1]))
    with pytest.raises(ValueError):
        result.before.histogram[0] = 5
