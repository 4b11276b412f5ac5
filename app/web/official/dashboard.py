"""The state's dashboard, the console's first page: its pool, its ceiling and its rounds at a glance.

The pool's numbers come from the newest complete ranking run, as every round does: candidates who
list the state among their preferences, and those of them ranked there (eligible: past the entry
rule and the state's own conditions). The score distribution is the public one
(`ranking_runs.pool_distribution`, small counts withheld), so what an official shows in public is
what anyone can check.
"""
from __future__ import annotations

import numpy as np
from flask import render_template
from flask_babel import gettext as _

from app import clock, db
from app.ranking_runs import pool_distribution, run_entries
from app.rounds import record, scheduling
from app.rounds.models import RoundStatus
from app.states import administration
from app.states import grid as grids
from app.storage import engines
from app.web import charts

PAST_ROUNDS = 10


def pool_at(code: str) -> dict | None:
    """The latest run's candidates listing state `code`, and those ranked there; None before any run."""
    with engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        if run is None:
            return None
        entries = run_entries.of_run(connection, run)
    at_state = entries.preferences == grids.state_codes().index(code)
    return {"run_date": run.run_date, "listing": int(np.count_nonzero(at_state.any(axis=1))),
            "eligible": int(np.count_nonzero((at_state & (entries.ranks > 0)).any(axis=1)))}


def distribution_of(code: str) -> tuple[dict | None, charts.BarChart | None]:
    """The state's part of the public distribution, with its chart."""
    distribution = pool_distribution.distribution()
    state = next((s for s in distribution["states"] if s["state"] == code and s["buckets"]), None)
    if state is None:
        return None, None
    fewer = _("fewer than %(n)s", n=distribution["smallest_count"])
    return state, charts.bar_chart([(f"{b['low']}–{b['high']}", b["candidates"],
                                     fewer if b["fewer_than_10"] else _("withheld")) for b in state["buckets"]])


def page(account, code: str | None):
    """The dashboard of state `code` for `account` (an administrator without a choice sees the chooser)."""
    session = db.session()
    states = administration.all_states(session)
    state = next((s for s in states if s.code == code), None)
    context = {"account": account, "state": state, "states": states}
    if state is not None:
        rounds = [record.view(r) for r in record.state_rounds(session, state.code)]
        distribution, chart = distribution_of(state.code)
        context.update(
            pool=pool_at(state.code), distribution=distribution, chart=chart,
            smallest_count=pool_distribution.SMALLEST_COUNT,
            ceiling=scheduling.ceiling_use(session, state, clock.now().year),
            upcoming=sorted((r for r in rounds if r["status"] == RoundStatus.SCHEDULED),
                            key=lambda r: r["scheduled_at"]),
            past=[r for r in rounds if r["status"] == RoundStatus.COMPLETED][:PAST_ROUNDS])
    return render_template("official/dashboard.html", **context)
