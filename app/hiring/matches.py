"""Matches between vacancies and the candidates who chose to be found, through `ranking.matching`.

The pool is read in bulk as the re-rank reads it (`rerank.read_pool_records`: one Arrow read of
every active, verified profile's record), narrowed to the findable candidates by one more Arrow
read of `findability`; the engine sees only the columns a match may depend on. Matches are
stored per vacancy (`VacancyMatch`): every night the top `LIMIT` of every open vacancy as a new
generation, written as Arrow columns and switched to at once (`store_nightly`, over
`match_generations`), and a vacancy's own when it is published (`store_for_vacancy`, a few rows
in the publication's unit of work), so its employer sees matches immediately.

What an employer sees of a match is pseudonymous: a reference valid for that vacancy only (an
HMAC of the vacancy and the candidate under the service's secret, so two vacancies' employers
cannot link a candidate; computed for the at most `LIMIT` matches shown, never stored, so
nothing hashes ten million rows a night), the fit, and what the candidate meets of the
requirements — EQF level, the required languages' levels, years in the occupation and its
group. Never a name, a date of birth, an age, a nationality or an address; only an interest the
candidate accepted adds their contact (`interest.contact`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass

import numpy as np
from flask import current_app
from ranking import matching
from sqlalchemy import Integer, cast, exists, select
from sqlmodel import Session

from app import clock, db
from app.employers.models import Vacancy, VacancyStatus
from app.hiring import match_generations
from app.hiring.models import CandidateMatch, Findability, MatchGeneration, VacancyMatch
from app.profiles.models import Profile
from app.ranking_runs import rerank
from app.states import grid as grids
from app.storage import columnar, engines, process_lock

LIMIT = 100  # the matches stored per vacancy
CANDIDATE_LIMIT = 50  # the vacancies shown to a candidate


def reference(vacancy_id: int, candidate_id: int) -> str:
    """The candidate's pseudonym for this vacancy only: `M-` and 10 hex digits of an HMAC."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"vacancy-match:{vacancy_id}:{candidate_id}".encode(), hashlib.sha256).hexdigest()
    return f"M-{digest[:10].upper()}"


def findable_pool(session: Session) -> matching.Pool:
    """Every findable candidate with an active profile in the pool, as the engine's columns."""
    grid = grids.current(session)
    ids, _submitted, records = rerank.read_pool_records(engines.reader(), clock.now(), grid)
    table = Findability.__table__
    consent = columnar.read(engines.reader(), select(table.c.account_id, cast(table.c.any_state, Integer).label("any_state"))
                            .where(table.c.withdrawn_at.is_(None)))
    keep = np.isin(ids, consent["account_id"])
    order = np.argsort(consent["account_id"], kind="stable")
    any_state = consent["any_state"][order][np.searchsorted(consent["account_id"][order], ids[keep])] \
        if keep.any() else np.zeros(0, bool)
    return matching.pool_from_records(grid, records[keep], ids[keep], np.ones(int(keep.sum()), bool),
                                      any_state.astype(bool))


def open_vacancies(session: Session) -> list[Vacancy]:
    return list(session.execute(select(Vacancy).where(*_open()).order_by(Vacancy.id)).scalars())


def _open() -> tuple:
    return Vacancy.status == VacancyStatus.PUBLISHED.value, Vacancy.closing_date >= clock.today()


@dataclass(frozen=True)
class StoredMatch:
    """A stored match as its employer sees it (`reference`) and the service knows it (`candidate_id`)."""

    vacancy_id: int
    candidate_id: int
    reference: str
    rank: int
    fit: int
    computed_at: dt.datetime


@dataclass(frozen=True)
class NightlyReport:
    """What `store_nightly` did, and the seconds of each part (on SQLite a write transaction's
    seconds are how long it held the write lock)."""

    generation: int
    vacancies: int
    matches: int
    seconds_computing: float
    seconds_writing: float
    seconds_clearing: float
    longest_write_transaction: float
    write_transactions: int


class StoringElsewhere(Exception):
    """Another process is storing the nightly matches right now."""


def store_for_vacancy(session: Session, vacancy: Vacancy) -> int:
    """Compute `vacancy`'s matches now and store them in place of its earlier ones, in the current
    generation and in one being written (`match_generations.publication_targets`); how many."""
    grid = grids.current(session)
    found = matching.matches_for_vacancy(findable_pool(session), matching.vacancies_from_documents(grid, [vacancy]),
                                         LIMIT)
    match_generations.replace_vacancy(session, match_generations.publication_targets(session), vacancy.id,
                                      found.ids, found.fits)
    return len(found.ids)


