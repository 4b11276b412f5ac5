"""One candidate's score, explained: base total and breakdown, and per preferred state."""
from __future__ import annotations

import datetime as dt

import numpy as np
import ranking

from app.states import grid as grids


def explain(grid, columns: dict[str, np.ndarray], as_of: dt.date, scored=None) -> dict:
    """The score of the first (only) row of `columns`, in the API's shape (from `scored`, the grid's
    score of `columns` at `as_of`, when the caller has it already)."""
    scored = grid.score(columns, as_of=as_of) if scored is None else scored
    codes = grids.state_codes(grid)
    states = []
    for slot in range(scored.states.shape[1]):
        index = int(scored.states[0, slot])
        if index < 0:
            continue
        total = int(scored.state_totals[0, slot])
        eligible = total != ranking.NO_SCORE
        states.append({
            "state": codes[index],
            "preference": slot + 1,
            "eligible": eligible,
            "total": total if eligible else None,
            "additions": {name: int(values[0, slot]) for name, values in scored.state_breakdown.items()},
            "reasons": list(scored.state_reasons(0, slot)),
        })
    return {
        "as_of": as_of,
        "total": int(scored.total[0]),
        "eligible": bool(scored.eligible[0]),
        "reasons": list(scored.reasons(0)),
        "breakdown": {name: int(values[0]) for name, values in scored.breakdown.items()},
        "states": states,
    }
