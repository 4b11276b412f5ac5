"""Previews of a rule change before it is saved: an overlay (points, shortages, languages, the
minimum score) or a category, computed on the latest ranking run's pool; nothing is written.

The pool is the latest complete run's candidates who chose the state and are still in the pool,
with the records the run scored (its pool chunks, `app.ranking_runs.run_pool`; for a run ranked
before those existed, the pool's current records, read in one Arrow snapshot as the nightly job
reads them). Both sides are
scored at the date the change would take effect, so only the rule differs: before, with the
rules in force that day; after, with the proposed overlay in their place (or, for a category,
the same totals restricted to the old and the new definition). The counting is
`ranking.preview`'s, over whole arrays.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
from ranking import NO_SCORE
from ranking.categories import Category
from ranking.preview import Preview, preview
from sqlmodel import Session, select

from app import clock
from app.ranking_runs import left_pool, rerank, run_entries, run_pool
from app.rounds.models import Round, RoundStatus
from app.states import administration, categories, effective_dates
from app.states import grid as grids
from app.storage import engines

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
BIN_WIDTH = 25  # points per histogram bar


def usual_round_size(session: Session, code: str, given: int | None) -> tuple[int | None, str | None]:
    """The round size to preview: `given`, else the state's last completed round's quota, else none."""
    if given:
        return given, "given"
    size = session.exec(select(Round.size).where(Round.state_code == code, Round.status == RoundStatus.COMPLETED)
                        .order_by(Round.scheduled_at.desc())).first()
    return (size, "last_round") if size else (None, None)


def _pool(session: Session, code: str, grid):
    """(run, ids, first submissions, records) of the latest run's candidates who chose `code`, still in the pool."""
    connection = session.connection()
    run = run_entries.latest_complete(connection)
    if run is None:
        return None, np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, dtype=grid.record_dtype)
    entries = run_entries.of_run(connection, run)
    chose = (entries.preferences == grids.state_codes(grid).index(code)).any(axis=1)
    keep = chose & ~np.isin(entries.candidate_ids, left_pool.since_ranked(connection, clock.now()))
    ranked = run_pool.read_records(connection, run, grid.record_version, keep)
    if ranked is None:  # a run ranked before its pool was kept in chunks: the pool's current records
        ids, submitted, records = rerank.read_pool_records(engines.reader(), clock.now(), grid)
        keep = np.isin(ids, entries.candidate_ids[chose])
        return run, ids[keep], submitted[keep], records[keep]
    return run, entries.candidate_ids[keep], entries.submitted_us[keep], grid.records_from_bytes(ranked.reshape(-1))


def state_totals(grid, records, code: str, day: dt.date, variants: tuple = ()) -> list[np.ndarray]:
    """(N,) each candidate's total at `code` under `grid` on `day`, then one under each of
    `variants` (the grid with other overlays); NO_SCORE: not eligible there, or not chosen."""
    outputs = [np.full(len(records), NO_SCORE, dtype=np.int64) for _ in range(1 + len(variants))]
    if len(records) == 0:
        return outputs
    state = grids.state_codes(grid).index(code)
    chose = (grid.columns_from_records(records)["preferences"] == state).any(axis=1)
    chosen = records if chose.all() else records[chose]  # a run's records all chose it
    for out, totals in zip(outputs, grid.totals_at(grid.columns_from_records(chosen), state, day, variants)):
        out[chose] = totals
    return outputs


def overlay_preview(session: Session, code: str, changes: dict) -> dict:
    """What saving the newest overlay with `changes` (a PATCH body) would do, from its effective date."""
    changes = dict(changes)
    round_size, source = usual_round_size(session, code, changes.pop("round_size", None))
    day = effective_dates.check(session, changes.pop("effective_from", None))
    proposed = administration.checked_overlay(
        code, administration.merged(administration.overlay(session, code)["overlay"], changes))
    before = grids.in_force(session, day)
    after = before.with_overlays({code: proposed})
    run, ids, submitted, records = _pool(session, code, before)
    totals_before, totals_after = state_totals(before, records, code, day, (after,))
    result = preview(totals_before, totals_after, submitted, ids, round_size=round_size, bin_width=BIN_WIDTH)
    return view(code, day, run, result, round_size, source)


def category_preview(session: Session, code: str, key: str, definition: dict, round_size: int | None) -> dict:
    """What a round restricted to category `key` would reach with `definition` instead of its current one
    (a new category: instead of no restriction), with the rules in force at the next ranking."""
    categories.validate(definition)
    size, source = usual_round_size(session, code, round_size)
    day = effective_dates.next_ranking_date(session)
    grid = grids.in_force(session, day)
    run, ids, submitted, records = _pool(session, code, grid)
    totals, = state_totals(grid, records, code, day)
    current = administration.category_in_force(session, code, key, day)
    languages = grid.codes("languages.language")
    columns = grid.columns_from_records(records) if len(ids) else {}
    members = (lambda rule: np.asarray(Category.from_dict(rule).mask(columns, language_codes=languages), dtype=bool)
               if len(ids) else np.zeros(0, dtype=bool))
    was = members(current["definition"]) if current else np.ones(len(ids), dtype=bool)
    now = members(definition)
    result = preview(np.where(was, totals, NO_SCORE), np.where(now, totals, NO_SCORE), submitted, ids,
                     round_size=size, bin_width=BIN_WIDTH)
    return view(code, day, run, result, size, source)


def view(code: str, day: dt.date, run, result: Preview, round_size: int | None, source: str | None) -> dict:
    """The preview in the API's shape."""
    def side(outcome) -> dict:
        submitted = (EPOCH + dt.timedelta(microseconds=outcome.cutoff_submitted_us)
                     if outcome.cutoff_submitted_us is not None else None)
        return {"eligible": outcome.eligible, "histogram": outcome.histogram.tolist(), "invited": outcome.invited,
                "cutoff": {"score": outcome.cutoff_total, "submitted_at": submitted}}

    return {"state": code, "effective_from": day,
            "ranking_run": {"id": run.id, "run_date": run.run_date} if run is not None else None,
            "round_size": round_size, "round_size_source": source, "candidates": result.candidates,
            "gain_eligibility": result.gain_eligibility, "lose_eligibility": result.lose_eligibility,
            "more_points": result.more_points, "fewer_points": result.fewer_points,
            "bin_edges": result.bin_edges.tolist(), "bin_width": BIN_WIDTH,
            "before": side(result.before), "after": side(result.after)}

