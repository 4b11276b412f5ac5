"""Vacancies' stored matches as generations: tonight's written beside yesterday's, switched to in one commit.

Every night each open vacancy's top 100 is written, ten million rows at 100,000 vacancies, as a
new generation through `app.storage.columnar` (Arrow; on SQLite in chunks of `RERANK_CHUNK_ROWS`
rows, each its own short transaction, on PostgreSQL in one), twice: `VacancyMatch` in (vacancy,
rank) order, what employers' pages read, and `CandidateMatch` in candidate order, what finds one
candidate's matches. The last chunk's transaction marks the generation complete, and readers
only ever use the current generation (`current`: the newest complete one not retired), so they
switch from yesterday's matches to today's at that commit, never half-way and never through an
empty table. Then the generations before it are retired (nobody reads or writes them any more)
and deleted, in chunks too. A generation a crash left incomplete, or half-deleted, is retired
and deleted by the next night's `clear` (one writer at a time: `matches.store_nightly` holds a
process lock).

A vacancy published while a generation is written stores its matches into the current
generation and into the one being written (`publication_targets`), so tonight's switch does not
lose them; the nightly job leaves out the vacancies that already have matches in its generation.
On SQLite the write lock orders all of this; on PostgreSQL, row locks on the generations do:
a publication holds its targets `FOR SHARE`, `begin` takes the current one `FOR UPDATE` (it
waits for publications under way, and those after it see the new generation), and `retire`
waits for publications still writing into the generations it retires.

Everything here works on connections or the caller's session and never commits the session: the
nightly job's own transactions are opened by `begin`, `write` and `clear`, the others belong to
the request (withdrawal, erasure, publication).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, delete, func, insert, or_, select, update
from sqlmodel import Session

from app import clock
from app.config import setting
from app.hiring.models import CandidateMatch, MatchGeneration, VacancyMatch
from app.storage import columnar

GENERATIONS, MATCHES, CANDIDATES = MatchGeneration.__table__, VacancyMatch.__table__, CandidateMatch.__table__
# Vacancies in the first range of a chunked delete (100 matches each); later ranges are sized
# from the rows the previous one deleted.
FIRST_RANGE_ROWS = 100
# Vacancy ids per DELETE of a candidate's matches (well under any database's parameter limit).
IDS_PER_STATEMENT = 500


@dataclass(frozen=True)
class Generation:
    id: int
    started_at: dt.datetime


def current():
    """The current generation's id, as a scalar subquery (NULL while none is complete)."""
    return (select(func.max(GENERATIONS.c.id))
            .where(GENERATIONS.c.completed_at.is_not(None), GENERATIONS.c.retired_at.is_(None))
            .scalar_subquery())


def begin(write_engine: Engine) -> Generation:
    """A new generation, not complete: nobody reads it; publications from now on also store into it."""
    with write_engine.begin() as connection:
        # PostgreSQL: wait for publications under way (they hold the current generation FOR SHARE),
        # so each either committed before the nightly job reads the open vacancies or sees this one.
        connection.execute(select(GENERATIONS.c.id).where(GENERATIONS.c.id == current()).with_for_update())
        started = clock.now()
        generation = connection.execute(insert(GENERATIONS).values(started_at=started)
                                        .returning(GENERATIONS.c.id)).scalar_one()
    return Generation(generation, started)


def write(write_engine: Engine, generation: int, vacancy_ids: np.ndarray, ranks: np.ndarray,
          candidate_ids: np.ndarray, fits: np.ndarray, *, pause: bool = True) -> columnar.WriteReport:
    """Append the generation's matches (flat aligned arrays) in both orders and complete it in the
    last transaction: from that commit on it is the current generation."""
    count = len(vacancy_ids)
    by_vacancy = _order(vacancy_ids, ranks)
    by_candidate = _order(candidate_ids, vacancy_ids)
    number = np.full(count, generation, dtype=np.int64)
    chunk = setting("RERANK_CHUNK_ROWS")
    return columnar.write(write_engine, [
        columnar.Rows(MATCHES, {"generation": number, "vacancy_id": vacancy_ids[by_vacancy],
                                "rank": ranks[by_vacancy], "candidate_id": candidate_ids[by_vacancy],
                                "fit": fits[by_vacancy]}, chunk_rows=chunk),
        columnar.Rows(CANDIDATES, {"generation": number, "candidate_id": candidate_ids[by_candidate],
                                   "vacancy_id": vacancy_ids[by_candidate]}, chunk_rows=chunk),
    ], finish=update(GENERATIONS).where(GENERATIONS.c.id == generation).values(completed_at=clock.now()),
        pause=pause)


def _order(first: np.ndarray, second: np.ndarray) -> np.ndarray | slice:
    """The order by (first, second), so that the bulk write only appends to the table's key; every
    row when already in that order (the nightly top k comes by vacancy then rank)."""
    if first.size < 2:
        return slice(None)
    steps = np.diff(first)
    if (steps > 0).all() or ((steps >= 0).all() and (np.diff(second)[steps == 0] > 0).all()):
        return slice(None)
    return np.lexsort((second, first))