def store_nightly(*, pause: bool = True) -> NightlyReport:
    """Every open vacancy's top `LIMIT` as a new generation, written in bulk outside any unit of
    work and switched to in its last transaction (`match_generations`); `pause=False` where no
    request can be waiting for SQLite's write lock (a database being seeded).

    Its own transactions, not `db.unit_of_work()`: one unit of work would hold SQLite's write
    lock while ten million rows are computed and written. StoringElsewhere if another process
    is at it; StaleRecords (from the pool read) before anything is written."""
    write_engine = engines.writer()
    with process_lock.held(write_engine, "vacancy-matches") as alone:
        if not alone:
            raise StoringElsewhere("another process is storing the vacancies' matches right now")
        tick = time.perf_counter()
        match_generations.clear(write_engine)  # what a crash left, before the new one
        clearing = time.perf_counter() - tick
        with Session(engines.reader()) as session:
            grid = grids.current(session)
            pool = findable_pool(session)
        generation = match_generations.begin(write_engine)
        with Session(engines.reader()) as session:
            # In one statement after `begin`: a vacancy published since stored its own matches in it.
            vacancies = session.execute(
                select(Vacancy.id, Vacancy.state_code, Vacancy.occupation, Vacancy.requirements)
                .where(*_open(), ~exists().where(VacancyMatch.generation == generation.id,
                                                 VacancyMatch.vacancy_id == Vacancy.id))
                .order_by(Vacancy.id)).all()
        columns = matching.vacancies_from_documents(grid, vacancies)
        top = matching.top_matches_for_all(pool, columns, k=LIMIT)
        computed = time.perf_counter()
        report = match_generations.write(write_engine, generation.id, columns.ids[top.vacancy], top.rank,
                                         top.candidate, top.fit, pause=pause)
        written = time.perf_counter()
        _forget_who_left(write_engine, top.candidate)
        match_generations.clear(write_engine)  # yesterday's
        clearing += time.perf_counter() - written
    return NightlyReport(generation.id, len(vacancies), len(top.candidate), computed - tick - clearing,
                         written - computed, clearing, report.longest, len(report.transactions))


def _forget_who_left(write_engine, candidate_ids: np.ndarray) -> None:
    """Delete the new generation's matches of candidates who stopped being findable (or were erased)
    after the pool was read: their own withdrawal deleted only the rows written by then."""
    table = Findability.__table__
    findable = columnar.read(engines.reader(), select(table.c.account_id).where(table.c.withdrawn_at.is_(None)))
    for candidate_id in np.setdiff1d(candidate_ids, findable["account_id"]).tolist():
        with db.unit_of_work() as session:  # one short write per candidate, as their withdrawal was
            match_generations.forget(session, candidate_id)


def nightly_line(report: NightlyReport) -> str:
    rate = report.matches / report.seconds_writing if report.seconds_writing else 0.0
    return (f"vacancy matches stored: {report.matches} for {report.vacancies} vacancies as generation "
            f"{report.generation}: computed {report.seconds_computing:.2f} s, wrote {report.seconds_writing:.2f} s "
            f"({rate:,.0f} matches/s, {report.write_transactions} transactions, the longest "
            f"{report.longest_write_transaction:.2f} s), cleared the previous in {report.seconds_clearing:.2f} s")


def of_vacancy(session: Session, vacancy: Vacancy) -> list[StoredMatch]:
    """The current generation's matches of `vacancy`, best first, with their references (a
    candidate no longer findable is not among them, even before the night deletes their rows)."""
    generations, table, consent = MatchGeneration.__table__, VacancyMatch.__table__, Findability.__table__
    rows = session.execute(
        select(table.c.candidate_id, table.c.rank, table.c.fit, generations.c.started_at)
        .join(generations, generations.c.id == table.c.generation)
        .join(consent, consent.c.account_id == table.c.candidate_id)
        .where(table.c.generation == match_generations.current(), table.c.vacancy_id == vacancy.id,
               consent.c.withdrawn_at.is_(None))
        .order_by(table.c.rank)).all()
    return [_stored(vacancy, row.candidate_id, row.rank, row.fit, row.started_at) for row in rows]


