"""Vacancies: a draft the employer edits, published once its member state has verified the employer,
closed by the employer, by the nightly job after its closing date, or by a suspension.

The fields arrive checked against the grid's own types by `schemas.VacancyInputSchema` (EQF
range, the grid's languages and CEFR levels, its years); what a schema cannot say is checked
here: the closing date is today or later (and within `MAX_DAYS_AHEAD`), the salary range is in
order. A vacancy's member state is always its employer's. Candidates and the public see only
published vacancies, with the employer's name and never its people (`public_view`).
"""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func
from sqlmodel import Session, select

from app import clock, hiring
from app.accounts.models import Account
from app.audit import trail
from app.employers.models import Employer, EmployerStatus, Vacancy, VacancyStatus
from app.errors import Conflict, Forbidden, InvalidInput, NotFound

MAX_DAYS_AHEAD = 366
PAGE_SIZE = 50
FIELDS = ("occupation", "title", "description", "posts", "location", "closing_date", "requirements",
          "salary_min", "salary_max")
NO_SUCH = "Your organisation has no vacancy {id}."
NO_SUCH_PUBLISHED = "There is no open vacancy {reference}."
CANNOT_PUBLISH = "Your organisation can publish once its member state has verified it, and not while it is suspended."


def _checked(data: dict) -> dict:
    today = clock.today()
    errors = {}
    if data["closing_date"] < today:
        errors["closing_date"] = ["The closing date is in the past."]
    elif data["closing_date"] > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        errors["closing_date"] = [f"At most {MAX_DAYS_AHEAD} days ahead."]
    low, high = data.get("salary_min"), data.get("salary_max")
    if low is not None and high is not None and low > high:
        errors["salary_max"] = ["The highest salary is below the lowest."]
    if errors:
        raise InvalidInput("The vacancy was refused; see the fields.", {"json": errors})
    return data


def _stored(data: dict) -> dict:
    values = {name: data.get(name) for name in FIELDS}
    values["title"], values["location"] = values["title"].strip(), values["location"].strip()
    values["description"] = values["description"].strip()
    return values


def _editable(employer: Employer) -> None:
    if employer.status == EmployerStatus.SUSPENDED:
        raise Forbidden("Your organisation is suspended by its member state; it cannot change vacancies.")


def create(session: Session, actor: Account, employer: Employer, data: dict) -> Vacancy:
    """A new draft vacancy of `employer` (in its member state)."""
    _editable(employer)
    vacancy = Vacancy(reference=secrets.token_hex(8), employer_id=employer.id, state_code=employer.state_code,
                      status=VacancyStatus.DRAFT.value, created_at=clock.now(), **_stored(_checked(data)))
    session.add(vacancy)
    session.flush()
    trail.record(session, actor, "vacancy.create", f"vacancy:{vacancy.reference}", state_code=vacancy.state_code,
                 details={"title": vacancy.title, "occupation": vacancy.occupation})
    return vacancy


def own(session: Session, employer: Employer) -> list[Vacancy]:
    """The employer's vacancies, newest first."""
    return list(session.exec(select(Vacancy).where(Vacancy.employer_id == employer.id)
                             .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())).all())


def get_own(session: Session, employer: Employer, vacancy_id: int) -> Vacancy:
    """The employer's vacancy `vacancy_id`, or 404 (another employer's is as unknown as none)."""
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.employer_id != employer.id:
        raise NotFound(NO_SUCH.format(id=vacancy_id))
    return vacancy


