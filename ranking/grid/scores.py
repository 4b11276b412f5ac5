"""What scoring returns: totals, the per-factor breakdown, eligibility with reasons.

The breakdown is part of the answer, not a debugging aid: a candidate is shown where every
point came from, and an official can see which rule kept someone out. Arrays are frozen once
scoring is done because the same result is shared by rankers, rounds and responses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ranking.constants import NO_SCORE

if TYPE_CHECKING:
    from ranking.grid.engine import Grid

@dataclass
class Scores:
    """Scores of N candidates under one grid (and, for grids with states, each chosen state)."""

    grid: "Grid" = field(repr=False)
    total: np.ndarray
    eligible: np.ndarray
    breakdown: dict[str, np.ndarray]
    failures: np.ndarray = field(repr=False)  # (N, rules) view of (rules, N): True where a rule is not met
    states: np.ndarray | None = None  # (N, K) state index per preference slot, -1 padding
    state_totals: np.ndarray | None = None  # (N, K) int32, NO_SCORE where not chosen / not eligible
    state_breakdown: dict[str, np.ndarray] = field(default_factory=dict)
    state_failures: np.ndarray | None = field(default=None, repr=False)  # (N, K) bool: below that state's minimum

    @classmethod
    def empty(cls, grid: "Grid", n: int) -> "Scores":
        """Allocate every output array once; blocks of candidates fill them in place.

        Failures are stored one rule after another, (rules, N), so that each rule's result is
        written contiguously, and handed out as an (N, rules) transposed view.
        """
        names = [f.name for f in grid.factors] + [g.name for g in grid.groups] + [s.name for s in grid.sections]
        scores = cls(
            grid=grid,
            total=np.zeros(n, dtype=np.int32),
            eligible=np.zeros(n, dtype=bool),
            breakdown={name: np.zeros(n, dtype=np.int16) for name in names},
            failures=np.zeros((len(grid.rules), n), dtype=bool).T,
        )
        if grid.states:
            grid.states.allocate(scores, n)
        return scores

    def freeze(self) -> None:
        """Make every array read-only: results are shared, never edited."""
        arrays = [self.total, self.eligible, self.failures, *self.breakdown.values(), *self.state_breakdown.values()]
        arrays += [a for a in (self.states, self.state_totals, self.state_failures) if a is not None]
        for array in arrays:
            array.flags.writeable = False

    def __len__(self) -> int:
        return len(self.total)

    def reasons(self, i: int) -> list[str]:
        """Why candidate i is not eligible under the grid (empty when eligible)."""
        return [rule.reason for rule, failed in zip(self.grid.rules, self.failures[i]) if failed]

    def state_reasons(self, i: int, k: int) -> list[str]:
        """Why candidate i cannot be invited by the state of their k-th preference (empty if they can)."""
        if self.states is None or self.states[i, k] < 0 or self.state_totals[i, k] != NO_SCORE:
            return []
        reasons = self.reasons(i)
        if self.state_failures[i, k]:
            reasons.append(self.grid.states.minimum_reason(int(self.states[i, k])))
        return reasons

    def explain(self, i: int) -> dict:
        """One candidate's result as plain data: total, breakdown, eligibility, and per-state totals."""
        result = {
            "total": int(self.total[i]),
            "breakdown": {name: int(values[i]) for name, values in self.breakdown.items()},
            "eligible": bool(self.eligible[i]),
            "reasons": self.reasons(i),
        }
        if self.states is not None:
            codes = self.grid.state_codes
            result["states"] = [
                {
                    "state": codes[int(state)],
                    "total": int(self.state_totals[i, k]) if self.state_totals[i, k] != NO_SCORE else None,
                    "eligible": bool(self.state_totals[i, k] != NO_SCORE),
                    "additions": {name: int(values[i, k]) for name, values in self.state_breakdown.items()},
                    "reasons": self.state_reasons(i, k),
                }
                for k, state in enumerate(self.states[i]) if state >= 0
            ]
        return result
