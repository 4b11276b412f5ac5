"""Demonstration data for `make run`: officials for every state, an administrator, and a pool of
synthetic candidates with plausible (not real) distributions of age, education, languages,
occupations and preferences. Runs only on an empty database, so it never mixes with real data.

Every demonstration account shares one password (`DEMO_PASSWORD`), hashed once: hashing thousands
of argon2id passwords would take minutes and protects nothing here. The officials and the
administrator come enrolled in two-factor sign-in with one fixed development secret
(`DEMO_TOTP_SECRET`): `flask accounts otp EMAIL` prints a code in development, and the secret can
be added to an authenticator app by hand.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

import numpy as np
from flask import current_app
from sqlalchemy import insert
from sqlmodel import Session, func, select

from app import clock
from app.accounts import two_factor
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.audit import trail
from app.profiles.lifecycle import EPOCH, add_months
from app.profiles.models import Profile, ProfileStatus
from app.states import grid as grids
from app.states.models import MemberState

DOMAIN = "demo.talentpool.eu"
# Public on purpose: demonstration accounts only, never a real one (README "Demonstration data").
DEMO_TOTP_SECRET = "DEMOTALENTPOOLDEVELOPMENTONLY234"
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Where candidates would like to go, roughly by labour-market pull (demonstration weights).
STATE_WEIGHTS = {"DE": 20, "NL": 10, "IE": 8, "FR": 8, "SE": 6, "ES": 6, "IT": 5, "AT": 5, "BE": 5, "DK": 4,
                 "FI": 3, "PL": 3, "PT": 3, "LU": 2, "CZ": 2, "MT": 1, "EE": 1, "SI": 1, "GR": 1, "HR": 1,
                 "SK": 1, "LT": 1, "LV": 1, "HU": 1, "RO": 1, "BG": 1, "CY": 1}
STATE_LANGUAGES = {"DE": "de", "AT": "de", "NL": "nl", "BE": "nl", "FR": "fr", "LU": "fr", "ES": "es", "IT": "it",
                   "SE": "sv", "FI": "fi", "PL": "pl", "PT": "pt", "DK": "da", "CZ": "cs", "IE": "ga"}
# Common ISCO-08 unit groups among skilled migrants: ICT, health, engineering, trades, teaching.
OCCUPATIONS = ("2512", "2511", "2514", "2519", "2522", "2211", "2212", "2221", "3221", "2144", "2142", "2151",
               "7411", "7233", "7126", "2310", "2330", "2411", "3313", "5120", "8322", "2631", "2149", "3115")
EDUCATION = {3: 5, 4: 15, 5: 10, 6: 35, 7: 28, 8: 7}


def seed(session: Session) -> str:
    """Seed an empty database; say what was done (or why nothing was)."""
    if session.exec(select(func.count()).select_from(Account)).one():
        return "demo seed: the database already has accounts; nothing added"
    now = clock.now()
    password_hash = hash_password(current_app.config["DEMO_PASSWORD"])
    staff = [_account(f"admin@{DOMAIN}", password_hash, Role.ADMIN, None, now)]
    states = session.exec(select(MemberState).order_by(MemberState.code)).all()
    rng = np.random.default_rng(20261122)
    for state in states:
        staff.append(_account(f"official.{state.code.lower()}@{DOMAIN}", password_hash, Role.OFFICIAL, state.code,
                              now))
        state.annual_invitation_ceiling = int(rng.integers(5, 60)) * 100 * STATE_WEIGHTS.get(state.code, 1)
        state.ceiling_updated_at = now
        session.add(state)
    count = current_app.config["DEMO_CANDIDATES"]
    candidates = [_account(f"candidate{i:05d}@{DOMAIN}", password_hash, Role.CANDIDATE, None, now)
                  for i in range(1, count + 1)]
    session.execute(insert(Account.__table__), staff + candidates)
    for account_id in session.exec(select(Account.id).where(Account.role != Role.CANDIDATE)).all():
        two_factor.enrol_with_secret(session, account_id, DEMO_TOTP_SECRET)
    ids = dict(session.exec(select(Account.email, Account.id).where(Account.role == Role.CANDIDATE)).all())
    grid = grids.current(session)
    documents = [_profile(rng, now.date(), grid.columns["preferences"].slots) for _ in range(count)]
    records = grid.encode_records(documents, as_of=now.date())
    rows = []
    for index, (document, record) in enumerate(zip(documents, records, strict=True)):
        submitted = now - timedelta(seconds=int(rng.integers(60, 330 * 24 * 3600)))
        rows.append({
            "account_id": ids[candidates[index]["email"]], "status": ProfileStatus.ACTIVE.value,
            "first_submitted_at": submitted, "first_submitted_us": (submitted - EPOCH) // timedelta(microseconds=1),
            "updated_at": submitted, "confirmed_at": submitted, "expires_at": add_months(submitted, 12),
            "document": document, "record": record.tobytes(), "record_grid": grid.record_version,
        })
    session.execute(insert(Profile.__table__), rows)
    trail.record(session, None, "demo.seed", "database", details={"officials": len(states), "candidates": count})
    return (f"demo seed: 1 administrator, {len(states)} officials and {count} candidates "
            f"(e-mail addresses at {DOMAIN}, password {current_app.config['DEMO_PASSWORD']!r})")


def _account(email: str, password_hash: str, role: Role, state: str | None, now) -> dict:
    return {"reference": uuid.uuid4().hex, "email": email, "password_hash": password_hash, "role": role.value,
            "state_code": state, "created_at": now, "email_verified_at": now}


def _weighted(rng, weights: dict, size: int | None = None, replace: bool = True):
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    picks = rng.choice(len(keys), size=size, replace=replace, p=p / p.sum())
    return [keys[i] for i in np.atleast_1d(picks)] if size is not None else keys[int(picks)]


def _level(rng, low: int, high: int) -> str:
    return LEVELS[int(rng.integers(low, high + 1))]


def _profile(rng, today, most_preferences: int) -> dict:
    age = int(min(50, 21 + rng.gamma(3.0, 3.0)))
    birth = today.replace(year=today.year - age) - timedelta(days=int(rng.integers(0, 365)))
    preferences = _weighted(rng, STATE_WEIGHTS, size=int(rng.integers(1, most_preferences + 1)), replace=False)
    languages = []
    if rng.random() < 0.85:
        languages.append(("en", 2, 5))
    if rng.random() < 0.5 and preferences[0] in STATE_LANGUAGES:
        languages.append((STATE_LANGUAGES[preferences[0]], 1, 4))
    if rng.random() < 0.1:
        languages.append(("tr", 3, 5))
    experience = [str(o) for o in rng.choice(OCCUPATIONS, size=int(rng.integers(1, 4)), replace=False)]
    job_offer = None
    if rng.random() < 0.08:
        job_offer = {"state": preferences[0], "occupation": experience[0]}
    return {
        "date_of_birth": birth.isoformat(),
        "education_level": _weighted(rng, EDUCATION),
        "languages": [{"language": code, **{skill: _level(rng, low, high) for skill in
                                            ("listening", "reading", "speaking", "writing")}}
                      for code, low, high in languages],
        "experience": [{"occupation": code, "years": int(rng.integers(1, 16))} for code in experience],
        "job_offer": job_offer,
        "eu_study": bool(rng.random() < 0.10),
        "eu_work": bool(rng.random() < 0.15),
        "talent_partnership": bool(rng.random() < 0.05),
        "preferences": preferences,
    }
