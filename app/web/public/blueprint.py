"""The public pages' views: each reads through the same service functions as the public API.

Views gather what a page shows and hand it to its template; they compute nothing the service
does not (counts, cut-offs, suppression of small numbers all come from the services).
"""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _

from app import clock, db
from app.handoff import outcomes
from app.occupations import isco
from app.ranking_runs import pool_distribution
from app.rounds import record
from app.states import administration, participation
from app.states import grid as grids
from app.web import charts
from app.web.public import grid_labels, grid_tables

blp = Blueprint("public", __name__)
LATEST_ROUNDS = 5


def _published_rounds(session, state: str | None = None, limit: int | None = None) -> list[dict]:
    statement = record.published(session, state)
    if limit:
        statement = statement.limit(limit)
    return [record.view(r) for r in session.exec(statement).all()]


def _state_or_404(session, code: str):
    states = {state.code: state for state in administration.all_states(session)}
    if code not in states:
        abort(404)
    return states[code]


@blp.get("/")
def home():
    session = db.session()
    return render_template("public/home.html", states=administration.all_states(session),
                           rounds=_published_rounds(session, limit=LATEST_ROUNDS))


@blp.get("/grid")
def grid():
    """The version of the grid in force today, the dated versions to come (`?version=` shows one)."""
    session = db.session()
    today = clock.today()
    current = grids.version_on(today)
    upcoming = grids.upcoming_versions(today)
    shown = next((v for v in upcoming if v.version == request.args.get("version")), current)
    states = administration.all_states(session)
    day = today if shown is current else shown.effective_from  # the overlays in force with it
    overlays = {state.code: administration.overlay_in_force(session, state.code, day)["overlay"]
                for state in states}
    return render_template("public/grid.html", tables=grid_tables.eu_tables(shown), labels=grid_labels,
                           states=states, overlays=overlays, current=current, upcoming=upcoming, shown=shown)


def cutoff_history(rounds: list[dict]) -> dict[str, charts.LineChart]:
    """Per state, its rounds' cut-off scores over time, as a chart (oldest round first)."""
    by_state = defaultdict(list)
    for round_ in reversed(rounds):
        if round_["cutoff"]["score"] is not None:
            by_state[round_["state"]].append((round_["scheduled_at"], round_["cutoff"]["score"],
                                              format_date(round_["scheduled_at"], "short")))
    return {state: charts.line_chart(series) for state, series in sorted(by_state.items())}


@blp.get("/rounds")
def rounds():
    rounds = _published_rounds(db.session())
    return render_template("public/rounds.html", rounds=rounds, history=cutoff_history(rounds))


@blp.get("/rounds/<key>")
def round_detail(key: str):
    session = db.session()
    round_ = record.published_round(session, key)
    return render_template("public/round.html", round=record.view(round_), outcomes=outcomes.of_round(session, round_))


@blp.get("/pool")
def pool():
    distribution = pool_distribution.distribution()
    fewer = _("fewer than %(n)s", n=distribution["smallest_count"])
    bars = {state["state"]: charts.bar_chart([(f"{b['low']}–{b['high']}", b["candidates"],
                                               fewer if b["fewer_than_10"] else _("withheld"))
                                              for b in state["buckets"]])
            for state in distribution["states"]}
    return render_template("public/pool.html", distribution=distribution, bars=bars)


@blp.get("/states")
def states():
    session = db.session()
    states = administration.all_states(session)
    issued = record.issued_in_year(session, clock.now().year)
    overlays = {state.code: administration.overlay_in_force(session, state.code, clock.today())["overlay"] for state in states}
    taking_part = set(participation.taking_part(session, clock.today()))
    return render_template("public/states.html", states=states, issued=issued, overlays=overlays, taking_part=taking_part,
                           year=clock.now().year)


@blp.get("/states/<code>")
def state(code: str):
    session = db.session()
    member = _state_or_404(session, code.upper())
    overlay = administration.overlay_in_force(session, member.code, clock.today())["overlay"]
    year = clock.now().year
    occupations = [(prefix, isco.title(prefix)) for prefix in overlay.get("shortage_occupations", [])]
    return render_template("public/state.html", state=member, overlay=overlay, occupations=occupations,
                           issued=record.issued_in_year(session, year).get(member.code, 0), year=year,
                           rounds=_published_rounds(session, member.code))
