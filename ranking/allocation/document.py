"""The JSON form of a round for `python -m ranking allocate`: checked, turned into arrays, and back.

    {"states": {"DE": {"quota": 3}},
     "candidates": [{"id": "c1", "submitted_at": "2026-01-01T10:00:00Z",
                     "preferences": ["DE", "FR"], "scores": {"DE": 450}}]}

A preference for a state missing from `states` or from the candidate's `scores` is skipped: that
state cannot invite them. Ids are strings and break ties in string order; submission times are
compared as instants, whatever their offset or precision. Every problem is reported as a
ValueError naming the candidate (or state) and the field, so an official can fix the file.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranking.allocation import Allocation
from ranking.allocation import timestamps
from ranking.constants import NO_SCORE

_TOP_FIELDS = ("states", "candidates")
_STATE_FIELDS = ("quota",)
_CANDIDATE_FIELDS = ("id", "submitted_at", "preferences", "scores")
_INT32 = np.iinfo(np.int32)


@dataclass(frozen=True)
class Round:
    """A checked round: `allocate`'s arguments plus what is needed to write the result back."""

    states: tuple[str, ...]
    ids: tuple[str, ...]
    submitted_at_text: tuple[str, ...]
    arguments: dict


def read_round(document) -> Round:
    """Check the whole document and build `allocate`'s arrays; ValueError on the first problem."""
    _fields(document, _TOP_FIELDS, "the round")
    states = _states(document["states"])
    candidates = document["candidates"]
    if not isinstance(candidates, list):
        raise ValueError("candidates: must be a list")
    ids, instants, wanted = [], [], []
    seen = {}
    for position, candidate in enumerate(candidates):
        name = _name(candidate, position)
        _fields(candidate, _CANDIDATE_FIELDS, name)
        if not isinstance(candidate["id"], str):
            raise ValueError(f"{name}: id: must be a string")
        if candidate["id"] in seen:
            raise ValueError(f"{name}: id: candidates[{seen[candidate['id']]}] has the same id")
        seen[candidate["id"]] = position
        try:
            instants.append(timestamps.parse(candidate["submitted_at"]))
        except ValueError as error:
            raise ValueError(f"{name}: submitted_at: {error}") from None
        ids.append(candidate["id"])
        wanted.append(_choices(candidate, name, states))
    count = len(candidates)
    slot_count = max((len(choices) for choices in wanted), default=0)
    preferences = np.full((count, slot_count), -1, dtype=np.int16)
    scores = np.full((count, slot_count), NO_SCORE, dtype=np.int32)
    for row, choices in enumerate(wanted):  # building input, not allocating: one pass over the JSON
        for slot, (state, score) in enumerate(choices):
            preferences[row, slot] = state
            scores[row, slot] = score
    arguments = dict(
        scores=scores,
        preferences=preferences,
        submitted_at=_dense_ranks(timestamps.ordinals(instants)),
        ids=_dense_ranks(ids),
        quotas=np.array([min(quota, count) for quota in states.values()], dtype=np.int64),
    )
    return Round(tuple(states), tuple(ids), tuple(c["submitted_at"] for c in candidates), arguments)


def write_result(round_: Round, result: Allocation) -> dict:
    """Invitations sorted by state then candidate id, and a cut-off for each state that invited."""
    invited = np.flatnonzero(result.state >= 0)
    invitations = sorted((round_.states[result.state[row]], round_.ids[row]) for row in invited)
    cutoffs = {}
    for index in sorted(range(len(round_.states)), key=round_.states.__getitem__):
        row = int(result.cutoff_candidate[index])
        if row >= 0:
            cutoffs[round_.states[index]] = {
                "score": int(result.cutoff_score[index]),
                "submitted_at": round_.submitted_at_text[row],
                "invited": int(result.invited[index]),
            }
    return {
        "invitations": [{"candidate": candidate, "state": state} for state, candidate in invitations],
        "cutoffs": cutoffs,
    }


def _states(states) -> dict[str, int]:
    if not isinstance(states, dict):
        raise ValueError("states: must be an object of state code to {\"quota\": n}")
    quotas = {}
    for code, state in states.items():
        name = f"state {code!r}"
        _fields(state, _STATE_FIELDS, name)
        quota = state["quota"]
        if not _is_integer(quota) or quota < 0:
            raise ValueError(f"{name}: quota: must be a non-negative integer, got {quota!r}")
        quotas[code] = quota
    return quotas


def _choices(candidate: dict, name: str, quotas: dict[str, int]) -> list[tuple[int, int]]:
    preferences, scores = candidate["preferences"], candidate["scores"]
    if not isinstance(preferences, list) or not all(isinstance(code, str) for code in preferences):
        raise ValueError(f"{name}: preferences: must be a list of state codes")
    if not isinstance(scores, dict):
        raise ValueError(f"{name}: scores: must be an object of state code to integer score")
    for code, score in scores.items():
        if not _is_integer(score) or not _INT32.min < score <= _INT32.max:
            raise ValueError(
                f"{name}: scores.{code}: must be an integer from {_INT32.min + 1} to {_INT32.max}, got {score!r}"
            )
    index = {code: i for i, code in enumerate(quotas)}
    choices, listed = [], set()
    for code in preferences:
        if code in listed:  # a repeat changes nothing: the state already had its chance
            continue
        listed.add(code)
        if code in index and code in scores:
            choices.append((index[code], scores[code]))
    return choices


def _fields(value, allowed: tuple[str, ...], name: str) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{name}: must be an object with fields {', '.join(allowed)}")
    for field in value:
        if field not in allowed:
            raise ValueError(f"{name}: unknown field {field!r} (expected {', '.join(allowed)})")
    for field in allowed:
        if field not in value:
            raise ValueError(f"{name}: {field}: missing")


def _name(candidate, position: int) -> str:
    if isinstance(candidate, dict) and isinstance(candidate.get("id"), str):
        return f"candidate {candidate['id']!r} (candidates[{position}])"
    return f"candidates[{position}]"


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _dense_ranks(values: list) -> np.ndarray:
    """Each value's rank among the distinct values, so any comparable key fits in int64."""
    rank = {value: i for i, value in enumerate(sorted(set(values)))}
    return np.array([rank[value] for value in values], dtype=np.int64)
