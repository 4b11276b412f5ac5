"""A draw's restrictions applied to a ranking's scores: who each state may invite, as NO_SCORE where not.

States without a round in the draw take no one; at a state with a round, a candidate outside
its `eligible` mask (a category, or out of the pool) or below its minimum score is NO_SCORE too,
so deferred acceptance sees each state's own restrictions and nothing else changes.

One pass per preference slot, whole columns at a time: each slot's state looks up its round's
minimum (a minimum no score reaches for a state without a round) in a table by state, and its
round's mask of who may be invited. The rounds of a draw nearly always share one mask (who is
in the pool now; a category narrows only its own round), so identical masks are merged first,
and with one mask left each slot's test is a plain AND with it instead of a gather from R masks.
"""
from __future__ import annotations

import numpy as np

from ranking.constants import NO_SCORE
from ranking.grid.evaluation import select

# A minimum no int32 score reaches: a state without a round in the draw invites nobody.
_NO_ROUND = np.int64(np.iinfo(np.int32).max) + 1


def restricted_scores(preferences: np.ndarray, scores: np.ndarray, states: np.ndarray, eligible: np.ndarray,
                      min_scores: np.ndarray, mask_of_round: np.ndarray | None = None) -> np.ndarray:
    """(N, K) int32: `scores` where the state of that preference may invite the candidate, else NO_SCORE.

    `preferences` (N, K) holds state indices (-1: no preference there) aligned with `scores`
    (NO_SCORE: not eligible there). Round r of the draw is at state `states[r]` (R,), may invite
    the candidates where `eligible[r]` (R, N) bool is true, and only from `min_scores[r]` up
    (R,) int64 (use NO_SCORE + 1 for no minimum). A state holds at most one round of a draw
    (if several name it, the last one counts). With `mask_of_round` (R,), `eligible` is (D, N)
    instead, and round r may invite where `eligible[mask_of_round[r]]`: a caller whose rounds
    share masks passes each once (a draw's 27 rounds one pool mask: no 27 copies to compare).

    >>> restricted_scores(np.array([[0, 1]]), np.array([[90, 80]]), np.array([1]), np.array([[True]]),
    ...                   np.array([85])).tolist() == [[NO_SCORE, NO_SCORE]]
    True
    """
    preferences, scores = np.asarray(preferences), np.asarray(scores)
    states = np.asarray(states, dtype=np.int64)
    count, slot_count = preferences.shape
    if mask_of_round is None:
        masks, mask_of_round = _distinct_rows(np.asarray(eligible, dtype=bool).reshape(states.size, count))
    else:
        masks = np.asarray(eligible, dtype=bool).reshape(len(eligible), count)
        mask_of_round = np.asarray(mask_of_round, dtype=np.intp).reshape(states.size)
    size = int(max(preferences.max(initial=0), states.max(initial=0))) + 2  # row 0: no preference
    # By state + 1: the round's minimum (never below NO_SCORE + 1, so NO_SCORE is never invited)
    # and which of the distinct masks is the round's.
    lowest = np.full(size, _NO_ROUND, dtype=np.int64)
    lowest[states + 1] = np.maximum(np.asarray(min_scores, dtype=np.int64), NO_SCORE + 1)
    mask_of_state = np.zeros(size, dtype=np.intp)
    mask_of_state[states + 1] = mask_of_round
    candidates = np.arange(count, dtype=np.intp) if len(masks) > 1 else None
    out = np.empty((count, slot_count), dtype=np.int32)
    for slot in range(slot_count):
        row = np.add(preferences[:, slot], 1, dtype=np.intp)
        slot_scores = np.ascontiguousarray(scores[:, slot])
        allowed = slot_scores >= np.take(lowest, row)
        if candidates is None:
            if len(masks):
                allowed &= masks[0]
        else:
            allowed &= np.take(masks.reshape(-1), np.take(mask_of_state, row) * count + candidates)
        out[:, slot] = select(allowed, slot_scores.astype(np.int32, copy=False), np.int32(NO_SCORE))
    return out


def _distinct_rows(masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of an (R, N) bool array, (D, N), and the index of each row among them, (R,)."""
    seen: dict[bytes, int] = {}
    index = np.empty(len(masks), dtype=np.intp)
    for r, mask in enumerate(masks):
        index[r] = seen.setdefault(np.packbits(mask).tobytes(), len(seen))  # rows of one length
    first = np.unique(index, return_index=True)[1]
    return masks[first], index
