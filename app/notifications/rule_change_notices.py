"""Telling candidates when a rule change moved their total: one notice per candidate, after the nightly run.

When tonight's run was ranked with another overlay revision of some state (or another version of
the common grid) than the run before it, the two runs' entries are compared in numpy, slot by
slot: a candidate is told when their total (or their eligibility) at a state they chose, whose
rules changed, differs between the runs. One message per candidate lists every such state
("Germany's additions changed on 1 March 2027: your total there is now 514 (was 502)"); it is
written to the outbox in bulk (`candidate_notices.enqueue_all`) with the dedupe key
`rule-change:<run date>:<candidate>`, so running the night again (or replacing its run) adds
nothing.

**Only the rule change counts.** Two ways were possible: score tonight's records again under the
previous run's rules, or keep only the candidates whose profile did not change between the runs.
The second is used: it needs nothing but the two stored runs (no second read of every record, no
second scoring of the pool), and it works for a new version of the common grid too, whose old
rules the service no longer has (only overlays are dated data; the grid ships with the code). So a
candidate is left out when their profile was updated after the previous run started (they saw
their new total when they saved it), and when their common total moved without a new grid
version: with the same profile and the same grid that can only be their age, scored as of each
run's date, and a birthday is not a rule change.

**Ahead of time** the score page already lists the changes decided but not yet in force
(`app.profiles.score_report.upcoming_changes`). No mail is sent when an official saves such a
revision: finding whom it moves means scoring the whole pool under it inside the official's
request (seconds at a million candidates, holding the request), and a revision can still be
replaced or withdrawn before its date, so the mail could announce what never happens. The notice
after the run tells what did happen.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
from ranking import NO_SCORE
from sqlalchemy import select

from app import db
from app.notifications.candidate_notices import enqueue_all, notice
from app.profiles.models import Profile
from app.ranking_runs import run_entries
from app.ranking_runs.models import RankingRun
from app.states import grid as grids
from app.storage import columnar, engines

KIND = "rule_change"


def changed_states(previous, run) -> dict[str, dt.date | None]:
    """The states whose rules differ between two runs, with the date their new rules took effect
    (None: the common grid changed, so every state's, on the run's date)."""
    codes = grids.state_codes()
    if (previous.grid, previous.grid_version) != (run.grid, run.grid_version):
        return {code: None for code in codes}
    changed = {}
    for code in codes:
        before, after = previous.overlay_versions.get(code, {}), run.overlay_versions.get(code, {})
        if (before.get("revision"), before.get("version")) != (after.get("revision"), after.get("version")):
            effective = after.get("effective_from")
            changed[code] = dt.date.fromisoformat(effective) if effective else run.run_date
    return changed


def moved(previous: run_entries.RunEntries, current: run_entries.RunEntries, changed_mask: np.ndarray,
          unchanged_ids: np.ndarray, grid_changed: bool):
    """Who the rule change moved: (candidate ids (M,), a (M, slots) mask of the moved slots, their
    states, old totals and new totals (M, slots)), for candidates in both runs whose profile did
    not change (`unchanged_ids` are those that did not), and, under the same grid, whose common
    total did not move. `changed_mask` is (states,) bool: the states whose rules changed."""
    both, old_rows, new_rows = np.intersect1d(previous.candidate_ids, current.candidate_ids,
                                              assume_unique=True, return_indices=True)
    keep = ~np.isin(both, unchanged_ids)
    if not grid_changed:
        keep &= previous.matrix[old_rows, 2] == current.matrix[new_rows, 2]
    both, old_rows, new_rows = both[keep], old_rows[keep], new_rows[keep]
    states = current.preferences[new_rows]
    same_state = (previous.preferences[old_rows] == states) & (states >= 0)
    old_totals, new_totals = previous.scores[old_rows], current.scores[new_rows]
    mask = same_state & changed_mask[np.clip(states, 0, None)] & (old_totals != new_totals)
    told = mask.any(axis=1)
    return both[told], mask[told], states[told], old_totals[told], new_totals[told]


def notify(run_date: dt.date) -> int:
    """Write the notices for the complete run of `run_date` against the complete run before it;
    how many were new. Nothing when either run is missing or no rule changed. In an app context;
    the runs are read outside any transaction, the notices written in one unit of work."""
    table = RankingRun.__table__
    with engines.reader().connect() as connection:
        complete = table.c.completed_at.is_not(None)
        run = connection.execute(select(table).where(complete, table.c.run_date == run_date)).first()
        previous = None if run is None else connection.execute(
            select(table).where(complete, table.c.run_date < run_date)
            .order_by(table.c.run_date.desc()).limit(1)).first()
        if previous is None:
            return 0
        changed = changed_states(previous, run)
        if not changed:
            return 0
        current_entries = run_entries.of_run(connection, run)
        previous_entries = run_entries.read(connection, previous.id)
    profiles = Profile.__table__
    updated = columnar.read(engines.reader(), select(profiles.c.account_id).where(
        profiles.c.updated_at > previous.started_at))["account_id"]
    codes = grids.state_codes()
    changed_mask = np.array([code in changed for code in codes])
    ids, mask, states, old_totals, new_totals = moved(previous_entries, current_entries, changed_mask,
                                                      updated, grid_changed=None in changed.values())
    notices = []
    for candidate_id, row_mask, row_states, row_old, row_new in zip(ids.tolist(), mask, states, old_totals,
                                                                    new_totals):
        changes = tuple((codes[state], changed[codes[state]] or run.run_date, _total(new), _total(old))
                        for state, old, new in zip(row_states[row_mask].tolist(), row_old[row_mask].tolist(),
                                                   row_new[row_mask].tolist()))
        notices.append(notice(candidate_id, f"rule-change:{run.run_date.isoformat()}:{candidate_id}",
                              changes=changes, grid_changed=None in changed.values()))
    with db.unit_of_work() as session:
        return enqueue_all(session.connection(), KIND, notices)


def _total(value: int) -> int | None:
    return None if value == NO_SCORE else value
