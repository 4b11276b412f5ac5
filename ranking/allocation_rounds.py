"""Candidate-proposing deferred acceptance over whole arrays, one proposal round per iteration.

In each round every candidate without a tentative place proposes at once; each state keeps the
best `quota` of the candidates it holds plus its new proposers and rejects the rest, who move on
down their preferences. A state never takes back a rejection, so once it is full its worst
held candidate is a cut-off that only rises: a rejected candidate skips, in the same step, every
further preference whose cut-off they cannot beat. Skipping only saves proposals that would be
rejected anyway, and the order in which proposals are made does not change the outcome of
deferred acceptance, so the result is the candidate-optimal stable allocation.

After the first round almost every candidate is below the cut-offs of the states they still
want, so from the third round on the work is confined to the top of each state's ranking.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ranking.allocation_order import NO_SCORE, Tiebreak, select_best, worst

_CLOSED = np.int32(np.iinfo(np.int32).max)


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

    # Rounds with more proposers than this share of the pool first drop those who cannot beat
    # any cut-off; smaller rounds go straight to the look-ups.
    BOUND_SHARE = 1 / 8

    def __init__(self, scores: np.ndarray, preferences: np.ndarray, quotas: np.ndarray, tiebreak: Tiebreak):
        self.scores = scores
        self.preferences = preferences
        self.quotas = quotas
        self.tiebreak = tiebreak
        count, slot_count = preferences.shape
        # One extra entry at the end answers for padding (-1): nobody beats it.
        self.cut_score = np.full(quotas.size + 1, NO_SCORE, dtype=np.int32)
        self.cut_score[np.append(quotas == 0, True)] = _CLOSED
        self.cut_row = np.full(quotas.size + 1, -1, dtype=np.int64)
        # Where each candidate's current proposal sits, and their score there.
        self.slot = np.zeros(count, dtype=np.int16 if slot_count < 2**15 else np.int64)
        self.score_now = np.zeros(count, dtype=np.int32)
        self.best_scores = None

    def run(self, eligible: np.ndarray | None) -> Outcome:
        """Deferred acceptance among the eligible candidates (all when None)."""
        state_count = self.quotas.size
        held = [np.empty(0, dtype=np.int64) for _ in range(state_count)]
        proposers, states = self.first_proposals(eligible)
        iterations = 0
        while proposers.size:
            iterations += 1
            order = np.argsort(states, kind="stable")  # int16 keys: a radix sort
            proposers = proposers[order]
            bounds = np.cumsum(np.bincount(states, minlength=state_count))
            rejected = []
            for state in np.flatnonzero(np.diff(bounds, prepend=0)):
                group = np.concatenate([held[state], proposers[(bounds[state - 1] if state else 0) : bounds[state]]])
                scores = self.score_now[group]
                keep, last = select_best(scores, group, int(self.quotas[state]), self.tiebreak)
                if last >= 0:
                    self.cut_score[state] = scores[last]
                    self.cut_row[state] = group[last]
                if keep is not None:
                    rejected.append(group[~keep])
                    group = group[keep]
                held[state] = group
            rejected = np.concatenate(rejected) if rejected else np.empty(0, dtype=np.int64)
            self.slot[rejected] += 1
            proposers, states = self.propose(rejected)
        return Outcome(held, [self.score_now[h] for h in held], iterations)

    def first_proposals(self, eligible: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Everyone's first invitable preference; reads the first column whole, as nearly
        everyone's first preference is invitable, and looks further only for the rest."""
        if not self.preferences.shape[1]:
            return _joined([])
        states, scores = self.preferences[:, 0], self.scores[:, 0]
        self.score_now[:] = scores
        # Every cut-off is still open (NO_SCORE) or closed (the top score, for quota 0 and for
        # padding), and no cut-off has a row yet: a strict comparison decides alone.
        beats = scores > self.cut_score[states]
        if eligible is not None:
            beats &= eligible
        rows = np.flatnonzero(beats)
        others = np.flatnonzero(~beats if eligible is None else ~beats & eligible)
        self.slot[others] = 1
        later, later_states = self._look_up_rows(others)
        return np.concatenate([rows, later]), np.concatenate([states[rows].astype(np.int16), later_states])

    def propose(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Move each candidate to their first preference, from their current slot on, whose
        cut-off they beat; return those who found one and the state (int16) they propose to."""
        floor = self.cut_score.min()
        if floor > NO_SCORE and rows.size > self.BOUND_SHARE * self.preferences.shape[0]:
            # Nobody whose best score is below every state's cut-off can beat any of them. One
            # pass over the scores drops most of the pool after the first round, before the
            # row-by-row look-ups of each state's cut-off.
            rows = rows[self._best_scores()[rows] >= floor]
        return self._look_up_rows(rows)

    def _best_scores(self) -> np.ndarray:
        if self.best_scores is None:
            self.best_scores = functools.reduce(np.maximum, self.scores.T)
        return self.best_scores

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
        self.slot[rows] = slot if np.isscalar(slot) else slot[hit]
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