def clear(write_engine: Engine) -> int:
    """Retire and delete every generation but the current one (yesterday's after a switch, or
    what a crash left); how many. Each delete is a short transaction of about `RERANK_CHUNK_ROWS` rows."""
    with write_engine.connect() as connection:
        others = connection.execute(select(GENERATIONS.c.id).where(
            or_(GENERATIONS.c.id != current(), current().is_(None)))).scalars().all()
    if not others:
        return 0
    with write_engine.begin() as connection:
        # PostgreSQL: the row locks wait for publications still storing into these generations.
        connection.execute(update(GENERATIONS).where(GENERATIONS.c.id.in_(others), GENERATIONS.c.retired_at.is_(None))
                           .values(retired_at=clock.now()))
    rows = setting("RERANK_CHUNK_ROWS")
    for generation in others:
        _delete_in_ranges(write_engine, MATCHES, MATCHES.c.vacancy_id, generation, rows)
        _delete_in_ranges(write_engine, CANDIDATES, CANDIDATES.c.candidate_id, generation, rows)
        with write_engine.begin() as connection:
            connection.execute(delete(GENERATIONS).where(GENERATIONS.c.id == generation))
    return len(others)


def _delete_in_ranges(write_engine: Engine, table, key, generation: int, rows: int) -> None:
    """Delete a generation's rows of `table` in ranges of `key`, each aimed at `rows` rows (sized
    from what the range before deleted: how many rows an id range holds is not known ahead)."""
    with write_engine.connect() as connection:
        low, high = connection.execute(select(func.min(key), func.max(key))
                                       .where(table.c.generation == generation)).one()
    if low is None:
        return
    start, width = low, max(1, rows // FIRST_RANGE_ROWS)
    while start <= high:
        with write_engine.begin() as connection:
            deleted = connection.execute(delete(table).where(table.c.generation == generation, key >= start,
                                                             key < start + width)).rowcount
        start += width
        width = max(1, min(width * 4, int(width * rows / deleted))) if deleted > 0 else width * 4


def publication_targets(session: Session) -> list[int]:
    """The generations a vacancy published now stores its matches into: the current one and any
    being written; held FOR SHARE on PostgreSQL until the caller's transaction ends."""
    # First the current generation alone: this waits for a `begin` under way, so that the
    # second statement's fresh snapshot sees the generation it inserted.
    session.execute(select(GENERATIONS.c.id).where(GENERATIONS.c.id == current()).with_for_update(read=True))
    return list(session.execute(
        select(GENERATIONS.c.id).where(GENERATIONS.c.retired_at.is_(None),
                                       or_(GENERATIONS.c.id == current(), GENERATIONS.c.completed_at.is_(None)))
        .order_by(GENERATIONS.c.id).with_for_update(read=True)).scalars())


def replace_vacancy(session: Session, generations: list[int], vacancy_id: int, candidate_ids, fits) -> None:
    """Store one vacancy's matches (best first) in each of `generations`, in place of any it had there."""
    for generation in generations:
        earlier = select(MATCHES.c.candidate_id).where(MATCHES.c.generation == generation,
                                                       MATCHES.c.vacancy_id == vacancy_id)
        session.execute(delete(CANDIDATES).where(CANDIDATES.c.generation == generation,
                                                 CANDIDATES.c.vacancy_id == vacancy_id,
                                                 CANDIDATES.c.candidate_id.in_(earlier)))
        session.execute(delete(MATCHES).where(MATCHES.c.generation == generation, MATCHES.c.vacancy_id == vacancy_id))
        if len(candidate_ids):
            session.execute(insert(MATCHES), [
                {"generation": generation, "vacancy_id": vacancy_id, "rank": rank, "candidate_id": int(candidate),
                 "fit": int(fit)} for rank, (candidate, fit) in enumerate(zip(candidate_ids, fits), start=1)])
            session.execute(insert(CANDIDATES), [
                {"generation": generation, "candidate_id": int(candidate), "vacancy_id": vacancy_id}
                for candidate in candidate_ids])


def forget(session: Session, candidate_id: int) -> None:
    """Delete the candidate's matches in every generation (withdrawn consent, erasure), found
    through `CandidateMatch` and deleted by key: no scan of the matches."""
    generations = select(GENERATIONS.c.id)
    found = session.execute(select(CANDIDATES.c.generation, CANDIDATES.c.vacancy_id)
                            .where(CANDIDATES.c.generation.in_(generations),
                                   CANDIDATES.c.candidate_id == candidate_id)).all()
    vacancies: dict[int, list[int]] = {}
    for generation, vacancy_id in found:
        vacancies.setdefault(generation, []).append(vacancy_id)
    for generation, ids in vacancies.items():
        for start in range(0, len(ids), IDS_PER_STATEMENT):
            session.execute(delete(MATCHES).where(MATCHES.c.generation == generation,
                                                  MATCHES.c.vacancy_id.in_(ids[start:start + IDS_PER_STATEMENT]),
                                                  MATCHES.c.candidate_id == candidate_id))
    session.execute(delete(CANDIDATES).where(CANDIDATES.c.generation.in_(generations),
                                             CANDIDATES.c.candidate_id == candidate_id))
