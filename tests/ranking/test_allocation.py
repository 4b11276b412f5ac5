"""`ranking.allocate` against textbook deferred acceptance, and the properties the issue asks for.

Expectations come from tests/reference/deferred_acceptance.py (one proposal at a time, plain
Python) or straight from the definitions (blocking pairs, quotas), never from the numpy code.
Rounds are tiny but lean on the hard parts: heavy ties in score and submission time, extreme
int32/int64 values, closed states, NO_SCORE slots, padding in the middle of a preference row.
"""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from ranking import constants
from ranking.allocation import NO_SCORE, allocate, scores_from_matrix
from reference import deferred_acceptance as reference

INT32 = np.iinfo(np.int32)
INT64 = np.iinfo(np.int64)

few_scores = st.integers(0, 3)
any_scores = st.integers(INT32.min + 1, INT32.max)
few_times = st.integers(0, 3)
any_times = st.integers(INT64.min, INT64.max)


@st.composite
def rounds(draw, max_candidates=30, max_states=5, max_slots=4, shared_score=False):
    """One round's arrays; scores and timestamps drawn from tiny ranges half of the time."""
    state_count = draw(st.integers(1, max_states))
    count = draw(st.integers(0, max_candidates))
    slots = draw(st.integers(1, max_slots))
    score_values = draw(st.sampled_from([few_scores, any_scores, st.sampled_from([INT32.min + 1, INT32.max])]))
    time_values = draw(st.sampled_from([few_times, any_times, st.just(0)]))
    preferences = np.full((count, slots), -1, dtype=np.int64)
    scores = np.full((count, slots), NO_SCORE, dtype=np.int32)
    for i in range(count):
        chosen = draw(st.lists(st.integers(0, state_count - 1), max_size=slots, unique=True))
        positions = sorted(draw(st.permutations(range(slots)))[: len(chosen)])
        own = draw(score_values)
        for position, state in zip(positions, chosen):
            preferences[i, position] = state
            scores[i, position] = own if shared_score else draw(score_values)
            if not shared_score and draw(st.integers(0, 9)) == 0:
                scores[i, position] = NO_SCORE
    ids = np.array(draw(st.lists(st.integers(INT64.min, INT64.max), min_size=count, max_size=count, unique=True)),
                   dtype=np.int64)
    submitted_at = np.array([draw(time_values) for _ in range(count)], dtype=np.int64)
    quotas = np.array(draw(st.lists(st.integers(0, 4), min_size=state_count, max_size=state_count)), dtype=np.int64)
    eligible = None
    if draw(st.booleans()):
        eligible = np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
    return scores, preferences, submitted_at, ids, quotas, eligible


def as_plain(scores, preferences, submitted_at, ids, quotas, eligible):
    """The arrays as the reference's plain candidates, keeping only slots a state may invite."""
    candidates = []
    for i in range(preferences.shape[0]):
        allowed = eligible is None or bool(eligible[i])
        choices = [
            (int(state), int(score))
            for state, score in zip(preferences[i], scores[i])
            if allowed and state >= 0 and score != NO_SCORE
        ]
        candidates.append({"id": int(ids[i]), "submitted_at": int(submitted_at[i]), "choices": choices})
    return candidates, {state: int(quota) for state, quota in enumerate(quotas)}


def invited_by(result) -> dict:
    return {i: int(state) for i, state in enumerate(result.state) if state >= 0}


def run(arrays):
    scores, preferences, submitted_at, ids, quotas, eligible = arrays
    return allocate(scores, preferences, submitted_at, ids, quotas, eligible=eligible)


@settings(max_examples=400, deadline=None)
@given(rounds())
def test_same_invitations_and_cutoffs_as_the_reference(arrays):
    result = run(arrays)
    candidates, quotas = as_plain(*arrays)
    expected = reference.deferred_acceptance(candidates, quotas)
    assert invited_by(result) == expected
    expected_cutoffs = reference.cutoffs(candidates, expected)
    for state in quotas:
        if state in expected_cutoffs:
            score, submitted_at, row = expected_cutoffs[state]
            assert (result.cutoff_score[state], result.cutoff_submitted_at[state], result.cutoff_candidate[state]) == (
                score, submitted_at, row)
        else:
            assert result.cutoff_candidate[state] == -1 and result.cutoff_score[state] == NO_SCORE
        assert result.invited[state] == sum(1 for s in expected.values() if s == state)


@settings(max_examples=100, deadline=None)
@given(rounds(max_candidates=200, max_states=8, max_slots=5))
def test_larger_rounds_agree_with_the_reference(arrays):
    candidates, quotas = as_plain(*arrays)
    assert invited_by(run(arrays)) == reference.deferred_acceptance(candidates, quotas)


@contextlib.contextmanager
def blocks_of(rows: int):
    """Stream the pool in blocks of `rows` rows, so tiny rounds cross block boundaries too."""
    saved = constants.ALLOCATION_BLOCK_ROWS
    constants.ALLOCATION_BLOCK_ROWS = rows
    try:
        yield
    finally:
        constants.ALLOCATION_BLOCK_ROWS = saved


