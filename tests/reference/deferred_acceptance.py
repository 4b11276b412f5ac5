"""Textbook deferred acceptance, one proposal at a time, to check `ranking.allocate` against.

Written from the definition (Gale and Shapley 1962, college admissions with quotas), not from the
numpy code: a queue of free candidates, each proposing to the next state on their list; a state
tentatively holds its best `quota` proposers and sends the worst one back to the queue. It shares
nothing with the vectorised version but the meaning of the input.

Input is plain Python: a list of candidates, each a dict with
    "id": comparable, distinct    "submitted_at": comparable
    "choices": [(state, score), ...] in preference order, only states that may invite them
and `quotas`, a dict state -> number of places.
"""
from __future__ import annotations

from collections import deque


def rank_key(candidate: dict, state) -> tuple:
    """How `state` orders candidates: higher score, then earlier submission, then smaller id."""
    score = dict(candidate["choices"])[state]
    return (-score, candidate["submitted_at"], candidate["id"])


def deferred_acceptance(candidates: list[dict], quotas: dict) -> dict:
    """Candidate-proposing deferred acceptance: {candidate index: state} for those invited."""
    next_choice = [0] * len(candidates)
    held = {state: [] for state in quotas}
    free = deque(range(len(candidates)))
    while free:
        i = free.popleft()
        choices = candidates[i]["choices"]
        if next_choice[i] == len(choices):
            continue
        state, _ = choices[next_choice[i]]
        next_choice[i] += 1
        held[state].append(i)
        if len(held[state]) > quotas[state]:
            held[state].sort(key=lambda j: rank_key(candidates[j], state))
            free.append(held[state].pop())
    return {i: state for state, members in held.items() for i in members}


def serial_greedy(candidates: list[dict], quotas: dict) -> dict:
    """The single-score rule: down the ranking, each candidate takes their first choice with room.

    Only meaningful when a candidate's score is the same at every state they chose.
    """
    room = dict(quotas)
    invited = {}
    order = sorted(
        range(len(candidates)),
        key=lambda i: rank_key(candidates[i], candidates[i]["choices"][0][0]) if candidates[i]["choices"] else (),
    )
    for i in order:
        for state, _ in candidates[i]["choices"]:
            if room[state] > 0:
                room[state] -= 1
                invited[i] = state
                break
    return invited


def cutoffs(candidates: list[dict], invited: dict) -> dict:
    """Per state that invited anyone: (score, submitted_at, index) of its lowest-ranked invitee."""
    lowest = {}
    for i, state in invited.items():
        if state not in lowest or rank_key(candidates[i], state) > rank_key(candidates[lowest[state]], state):
            lowest[state] = i
    return {
        state: (dict(candidates[i]["choices"])[state], candidates[i]["submitted_at"], i)
        for state, i in lowest.items()
    }


def blocking_pairs(candidates: list[dict], quotas: dict, invited: dict) -> list[tuple]:
    """(candidate index, state) pairs that would both rather be matched to each other.

    The candidate prefers the state to what they got, and the state has a free place or holds
    someone it ranks below the candidate. An allocation is stable when the list is empty.
    """
    members = {state: [i for i, s in invited.items() if s == state] for state in quotas}
    pairs = []
    for i, candidate in enumerate(candidates):
        for state, _ in candidate["choices"]:
            if invited.get(i) == state:
                break
            has_room = len(members[state]) < quotas[state]
            outranks = any(rank_key(candidate, state) < rank_key(candidates[j], state) for j in members[state])
            if has_room or outranks:
                pairs.append((i, state))
    return pairs