def _stored(vacancy: Vacancy, candidate_id: int, rank: int, fit: int, started_at: dt.datetime) -> StoredMatch:
    # A vacancy published after its generation began had its matches computed at publication.
    computed_at = max(started_at, vacancy.published_at) if vacancy.published_at else started_at
    return StoredMatch(vacancy.id, candidate_id, reference(vacancy.id, candidate_id), rank, fit, computed_at)


def by_reference(session: Session, vacancy: Vacancy, match_reference: str) -> StoredMatch | None:
    """The match of `vacancy` its employer calls `match_reference`: the references of its (at most
    `LIMIT`) matches computed and compared, as none is stored."""
    return next((match for match in of_vacancy(session, vacancy) if hmac.compare_digest(match.reference,
                                                                                         match_reference)), None)


def of_candidate(session: Session, candidate_id: int) -> list[tuple[StoredMatch, Vacancy]]:
    """The current generation's matches the candidate is among, by vacancy (their data export).

    The vacancies first, from `CandidateMatch`, then their rows by key: one joined query let
    SQLite's planner scan the whole generation's `VacancyMatch` instead."""
    generations, table, pairs = MatchGeneration.__table__, VacancyMatch.__table__, CandidateMatch.__table__
    generation = session.execute(select(generations.c.id, generations.c.started_at)
                                 .where(generations.c.id == match_generations.current())).first()
    if generation is None:
        return []
    vacancy_ids = list(session.execute(select(pairs.c.vacancy_id).where(
        pairs.c.generation == generation.id, pairs.c.candidate_id == candidate_id)).scalars())
    out = []
    for start in range(0, len(vacancy_ids), match_generations.IDS_PER_STATEMENT):
        rows = session.execute(
            select(table.c.rank, table.c.fit, Vacancy).join(Vacancy, Vacancy.id == table.c.vacancy_id)
            .where(table.c.generation == generation.id, table.c.candidate_id == candidate_id,
                   table.c.vacancy_id.in_(vacancy_ids[start:start + match_generations.IDS_PER_STATEMENT])))
        out += [(_stored(row.Vacancy, candidate_id, row.rank, row.fit, generation.started_at), row.Vacancy)
                for row in rows]
    return sorted(out, key=lambda pair: pair[1].id)


def what_they_meet(session: Session, vacancy: Vacancy, candidate_ids: list[int]) -> dict[int, dict]:
    """{candidate id: what they meet of `vacancy`'s requirements}: EQF level, the required languages'
    levels, years in the occupation and in its ISCO-08 minor group. Nothing else of the record."""
    if not candidate_ids:
        return {}
    grid = grids.current(session)
    rows = session.execute(select(Profile.account_id, Profile.record, Profile.record_grid)
                           .where(Profile.account_id.in_(candidate_ids))).all()
    required = [item["language"] for item in (vacancy.requirements or {}).get("languages") or []]
    out = {}
    for candidate_id, record, record_grid in rows:
        if record_grid != grid.record_version:
            continue  # re-encoded tonight; shown again then
        document = grid.decode(grid.records_from_bytes(record)[0])
        languages = [item for item in document["languages"] if item["language"] in required]
        experience = document["experience"]
        out[candidate_id] = {
            "education_level": document["education_level"],
            "languages": languages,
            "years_in_occupation": sum(item["years"] for item in experience if item["occupation"] == vacancy.occupation),
            "years_in_group": sum(item["years"] for item in experience
                                  if item["occupation"][:3] == vacancy.occupation[:3]),
        }
    return out


def for_candidate(session: Session, candidate_id: int) -> list[tuple[Vacancy, int]]:
    """The open vacancies the candidate meets, best fit first, with the fit (findable or not: it is
    their own view; consent decides only whether employers see them)."""
    grid = grids.current(session)
    profile = session.execute(select(Profile.record, Profile.record_grid, Profile.status)
                              .where(Profile.account_id == candidate_id)).first()
    if profile is None or profile.record_grid != grid.record_version or profile.status != "active":
        return []
    vacancies = open_vacancies(session)
    if not vacancies:
        return []
    row = session.get(Findability, candidate_id)
    candidate = matching.pool_from_records(grid, grid.records_from_bytes(profile.record), [candidate_id], [True],
                                           [bool(row and row.any_state)])
    found = matching.matches_for_candidate(candidate, matching.vacancies_from_documents(grid, vacancies),
                                           CANDIDATE_LIMIT)
    by_id = {vacancy.id: vacancy for vacancy in vacancies}
    return [(by_id[int(vacancy_id)], int(fit)) for vacancy_id, fit in zip(found.ids, found.fits)]
