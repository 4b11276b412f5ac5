"""Matches between vacancies and the candidates who chose to be found, through `ranking.matching`.

The pool is read in bulk as the re-rank reads it (`rerank.read_pool_records`: one Arrow read of
every active, verified profile's record), narrowed to the findable candidates by one more Arrow
read of `findability`; the engine sees only the columns a match may depend on. Matches are
stored per vacancy (`VacancyMatch`): every night the top `LIMIT` of every open vacancy, in one
unit of work (`store_nightly`), and a vacancy's own at once when it is published
(`store_for_vacancy`), so its employer sees matches immediately.

What an employer sees of a match is pseudonymous: a reference valid for that vacancy only (an
HMAC of the vacancy and the candidate under the service's secret, so two vacancies' employers
cannot link a candidate), the fit, and what the candidate meets of the requirements — EQF level,
the required languages' levels, years in the occupation and its group. Never a name, a date of
birth, an age, a nationality or an address; only an interest the candidate accepted adds their
contact (`interest.contact`).
"""
from __future__ import annotations

import hashlib
import hmac

import numpy as np
from flask import current_app
from ranking import matching
from sqlalchemy import Integer, cast, delete, insert, select
from sqlmodel import Session

from app import clock
from app.employers.models import Vacancy, VacancyStatus
from app.hiring.models import Findability, VacancyMatch
from app.profiles.models import Profile
from app.ranking_runs import rerank
from app.states import grid as grids
from app.storage import columnar, engines

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
    return list(session.execute(select(Vacancy).where(Vacancy.status == VacancyStatus.PUBLISHED.value,
                                                   Vacancy.closing_date >= clock.today())
                             .order_by(Vacancy.id)).scalars())


def _rows(vacancy_ids, candidate_ids, ranks, fits) -> list[dict]:
    now = clock.now()
    return [{"vacancy_id": int(v), "candidate_id": int(c), "reference": reference(int(v), int(c)),
             "rank": int(r), "fit": int(f), "computed_at": now}
            for v, c, r, f in zip(vacancy_ids, candidate_ids, ranks, fits)]


def store_for_vacancy(session: Session, vacancy: Vacancy) -> int:
    """Compute `vacancy`'s matches now and store them in place of its earlier ones; how many."""
    grid = grids.current(session)
    found = matching.matches_for_vacancy(findable_pool(session), matching.vacancies_from_documents(grid, [vacancy]),
                                         LIMIT)
    session.execute(delete(VacancyMatch).where(VacancyMatch.vacancy_id == vacancy.id))
    rows = _rows(np.full(len(found.ids), vacancy.id), found.ids, np.arange(1, len(found.ids) + 1), found.fits)
    if rows:
        session.execute(insert(VacancyMatch), rows)
    return len(rows)


def store_nightly(session: Session) -> int:
    """Every open vacancy's top `LIMIT`, in place of all stored matches (one unit of work); how many."""
    grid = grids.current(session)
    vacancies = open_vacancies(session)
    session.execute(delete(VacancyMatch))
    if not vacancies:
        return 0
    columns = matching.vacancies_from_documents(grid, vacancies)
    top = matching.top_matches_for_all(findable_pool(session), columns, k=LIMIT)
    rows = _rows(columns.ids[top.vacancy], top.candidate, top.rank, top.fit)
    if rows:
        session.execute(insert(VacancyMatch), rows)
    return len(rows)


def of_vacancy(session: Session, vacancy: Vacancy) -> list[VacancyMatch]:
    """The stored matches of `vacancy`, best first (a candidate no longer findable is not among them)."""
    return list(session.execute(select(VacancyMatch).where(VacancyMatch.vacancy_id == vacancy.id)
                             .order_by(VacancyMatch.rank)).scalars())


def by_reference(session: Session, vacancy: Vacancy, match_reference: str) -> VacancyMatch | None:
    return session.execute(select(VacancyMatch).where(VacancyMatch.vacancy_id == vacancy.id,
                                                   VacancyMatch.reference == match_reference)).scalars().first()


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
