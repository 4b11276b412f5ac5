"""Trying a round before scheduling it: what it would do, computed as the real round is, and kept.

A simulation takes a proposed round (this state's moment, invitations, category, minimum score)
and the other states' rounds already scheduled at that moment, and runs `execution.compute` on
them: the same newest complete ranking run, the same pool check (who is still in the pool and
holds no invitation, as of now), the same ceiling cut and the same joint allocation as the draw
at that moment will run, so if nothing changes meanwhile the real round invites exactly the
simulated candidates (tests/rounds/test_simulation.py proves it). It then answers what the draw
does not record: who the invitees are in counts, and how many of those this state would invite on
its own go to another state in the joint draw (`ranking.round_aggregates`).

Nothing here writes invitations or touches a round. Each simulation is kept (who, when,
parameters, result) in the request's unit of work, with the invitees as a hash of their ids only.
`compute` only reads and `keep` only writes, so a view computes under a read transaction and holds
SQLite's one write lock only to store the result (`db.reads_first`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from ranking import round_aggregates
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict
from app.profiles.models import Profile
from app.rounds import draw, execution
from app.rounds.models import Round, RoundSimulation, RoundStatus
from app.rounds.scheduling import checked_request, round_key
from app.states import grid as grids
from app.states.models import MemberState
from app.storage import engines

CHUNK = 5000


def invitees_hash(candidate_ids) -> str:
    """SHA-256 of a set of candidate ids (sorted, int64 little-endian): the same people, the same hash."""
    ids = np.sort(np.asarray(list(candidate_ids), dtype="<i8"))
    return hashlib.sha256(ids.tobytes()).hexdigest()


def proposed_round(state: MemberState, moment: datetime, data: dict, category: dict | None) -> Round:
    """The proposed round as an unsaved `Round`, the form `execution.compute` takes."""
    return Round(key=round_key(state.code, moment), state_code=state.code, scheduled_at=moment,
                 size=data["invitations"], category_key=category["key"] if category else None,
                 category=category, min_score=data.get("min_score"), status=RoundStatus.SCHEDULED,
                 created_at=clock.now())


def others_at(session: Session, state: str, moment: datetime) -> list[Round]:
    """The other states' rounds scheduled at `moment`: the draw the proposed round would join."""
    return list(session.exec(select(Round).where(Round.scheduled_at == moment, Round.status == RoundStatus.SCHEDULED,
                                                 Round.state_code != state).order_by(Round.state_code)).all())


@dataclass(frozen=True)
class Computed:
    """A simulation's result before it is kept: everything `keep` stores, nothing it must read."""

    round_key: str
    moment: datetime
    parameters: dict
    drawn_with: list[str]
    ranking_run_id: int
    input_hash: str
    invitees_hash: str
    result: dict


def compute(session: Session, state: MemberState, data: dict) -> Computed:
    """Simulate the round `data` asks for (the checks of scheduling apply); reads only.

    The slow part of a simulation (the draw, the cohort's counts), so a view runs it under a read
    transaction and takes the write lock only to `keep` it (`db.reads_first`).
    """
    moment, category = checked_request(session, state, data)
    others = others_at(session, state.code, moment)
    proposed = proposed_round(state, moment, data, category)
    rounds = sorted([*others, proposed], key=lambda r: r.state_code)
    try:
        outcome = execution.compute(rounds, clock.now())
    except execution.RoundsError as reason:
        raise Conflict(f"A round cannot be simulated now: {reason}.") from None
    codes = grids.state_codes()
    own = next(part for part in outcome.parts if part.key == proposed.key)
    alone = draw.allocate_alone(outcome.entries, own, len(codes), outcome.restricted)
    invited_ids = outcome.entries.candidate_ids[outcome.allocation.state == own.state]
    joint, solo = execution.cutoff(outcome.allocation, outcome.entries, own.state), \
        execution.cutoff(alone, outcome.entries, own.state)
    result = {
        "quota": own.quota,
        "eligible_pool": int(execution.eligible_pool_sizes(outcome, len(codes))[own.state]),
        "invited": joint["invited"],
        "cutoff": {"score": joint["cutoff_score"], "submitted_at": _iso(joint["cutoff_submitted_at"])},
        "alone": {"invited": solo["invited"],
                  "cutoff": {"score": solo["cutoff_score"], "submitted_at": _iso(solo["cutoff_submitted_at"])}},
        "drawn_away": round_aggregates.drawn_away(alone.state, outcome.allocation.state, own.state),
        "invitees": cohort_view(_cohort(invited_ids, moment)),
    }
    return Computed(
        round_key=proposed.key, moment=moment,
        parameters={"invitations": data["invitations"], "category": category["key"] if category else None,
                    "min_score": data.get("min_score")},
        drawn_with=[r.state_code for r in others], ranking_run_id=outcome.run.id, input_hash=outcome.input_hash,
        invitees_hash=invitees_hash(invited_ids.tolist()), result=result)


