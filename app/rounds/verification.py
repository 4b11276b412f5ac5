"""`flask rounds verify KEY`: recompute a completed round from what it recorded, and compare.

The round's draw is recomputed from the ranking run it used (whose entries are first checked
against the hash taken when they were written), with each round's recorded quota, minimum score
and mask of who could be invited. The recomputed invitations, counts and cut-offs must equal the
stored ones exactly; any difference is listed. Everything is read in one read-only snapshot.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from app.invitations.models import Invitation
from app.ranking_runs import rerank, run_entries
from app.rounds import draw
from app.rounds.models import Round, RoundStatus
from app.states import grid as grids
from app.storage import engines


class UnknownRound(Exception):
    """No completed round has that key."""


@dataclass
class Verdict:
    key: str
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(key: str) -> Verdict:
    """Recompute the draw of round `key` and compare it with what is stored."""
    verdict = Verdict(key)
    rounds_table, invitations = Round.__table__, Invitation.__table__
    codes = grids.state_codes()
    with engines.reader().connect() as connection:
        with connection.begin():
            target = connection.execute(select(rounds_table).where(
                rounds_table.c.key == key, rounds_table.c.status == RoundStatus.COMPLETED.value)).first()
            if target is None:
                raise UnknownRound(f"there is no completed round {key!r}")
            rounds = connection.execute(select(rounds_table).where(
                rounds_table.c.draw_key == target.draw_key, rounds_table.c.ranking_run_id == target.ranking_run_id,
                rounds_table.c.status == RoundStatus.COMPLETED.value,
                rounds_table.c.completed_at == target.completed_at,
            ).order_by(rounds_table.c.state_code)).all()
            run = run_entries.run_by_id(connection, target.ranking_run_id)
            entries = run_entries.read(connection, run.id)
            stored = connection.execute(select(invitations.c.round_id, invitations.c.candidate_id,
                                               invitations.c.state_code).where(
                invitations.c.round_id.in_([r.id for r in rounds]))).all()
    verdict.checked.append(f"draw {target.draw_key}: {', '.join(r.key for r in rounds)}; "
                           f"ranking run {run.id} of {run.run_date} ({len(entries.candidate_ids)} entries)")
    if rerank.entries_hash(entries.matrix) != run.entries_hash:
        verdict.problems.append(f"ranking run {run.id}'s entries differ from those written (hash mismatch)")
    count = len(entries.candidate_ids)
    parts = [draw.DrawRound(key=r.key, state=codes.index(r.state_code), quota=r.quota, min_score=r.min_score,
                            eligible=draw.unpack_mask(r.eligible_mask, count)) for r in rounds]
    versions = draw.rule_versions(run, codes, parts)
    if draw.input_hash(run, parts, versions) != target.input_hash:
        verdict.problems.append("the recorded input hash does not match the recorded inputs")
    allocation = draw.allocate_draw(entries, parts, len(codes))
    rows = np.flatnonzero(allocation.state >= 0)
    expected = {(int(c), codes[int(s)]) for c, s in zip(entries.candidate_ids[rows], allocation.state[rows])}
    actual = {(int(c), s) for _, c, s in stored}
    for candidate, state in sorted(expected - actual):
        verdict.problems.append(f"missing invitation: candidate {candidate} by {state}")
    for candidate, state in sorted(actual - expected):
        verdict.problems.append(f"unexpected invitation: candidate {candidate} by {state}")
    for part, round_ in zip(parts, rounds):
        _compare_cutoff(verdict, allocation, entries, part, round_)
    verdict.checked.append(f"{len(expected)} invitations recomputed, {len(actual)} stored")
    return verdict


def _compare_cutoff(verdict: Verdict, allocation, entries, part: draw.DrawRound, round_) -> None:
    last = int(allocation.cutoff_candidate[part.state])
    recomputed = {
        "invited": int(allocation.invited[part.state]),
        "cutoff_score": int(allocation.cutoff_score[part.state]) if last >= 0 else None,
        "cutoff_submitted_us": int(allocation.cutoff_submitted_at[part.state]) if last >= 0 else None,
        "cutoff_candidate_id": int(entries.candidate_ids[last]) if last >= 0 else None,
    }
    for name, value in recomputed.items():
        if getattr(round_, name) != value:
            verdict.problems.append(f"{round_.key}: {name} is {getattr(round_, name)}, recomputed {value}")