@settings(max_examples=200, deadline=None)
@given(rounds(), st.integers(1, 7))
def test_blocks_do_not_change_the_result(arrays, block_rows):
    candidates, quotas = as_plain(*arrays)
    with blocks_of(block_rows):
        result = run(arrays)
    assert invited_by(result) == reference.deferred_acceptance(candidates, quotas)


def test_bad_row_is_found_in_a_later_block():
    preferences = np.array([[0, 1]] * 7 + [[1, 1]] + [[0, -1]] * 3)
    scores = np.ones(preferences.shape, np.int32)
    with blocks_of(3), pytest.raises(ValueError, match="row 7 lists the same state twice"):
        allocate(scores, preferences, np.zeros(11, np.int64), np.arange(11), np.array([1, 1]))
    preferences[9, 1] = 5
    with blocks_of(3), pytest.raises(ValueError, match="row 9 has a state index outside"):
        allocate(scores, np.where(np.arange(11)[:, None] == 7, [1, 0], preferences), np.zeros(11, np.int64),
                 np.arange(11), np.array([1, 1]))


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_stable_within_quotas_and_only_where_chosen(arrays):
    result = run(arrays)
    candidates, quotas = as_plain(*arrays)
    invited = invited_by(result)
    assert reference.blocking_pairs(candidates, quotas, invited) == []
    assert all(result.invited[s] <= quotas[s] for s in quotas)
    for i, state in invited.items():
        assert state in dict(candidates[i]["choices"])