def keep(session: Session, official: Account, state_code: str, computed: Computed) -> RoundSimulation:
    """Store a computed simulation with its audit event (the write; quick)."""
    simulation = RoundSimulation(
        state_code=state_code, scheduled_at=computed.moment, created_at=clock.now(), created_by=official.id,
        parameters=computed.parameters, drawn_with=computed.drawn_with, ranking_run_id=computed.ranking_run_id,
        input_hash=computed.input_hash, invitees_hash=computed.invitees_hash, result=computed.result)
    session.add(simulation)
    session.flush()
    trail.record(session, official, "round.simulate", f"round:{computed.round_key}", state_code=state_code,
                 details={"scheduled_at": computed.moment.isoformat(), **computed.parameters,
                          "invited": computed.result["invited"], "simulation": simulation.id})
    return simulation


def simulate(session: Session, official: Account, state: MemberState, data: dict) -> RoundSimulation:
    """`compute` then `keep` in one transaction (commands and benchmarks; views split them)."""
    return keep(session, official, state.code, compute(session, state, data))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _cohort(candidate_ids: np.ndarray, moment: datetime) -> round_aggregates.Cohort:
    """The invitees' counts, from their profiles' current records (read in chunks of ids)."""
    grid = grids.shipped_grid()
    table = Profile.__table__
    chunks = []
    with engines.reader().connect() as connection:
        for start in range(0, len(candidate_ids), CHUNK):
            ids = candidate_ids[start:start + CHUNK].tolist()
            # The grid is checked here, not in SQL: there the planner may pick the index on
            # record_grid, which every row matches, over the unique account_id.
            rows = connection.execute(sa_select(table.c.record, table.c.record_grid).where(
                table.c.account_id.in_(ids))).all()
            chunks += [bytes(record) for record, version in rows if version == grid.record_version]
    columns = grid.columns_from_records(grid.records_from_bytes(b"".join(chunks)))
    languages = grid.codes("languages.language")
    return round_aggregates.cohort(
        columns["date_of_birth"], columns["education_level"], columns["experience.occupation"],
        columns["languages.language"], as_of=int(f"{moment:%Y%m%d}"), first_language_code=0,
        language_count=len(languages))


def cohort_view(cohort: round_aggregates.Cohort) -> dict:
    """The counts with their labels, as the API and the page show them (languages most listed first)."""
    starts = round_aggregates.AGE_BAND_STARTS
    bands = [f"{low}-{high - 1}" for low, high in zip(starts, starts[1:])] + [f"{starts[-1]}+"]
    codes = grids.shipped_grid().codes("languages.language")
    order = np.argsort(-cohort.languages, kind="stable")
    return {
        "size": cohort.size,
        "age_bands": [{"band": band, "candidates": int(n)} for band, n in zip(bands, cohort.age_bands)],
        "eqf_levels": [{"level": level + 1, "candidates": int(n)} for level, n in enumerate(cohort.eqf_levels)],
        "isco_major_groups": [{"group": str(group), "candidates": int(n)}
                              for group, n in enumerate(cohort.isco_major_groups)],
        "languages": [{"language": codes[j], "candidates": int(cohort.languages[j])} for j in order
                      if cohort.languages[j]],
    }


def latest(session: Session, state: str, moment: datetime) -> RoundSimulation | None:
    """The newest simulation of `state`'s round at `moment` (what a round's page shows beside it)."""
    return session.exec(select(RoundSimulation).where(RoundSimulation.state_code == state,
                                                      RoundSimulation.scheduled_at == moment)
                        .order_by(RoundSimulation.created_at.desc(), RoundSimulation.id.desc())).first()


def of_state(session: Session, state: str, limit: int = 50) -> list[RoundSimulation]:
    """The state's simulations, newest first."""
    return list(session.exec(select(RoundSimulation).where(RoundSimulation.state_code == state)
                             .order_by(RoundSimulation.created_at.desc(), RoundSimulation.id.desc())
                             .limit(limit)).all())


def _instant(cutoff: dict) -> dict:
    """A kept cut-off with its tie-break time back as an instant (JSON keeps it as text)."""
    moment = cutoff["submitted_at"]
    return {**cutoff, "submitted_at": datetime.fromisoformat(moment) if moment else None}


def view(simulation: RoundSimulation) -> dict:
    """A simulation as the API shows it."""
    result = simulation.result
    return {"id": simulation.id, "state": simulation.state_code, "scheduled_at": simulation.scheduled_at,
            "created_at": simulation.created_at, **simulation.parameters, "drawn_with": simulation.drawn_with,
            "ranking_run": simulation.ranking_run_id, "input_hash": simulation.input_hash,
            "invitees_hash": simulation.invitees_hash, **result, "cutoff": _instant(result["cutoff"]),
            "alone": {**result["alone"], "cutoff": _instant(result["alone"]["cutoff"])}}
