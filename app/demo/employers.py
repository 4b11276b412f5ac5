"""Demonstration employers: a few verified organisations in several states, each with one person
who can sign in (`employer.de@demo.talentpool.eu`, the demo password) and published vacancies.

The vacancies ask for the occupations the synthetic pool draws (`synthetic_pool.OCCUPATIONS`)
with modest requirements (an EQF level most synthetic candidates reach, English at B1 or B2,
a year or two in the occupation's group), so a newcomer sees matches at once. Deterministic: the
same seed gives the same employers and vacancies.
"""
from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account, Role
from app.demo import synthetic_pool
from app.employers.models import Employer, EmployerMember, EmployerStatus, Vacancy, VacancyStatus
from app.occupations import isco

# (state, name, town): one organisation per state.
ORGANISATIONS = (("DE", "Nordlicht Kliniken GmbH", "Hamburg"), ("FR", "Atelier Numérique SAS", "Lyon"),
                 ("NL", "Polder Software B.V.", "Utrecht"), ("IE", "Liffey Health Services Ltd", "Dublin"),
                 ("SE", "Norrsken Teknik AB", "Göteborg"), ("ES", "Ingeniería Mediterránea S.L.", "Valencia"))
VACANCIES_EACH = 8


def add_employers(session: Session, password_hash: str, domain: str, seed: int) -> tuple[int, int]:
    """The demonstration employers and their vacancies, in the caller's unit of work: (employers, vacancies)."""
    now = clock.now()
    rng = np.random.default_rng(seed + 13)
    occupations = [str(code) for code in synthetic_pool.OCCUPATIONS if isco.groups().get(str(code))]
    officials = dict(session.exec(select(Account.state_code, Account.id).where(Account.role == Role.OFFICIAL)).all())
    vacancies = 0
    for number, (state, name, town) in enumerate(ORGANISATIONS, start=1):
        person = Account(reference=uuid.uuid4().hex, email=f"employer.{state.lower()}@{domain}",
                         password_hash=password_hash, role=Role.EMPLOYER.value, created_at=now, email_verified_at=now)
        employer = Employer(reference=uuid.uuid4().hex[:16], name=name, state_code=state,
                            registration_number=f"DEMO-{state}-{number:04d}", contact_name=f"Demo contact {state}",
                            address=f"{town}, {state}", status=EmployerStatus.VERIFIED.value, created_at=now,
                            verified_at=now, verified_by=officials.get(state))
        session.add_all([person, employer])
        session.flush()
        session.add(EmployerMember(account_id=person.id, employer_id=employer.id, added_at=now))
        for occupation in rng.choice(occupations, VACANCIES_EACH, replace=False):
            title = isco.title(occupation, "en").text
            session.add(Vacancy(
                reference=uuid.uuid4().hex[:16], employer_id=employer.id, state_code=state, occupation=occupation,
                title=title, description=f"{title} at {name}, {town}. A demonstration vacancy.",
                posts=int(rng.integers(1, 6)), location=town,
                closing_date=now.date() + dt.timedelta(days=int(rng.integers(30, 180))),
                requirements={"education_level": int(rng.choice([4, 5, 6])),
                              "languages": [{"language": "en", "listening": str(rng.choice(["B1", "B2"])),
                                             "reading": "B1", "speaking": "B1", "writing": None}],
                              "experience_years": int(rng.integers(1, 3)), "experience_scope": "group"},
                salary_min=int(rng.integers(30, 50)) * 1000, salary_max=int(rng.integers(55, 80)) * 1000,
                status=VacancyStatus.PUBLISHED.value, created_at=now, published_at=now))
            vacancies += 1
    return len(ORGANISATIONS), vacancies