@settings(max_examples=200, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_shuffling_the_rows_permutes_the_result(arrays, random):
    scores, preferences, submitted_at, ids, quotas, eligible = arrays
    order = list(range(preferences.shape[0]))
    random.shuffle(order)
    order = np.array(order, dtype=np.intp)
    shuffled = run((scores[order], preferences[order], submitted_at[order], ids[order], quotas,
                    None if eligible is None else eligible[order]))
    result = run(arrays)
    assert np.array_equal(shuffled.state, result.state[order])
    assert np.array_equal(shuffled.cutoff_score, result.cutoff_score)
    assert np.array_equal(shuffled.cutoff_submitted_at, result.cutoff_submitted_at)
    original_row = np.append(order, -1)  # -1, no invitee, stays -1
    assert np.array_equal(original_row[shuffled.cutoff_candidate], result.cutoff_candidate)


@settings(max_examples=200, deadline=None)
@given(rounds(shared_score=True))
def test_one_shared_score_is_the_serial_greedy(arrays):
    candidates, quotas = as_plain(*arrays)
    assert invited_by(run(arrays)) == reference.serial_greedy(candidates, quotas)


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_ineligible_candidates_are_as_if_absent(arrays):
    scores, preferences, submitted_at, ids, quotas, eligible = arrays
    if eligible is None:
        eligible = np.ones(preferences.shape[0], dtype=bool)
    kept = np.flatnonzero(eligible)
    full = run((scores, preferences, submitted_at, ids, quotas, eligible))
    alone = run((scores[kept], preferences[kept], submitted_at[kept], ids[kept], quotas, None))
    assert np.all(full.state[~eligible] == -1)
    assert np.array_equal(full.state[kept], alone.state)


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_matrix_form_gives_the_same_allocation(arrays):
    scores, preferences, submitted_at, ids, quotas, eligible = arrays
    matrix = np.full((preferences.shape[0], quotas.size), NO_SCORE, dtype=np.int32)
    for i, k in zip(*np.nonzero(preferences >= 0)):
        matrix[i, preferences[i, k]] = scores[i, k]
    aligned = scores_from_matrix(matrix, preferences)
    assert np.array_equal(aligned, np.where(preferences >= 0, scores, NO_SCORE))
    assert np.array_equal(run((aligned, preferences, submitted_at, ids, quotas, eligible)).state,
                          run(arrays).state)


def test_greedy_state_by_state_would_differ():
    # Anna is first everywhere and prefers FR; Ben only wants DE. State by state in the order
    # DE, FR, DE would invite Anna to DE and leave Ben out; deferred acceptance invites both.
    scores = np.array([[500, 500], [400, NO_SCORE]], dtype=np.int32)
    preferences = np.array([[1, 0], [0, -1]])
    result = allocate(scores, preferences, np.zeros(2, np.int64), np.arange(2), np.array([1, 1]))
    assert result.state.tolist() == [1, 0]
    assert result.invited.tolist() == [1, 1]


def test_result_is_read_only():
    result = allocate(np.array([[1]], np.int32), np.array([[0]]), np.zeros(1, np.int64), np.arange(1), np.array([1]))
    assert result.state.dtype == np.int16 and result.cutoff_score.dtype == np.int32
    with pytest.raises(ValueError):
        result.state[0] = -1
    with pytest.raises(ValueError):
        result.cutoff_candidate[0] = 3


GOOD = dict(
    scores=np.array([[10, 9], [8, NO_SCORE]], np.int32),
    preferences=np.array([[0, 1], [1, -1]]),
    submitted_at=np.zeros(2, np.int64),
    ids=np.arange(2),
    quotas=np.array([1, 1]),
)


@pytest.mark.parametrize("change, words", [
    ({"quotas": np.array([1, -2])}, ["quotas", "state 1", "negative"]),
    ({"preferences": np.array([[0, 2], [1, -1]])}, ["preferences", "row 0"]),
    ({"preferences": np.array([[0, 1], [1, 1]])}, ["preferences", "row 1", "twice"]),
    ({"preferences": np.array([[0, 1]])}, ["scores", "preferences", "shape"]),
    ({"scores": np.array([[1.5, 2.0], [1.0, 1.0]])}, ["scores", "integers"]),
    ({"scores": np.array([[1, 2], [2**40, 1]])}, ["scores", "row 1", "int32"]),
    ({"submitted_at": np.zeros(3, np.int64)}, ["submitted_at", "one entry per candidate"]),
    ({"ids": np.array(["a", "b"])}, ["ids", "integers"]),
    ({"eligible": np.array([1, 0])}, ["eligible", "bool"]),
])
def test_bad_input_is_named(change, words):
    arguments = {**GOOD, **change}
    eligible = arguments.pop("eligible", None)
    with pytest.raises(ValueError) as error:
        allocate(**arguments, eligible=eligible)
    for word in words:
        assert word in str(error.value)


def test_empty_pool_and_no_states():
    result = allocate(np.empty((0, 3), np.int32), np.empty((0, 3), np.int64), np.empty(0, np.int64),
                      np.empty(0, np.int64), np.array([2, 0]))
    assert result.state.size == 0 and result.invited.tolist() == [0, 0]
    assert result.cutoff_candidate.tolist() == [-1, -1]
    nobody = allocate(np.array([[NO_SCORE]], np.int32), np.array([[-1]]), np.zeros(1, np.int64), np.arange(1),
                      np.empty(0, np.int64))
    assert nobody.state.tolist() == [-1]
    no_choices = allocate(np.empty((2, 0), np.int32), np.empty((2, 0), np.int16), np.zeros(2, np.int64),
                          np.arange(2), np.array([1]))
    assert no_choices.state.tolist() == [-1, -1] and no_choices.iterations == 0


def test_no_score_is_the_marker_the_points_engine_writes():
    import ranking

    assert NO_SCORE == ranking.NO_SCORE
    assert ranking.allocate is allocate


@pytest.mark.parametrize("matrix, preferences, words", [
    (np.zeros((2, 3), np.int32), np.array([[0, 3], [1, -1]]), ["preferences", "-1..2"]),
    (np.zeros((2, 3)), np.array([[0, 1], [1, -1]]), ["integers"]),
    (np.full((2, 3), 2**40), np.array([[0, 1], [1, -1]]), ["int32"]),
    (np.zeros((3, 3), np.int32), np.array([[0, 1], [1, -1]]), ["N x S"]),
])
def test_bad_matrix_is_named(matrix, preferences, words):
    with pytest.raises(ValueError) as error:
        scores_from_matrix(matrix, preferences)
    for word in words:
        assert word in str(error.value)


@settings(max_examples=400, deadline=None)
@given(rounds(), st.data())
def test_one_state_alone_is_textbook_deferred_acceptance_with_only_its_places(arrays, data):
    """`allocate_one_state` (a round simulation's "this state on its own") against the textbook
    run with every other state closed, invitations and cut-off alike."""
    from ranking.allocation.one_state import allocate_one_state

    scores, preferences, submitted_at, ids, quotas, eligible = arrays
    if eligible is not None:  # a draw folds eligibility into the scores before this is called
        scores = np.where(eligible[:, None], scores, NO_SCORE).astype(np.int32)
    state = data.draw(st.integers(0, quotas.size - 1))
    alone = np.zeros_like(quotas)
    alone[state] = quotas[state]
    result = allocate_one_state(scores, preferences, submitted_at, ids, quotas.size, state, int(quotas[state]))
    candidates, plain_quotas = as_plain(scores, preferences, submitted_at, ids, alone, None)
    expected = reference.deferred_acceptance(candidates, plain_quotas)
    assert invited_by(result) == expected
    cutoffs = reference.cutoffs(candidates, expected)
    if state in cutoffs:
        assert (result.cutoff_score[state], result.cutoff_submitted_at[state],
                result.cutoff_candidate[state]) == cutoffs[state]
    else:
        assert result.cutoff_candidate[state] == -1 and result.cutoff_score[state] == NO_SCORE
    assert result.invited.tolist() == [sum(1 for s in expected.values() if s == k) for k in range(quotas.size)]
