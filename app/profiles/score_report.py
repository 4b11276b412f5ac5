"""One candidate's score, explained: base total and breakdown, and per preferred state."""
from __future__ import annotations

import datetime as dt

import numpy as np
import ranking

from app.states import grid as grids
from app.states import participation


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


def upcoming_changes(session, columns: dict[str, np.ndarray], today: dt.date, now: dict) -> list[dict]:
    """The rule changes ahead that move this candidate at a state they chose, earliest first.

    `now` is `explain(...)` for today. For each date on which an overlay revision or a version of
    the common grid takes effect, the candidate is scored with the rules in force then (ages as of
    that date), and each chosen state whose rules change that day (every one, for a grid version)
    and whose total or eligibility for them changes is listed with the total they would have there
    ("from 1 March, Germany's additions change: your total there would be 512"); `kind` is "grid"
    (with `grid_version`) when the common grid changes that day. A chosen state that stops taking
    part is listed too.
    """
    chosen = {state["state"]: state for state in now["states"]}
    upcoming = grids.upcoming_dates(session, today) if chosen else []
    revisions_now = grids.ids_in_force(session, today) if upcoming else {}  # one query fewer most days
    grid_now = grids.version_on(today).version
    changes = []
    for day in upcoming:
        revisions_then = grids.ids_in_force(session, day)
        grid_then = grids.version_on(day).version
        moved = {code for code in chosen
                 if grid_then != grid_now or revisions_then.get(code) != revisions_now.get(code)}
        if not moved:
            continue
        later = {state["state"]: state for state in explain(grids.in_force(session, day), columns, day)["states"]}
        kind = {"kind": "grid", "grid_version": grid_then} if grid_then != grid_now else {"kind": "overlay"}
        for code in sorted(moved, key=lambda code: chosen[code]["preference"]):
            before, after = chosen[code], later[code]
            if (before["eligible"], before["total"]) != (after["eligible"], after["total"]):
                changes.append({"state": code, "effective_from": day, **kind,
                                "total_before": before["total"], "eligible": after["eligible"],
                                "total": after["total"], "reasons": after["reasons"]})
    for code, day in participation.departures(session, today, list(chosen)) if chosen else ():
        changes.append({"state": code, "effective_from": day, "kind": "leaves_pool", "total_before": chosen[code]["total"],
                        "eligible": False, "total": None, "reasons": []})
    return sorted(changes, key=lambda change: (change["effective_from"], chosen[change["state"]]["preference"]))
