"""Candidate-proposing deferred acceptance over whole arrays, one proposal round per iteration.

In each round every candidate without a tentative place proposes at once; each state keeps the
best `quota` of the candidates it holds plus its new proposers and rejects the rest, who move on
down their preferences. A state never takes back a rejection, so once it is full its worst
held candidate is a cut-off that only rises: a rejected candidate skips, in the same step, every
further preference whose cut-off they cannot beat. Skipping only saves proposals that would be
rejected anyway, and the order in which proposals are made does not change the outcome of
deferred acceptance, so the result is the candidate-optimal stable allocation.

The first round, where everyone proposes, is streamed over whole arrays
(ranking.allocation.first_round). After it almost every candidate is below the cut-offs of the
states they still want, so later rounds look up, row by row, only the few who are not.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranking.allocation.first_round import first_choices, first_round
from ranking.allocation.order import CLOSED, Tiebreak, select_best, worst
from ranking.constants import NO_SCORE


@dataclass
class Outcome:
    """Who each state holds once nobody is rejected any more, with their score there."""

    rows: list[np.ndarray]
    scores: list[np.ndarray]
    iterations: int

    def cutoff_positions(self, tiebreak: Tiebreak) -> list[int]:
        """Per state, the position in `rows` of its lowest-ranked invitee (-1 if none)."""
        return [worst(s, r, tiebreak) if r.size else -1 for r, s in zip(self.rows, self.scores)]


class Market:
    """The pool's preferences and scores, each state's cut-off, and where each candidate stands."""

    def __init__(self, scores: np.ndarray, preferences: np.ndarray, quotas: np.ndarray, tiebreak: Tiebreak):
        self.scores = scores
        self.preferences = preferences
        self.quotas = quotas
        self.tiebreak = tiebreak
        # One extra entry at the end answers for padding (-1): nobody beats it.
        self.cut_score = np.full(quotas.size + 1, NO_SCORE, dtype=np.int32)
        self.cut_score[np.append(quotas == 0, True)] = CLOSED
        self.cut_row = np.full(quotas.size + 1, -1, dtype=np.int64)
        # Per candidate: the slot of their current proposal, their score there, and an upper
        # bound on their score anywhere after a rejection.
        self.slot = self.score_now = self.best_later = None

    def run(self, eligible: np.ndarray | None) -> Outcome:
        """Deferred acceptance among the eligible candidates (all when None)."""
        first = first_choices(self.scores, self.preferences, self.quotas, eligible)
        self.slot, self.score_now, self.best_later = first.slot, first.score, first.best_later
        opening = first_round(first, self.quotas, self.tiebreak)
        for state, score in opening.cut_score.items():
            self.cut_score[state], self.cut_row[state] = score, opening.cut_row[state]
        held = opening.held
        held_scores = [first.score[rows] for rows in held]
        iterations = int(bool(np.any(first.state >= 0)))
        # Rejected in the first round and still able to beat some state's cut-off (the same
        # test `propose` makes, on whole arrays).
        rejected = np.flatnonzero((first.state >= 0) & ~opening.kept & (first.best_later >= self.cut_score.min()))
        self.slot[rejected] += 1
        proposers, states = self.propose(rejected)
        while proposers.size:
            iterations += 1
            order = np.argsort(states, kind="stable")  # int16 keys: a radix sort
            proposers = proposers[order]
            bounds = np.cumsum(np.bincount(states, minlength=self.quotas.size))
            rejected = []
            for state in np.flatnonzero(np.diff(bounds, prepend=0)):
                new = proposers[(bounds[state - 1] if state else 0) : bounds[state]]
                group = np.concatenate([held[state], new])
                scores = np.concatenate([held_scores[state], self.score_now[new]])
                keep, last = select_best(scores, group, int(self.quotas[state]), self.tiebreak)
                if last >= 0:
                    self.cut_score[state] = scores[last]
                    self.cut_row[state] = group[last]
                if keep is not None:
                    rejected.append(group[~keep])
                    group, scores = group[keep], scores[keep]
                held[state], held_scores[state] = group, scores
            # Rows in ascending order: the look-ups then walk the inputs forwards.
            rejected = np.sort(np.concatenate(rejected)) if rejected else np.empty(0, dtype=np.int64)
            self.slot[rejected] += 1
            proposers, states = self.propose(rejected)
        return Outcome(held, held_scores, iterations)

    def propose(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Move each candidate to their first preference, from their current slot on, whose
        cut-off they beat; return those who found one and the state (int16) they propose to."""
        # Nobody whose best remaining score is below every state's cut-off can beat any of them:
        # one comparison spares them the look-ups of each state's cut-off.
        return self._look_up_rows(rows[self.best_later[rows] >= self.cut_score.min()])

    def _beats(self, rows: np.ndarray, states: np.ndarray, scores: np.ndarray) -> np.ndarray:
        cut = self.cut_score[states]
        beats = scores > cut
        tied = np.flatnonzero(scores == cut)
        if tied.size:
            cut_rows = self.cut_row[states[tied]]
            # An open state's cut-off is NO_SCORE with no row: a tie there is a slot with no
            # score, which, like padding and closed states, nobody can win.
            winners = cut_rows >= 0
            winners[winners] = self.tiebreak.precedes(rows[tied[winners]], cut_rows[winners])
            beats[tied[winners]] = True
        return beats

    def _found(self, rows, slot, states, scores, beats) -> tuple[np.ndarray, np.ndarray]:
        hit = np.flatnonzero(beats)
        rows = rows[hit]
        self.slot[rows] = slot[hit]
        self.score_now[rows] = scores[hit]
        return rows, states[hit].astype(np.int16)

    def _look_up_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        slot_count = self.preferences.shape[1]
        preferences, scores_flat = self.preferences.reshape(-1), self.scores.reshape(-1)
        slots = self.slot[rows].astype(np.int64)
        found = []
        while rows.size:
            live = np.flatnonzero(slots < slot_count)
            rows, slots = rows[live], slots[live]
            flat = rows * slot_count + slots
            states, scores = preferences[flat], scores_flat[flat]
            beats = self._beats(rows, states, scores)
            found.append(self._found(rows, slots, states, scores, beats))
            rows, slots = rows[~beats], slots[~beats] + 1
        return _joined(found)


def _joined(found: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not found:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int16)
    return np.concatenate([rows for rows, _ in found]), np.concatenate([states for _, states in found])
