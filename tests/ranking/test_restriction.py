"""`ranking.restriction.restricted_scores` against its definition, written out slot by slot in plain Python.

Draws lean on what the vectorised code merges or looks up: rounds sharing one mask or each with
its own, states without a round, a state named by two rounds (the last counts), minimums at and
beyond the int32 range, NO_SCORE slots and padding in the middle of a preference row.
"""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from ranking.constants import NO_SCORE
from ranking.restriction import restricted_scores
from strategies import preference_row

INT32 = np.iinfo(np.int32)


def plain(preferences, scores, states, eligible, min_scores):
    """Per slot: the score if the slot's state has a round (the last naming it), the candidate is in
    that round's mask, the score exists and reaches the round's minimum; NO_SCORE otherwise."""
    round_of = {int(state): r for r, state in enumerate(states)}
    out = []
    for i, (row, row_scores) in enumerate(zip(preferences.tolist(), scores.tolist())):
        kept = []
        for state, score in zip(row, row_scores):
            r = round_of.get(state)
            ok = r is not None and score != NO_SCORE and bool(eligible[r][i]) and score >= int(min_scores[r])
            kept.append(score if ok else NO_SCORE)
        out.append(kept)
    return out


@st.composite
def draws(draw):
    state_count = draw(st.integers(1, 6))
    count = draw(st.integers(0, 25))
    slot_count = draw(st.integers(1, 4))
    preferences = np.full((count, slot_count), -1, dtype=draw(st.sampled_from([np.int8, np.int16, np.int64])))
    score_values = draw(st.sampled_from([st.integers(0, 3), st.integers(INT32.min + 1, INT32.max)]))
    scores = np.full((count, slot_count), NO_SCORE, dtype=np.int32)
    value = st.one_of(st.just(NO_SCORE), score_values, score_values, score_values)
    for i in range(count):
        for position, state, score in preference_row(draw, state_count, slot_count, value):
            preferences[i, position], scores[i, position] = state, score
    states = np.array(draw(st.lists(st.integers(0, state_count - 1), max_size=state_count + 1)), dtype=np.int64)
    shared = np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
    eligible = np.array([shared if draw(st.booleans()) else
                         np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
                         for _ in states], dtype=bool).reshape(len(states), count)
    minimum = st.one_of(st.integers(0, 4), st.sampled_from([NO_SCORE, NO_SCORE + 1, -2**40, 2**40, INT32.max]))
    min_scores = np.array(draw(st.lists(minimum, min_size=len(states), max_size=len(states))), dtype=np.int64)
    return preferences, scores, states, eligible, min_scores


@settings(max_examples=300, deadline=None)
@given(draws())
def test_restricted_scores_follow_the_definition(case):
    result = restricted_scores(*case)
    assert result.dtype == np.int32 and result.shape == case[1].shape
    assert result.tolist() == plain(*case)


@settings(max_examples=300, deadline=None)
@given(draws(), st.data())
def test_masks_given_once_with_the_round_of_each_follow_the_definition(case, data):
    """The shared-mask form: each distinct mask once (in any order, repeats allowed), each round
    naming its own; the same result as one mask per round."""
    preferences, scores, states, eligible, min_scores = case
    distinct = data.draw(st.permutations(range(len(eligible))), label="order") if len(eligible) else []
    masks = eligible[list(distinct)] if len(eligible) else eligible
    mask_of_round = np.array([list(distinct).index(r) for r in range(len(eligible))], dtype=np.intp)
    result = restricted_scores(preferences, scores, states, masks, min_scores, mask_of_round=mask_of_round)
    assert result.tolist() == plain(*case)