def _comparable(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def update(session: Session, actor: Account, employer: Employer, vacancy: Vacancy, data: dict) -> Vacancy:
    """Replace the vacancy's fields (a draft or a published one; a closed one is over)."""
    _editable(employer)
    if vacancy.status == VacancyStatus.CLOSED:
        raise Conflict("This vacancy is closed; create a new one.")
    values = _stored(_checked(data))
    changes = trail.diff({name: _comparable(getattr(vacancy, name)) for name in FIELDS},
                         {name: _comparable(value) for name, value in values.items()})
    for name, value in values.items():
        setattr(vacancy, name, value)
    session.add(vacancy)
    trail.record(session, actor, "vacancy.update", f"vacancy:{vacancy.reference}", state_code=vacancy.state_code,
                 details=changes)
    return vacancy


def publish(session: Session, actor: Account, employer: Employer, vacancy: Vacancy) -> Vacancy:
    """Publish a draft: only a verified employer, and only before its closing date."""
    if employer.status != EmployerStatus.VERIFIED:
        raise Forbidden(CANNOT_PUBLISH)
    if vacancy.status != VacancyStatus.DRAFT:
        raise Conflict("Only a draft is published; this vacancy is published or closed already.")
    if vacancy.closing_date < clock.today():
        raise InvalidInput("The closing date is in the past; change it first.",
                           {"json": {"closing_date": ["The closing date is in the past."]}})
    vacancy.status, vacancy.published_at = VacancyStatus.PUBLISHED.value, clock.now()
    session.add(vacancy)
    trail.record(session, actor, "vacancy.publish", f"vacancy:{vacancy.reference}", state_code=vacancy.state_code)
    hiring.on_vacancy_published(session, vacancy)
    return vacancy


def close(session: Session, actor: Account, employer: Employer, vacancy: Vacancy) -> Vacancy:
    """The employer closes its vacancy (a draft or a published one)."""
    if vacancy.status == VacancyStatus.CLOSED:
        raise Conflict("This vacancy is closed already.")
    return close_now(session, actor, vacancy, "employer")


def close_now(session: Session, actor: Account | None, vacancy: Vacancy, why: str) -> Vacancy:
    """Close `vacancy` for `why` (employer, closing_date, suspension), audited; the caller checked it may."""
    vacancy.status, vacancy.closed_at = VacancyStatus.CLOSED.value, clock.now()
    session.add(vacancy)
    trail.record(session, actor, "vacancy.close", f"vacancy:{vacancy.reference}", state_code=vacancy.state_code,
                 details={"why": why})
    return vacancy


def close_past_closing_date(session: Session, today: dt.date) -> int:
    """The nightly step: close every published vacancy whose closing date is before `today`; how many."""
    overdue = session.exec(select(Vacancy).where(Vacancy.status == VacancyStatus.PUBLISHED.value,
                                                 Vacancy.closing_date < today)).all()
    for vacancy in overdue:
        close_now(session, None, vacancy, "closing_date")
    return len(overdue)


def _open(statement, state: str | None, occupation: str | None):
    statement = statement.where(Vacancy.status == VacancyStatus.PUBLISHED.value)
    if state:
        statement = statement.where(Vacancy.state_code == state)
    if occupation:
        statement = statement.where(Vacancy.occupation.startswith(occupation, autoescape=True))
    return statement


def published(session: Session, state: str | None = None, occupation: str | None = None,
              page: int = 1) -> tuple[list[tuple[Vacancy, Employer]], int]:
    """One page of open vacancies (with their employers), soonest closing first, and how many there are
    in all; `occupation` is an ISCO-08 code or its first digits (`25`: ICT professionals)."""
    total = session.exec(_open(select(func.count(Vacancy.id)), state, occupation)).one()
    rows = session.exec(_open(select(Vacancy, Employer).join(Employer, Employer.id == Vacancy.employer_id),
                              state, occupation)
                        .order_by(Vacancy.closing_date, Vacancy.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), total


def published_one(session: Session, reference: str) -> tuple[Vacancy, Employer]:
    """An open vacancy by its reference, with its employer, or 404."""
    row = session.exec(select(Vacancy, Employer).join(Employer, Employer.id == Vacancy.employer_id)
                       .where(Vacancy.reference == reference, Vacancy.status == VacancyStatus.PUBLISHED.value)).first()
    if row is None:
        raise NotFound(NO_SUCH_PUBLISHED.format(reference=reference))
    return row


def counts(session: Session, state: str | None = None) -> list[dict]:
    """Open vacancies and their posts by (state, occupation): public figures."""
    statement = (select(Vacancy.state_code, Vacancy.occupation, func.count(Vacancy.id), func.sum(Vacancy.posts))
                 .where(Vacancy.status == VacancyStatus.PUBLISHED.value)
                 .group_by(Vacancy.state_code, Vacancy.occupation).order_by(Vacancy.state_code, Vacancy.occupation))
    if state:
        statement = statement.where(Vacancy.state_code == state)
    return [{"state": code, "occupation": occupation, "vacancies": int(n), "posts": int(posts)}
            for code, occupation, n, posts in session.exec(statement).all()]


def public_view(vacancy: Vacancy, employer: Employer) -> dict:
    """What candidates and the public see: the vacancy and its employer's name and reference, never its people."""
    return {**{name: getattr(vacancy, name) for name in FIELDS}, "reference": vacancy.reference,
            "state": vacancy.state_code, "published_at": vacancy.published_at,
            "employer": {"name": employer.name, "reference": employer.reference}}
