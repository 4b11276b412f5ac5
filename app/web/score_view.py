"""A score as the pages show it: the service's explained score, arranged and put into words.

`profiles.score_report.explain` gives the numbers (the same for the API, the score page and the
calculator); this module only groups the factors by the grid's sections, names them
(`public.grid_labels`), says each refusal in the page's language, and sets each chosen state's
total beside the cut-off of that state's latest round. It computes no points.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.rounds import record
from app.web import languages
from app.web.public import grid_labels

NOT_MET = {
    "adult": _l("You must be at least 18 years old."),
    "language": _l("You need level B1 or higher in all four skills of English or another official EU language."),
    "qualification_or_experience": _l("You need a qualification at EQF level 4 or higher, or two years of skilled "
                                      "work experience (ISCO-08 major groups 1 to 8)."),
}
STATE_ADDITIONS = _l("The state's additions")


@dataclass
class FactorRow:
    name: str
    label: str
    points: int


@dataclass
class SectionRows:
    name: str
    label: str
    points: int
    cap: int | None
    rows: list[FactorRow]


@dataclass
class StateResult:
    state: str
    preference: int
    eligible: bool
    total: int | None
    additions: list[FactorRow]
    reasons: list[str]
    cutoff: int | None = None  # the latest round's cut-off score at this state, if it held one
    cutoff_round: str | None = None
    rank: int | None = None  # from the latest nightly ranking (signed-in candidates only)
    ranked_total: int | None = None  # the total that ranking scored here: last night's, not today's

    @property
    def meets_cutoff(self) -> bool | None:
        """Whether the total reaches the latest cut-off (None: no total, or no round yet)."""
        if self.total is None or self.cutoff is None:
            return None
        return self.total >= self.cutoff


@dataclass
class ScoreView:
    total: int
    eligible: bool
    reasons: list[str]
    sections: list[SectionRows]
    states: list[StateResult] = field(default_factory=list)
    as_of: object = None


def reason_text(grid, reason: str) -> str:
    """A refusal from the engine in the page's words (the engine's English when it is not known)."""
    for rule in grid.rules:
        if rule.reason == reason and rule.id in NOT_MET:
            return str(NOT_MET[rule.id])
    if grid.states is not None:
        for index, code in enumerate(grid.state_codes):
            if grid.states.minimum_reason(index) == reason:
                return _("Your total is below the minimum of %(points)s points that %(state)s sets for its invitations.",
                         points=int(grid.states.minimum[index + 1]), state=languages.state_name(code))
    return reason


def latest_cutoffs(session: Session, states: list[str]) -> dict[str, tuple[int, str]]:
    """Each state's latest completed round with a cut-off: state -> (cut-off score, round key)."""
    found = {}
    for state in states:
        for round_ in session.exec(record.published(session, state).limit(5)).all():
            if round_.cutoff_score is not None:
                found[state] = (round_.cutoff_score, round_.key)
                break
    return found


def arrange(grid, score: dict, cutoffs: dict[str, tuple[int, str]], standing: dict | None = None) -> ScoreView:
    """The page's view of `score` (the API's `ScoreSchema` shape)."""
    breakdown = score["breakdown"]
    sections = []
    for section in grid.sections:
        rows = [FactorRow(f.name, str(grid_labels.FACTORS.get(f.name, f.name)), breakdown.get(f.name, 0))
                for f in grid.factors if f.section == section.name]
        sections.append(SectionRows(section.name, str(grid_labels.SECTIONS.get(section.name, section.name)),
                                    breakdown.get(section.name, sum(r.points for r in rows)), section.cap, rows))
    ranked = {s["state"]: s for s in (standing or {}).get("states", [])}
    states = []
    for state in score["states"]:
        additions = [FactorRow(name, str(grid_labels.FACTORS.get(name, STATE_ADDITIONS)), points)
                     for name, points in state["additions"].items()]
        cutoff = cutoffs.get(state["state"])
        standing_there = ranked.get(state["state"], {})
        states.append(StateResult(state["state"], state["preference"], state["eligible"], state["total"], additions,
                                  [reason_text(grid, r) for r in state["reasons"]],
                                  cutoff[0] if cutoff else None, cutoff[1] if cutoff else None,
                                  standing_there.get("rank"), standing_there.get("total")))
    return ScoreView(score["total"], score["eligible"], [reason_text(grid, r) for r in score["reasons"]],
                     sections, states, score.get("as_of"))
