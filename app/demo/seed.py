"""Demonstration data for `make run` and for trying the system at scale: officials for every
state, an administrator, and a pool of synthetic candidates with plausible (not real)
distributions of age, education, languages, occupations and preferences. Runs only on a
database without accounts, so it never mixes with real data, and a second run adds nothing.

The candidates are `synthetic_pool`'s, drawn as whole arrays and written in bulk through Arrow
(a million in seconds, not one Python object per candidate). Every demonstration account shares
one password (`DEMO_PASSWORD`), hashed once: hashing thousands of argon2id passwords would take
minutes and protects nothing here. Every address counts as verified. The officials and the
administrator come enrolled in two-factor sign-in with one fixed development secret
(`DEMO_TOTP_SECRET`): `flask accounts otp EMAIL` prints a code in development, and the secret can
be added to an authenticator app by hand.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable

import numpy as np
from flask import current_app
from sqlalchemy import Engine, insert
from sqlmodel import Session, func, select

from app import clock
from app.accounts import two_factor
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.demo import synthetic_pool
from app.states.models import MemberState

DOMAIN = "demo.talentpool.eu"
# Where candidates would like to go, roughly by labour-market pull (demonstration weights); not
# Denmark, which does not take part (Protocol 22), so no demonstration profile chooses it.
STATE_WEIGHTS = {"DE": 20, "NL": 10, "IE": 8, "FR": 8, "SE": 6, "ES": 6, "IT": 5, "AT": 5, "BE": 5,
                 "FI": 3, "PL": 3, "PT": 3, "LU": 2, "CZ": 2, "MT": 1, "EE": 1, "SI": 1, "GR": 1, "HR": 1,
                 "SK": 1, "LT": 1, "LV": 1, "HU": 1, "RO": 1, "BG": 1, "CY": 1}
DEFAULT_SEED = 20261122
# Public on purpose: demonstration accounts only, never a real one (README "Demonstration data").
DEMO_TOTP_SECRET = "DEMOTALENTPOOLDEVELOPMENTONLY234"


def refusal(session: Session) -> str | None:
    """Why nothing may be seeded (the database has accounts already), or None."""
    accounts = session.exec(select(func.count()).select_from(Account)).one()
    if accounts:
        return f"demo seed: the database already has {accounts} accounts; nothing added"
    return None


def add_staff(session: Session, seed: int = DEFAULT_SEED) -> int:
    """An administrator and one official per state (sharing the demo password), and demonstration
    ceilings; how many officials. In the caller's unit of work."""
    now = clock.now()
    password_hash = hash_password(current_app.config["DEMO_PASSWORD"])
    staff = [_account(f"admin@{DOMAIN}", password_hash, Role.ADMIN, None, now)]
    states = session.exec(select(MemberState).order_by(MemberState.code)).all()
    rng = np.random.default_rng(seed)
    for state in states:
        staff.append(_account(f"official.{state.code.lower()}@{DOMAIN}", password_hash, Role.OFFICIAL, state.code,
                              now))
        state.annual_invitation_ceiling = int(rng.integers(5, 60)) * 100 * STATE_WEIGHTS.get(state.code, 1)
        state.ceiling_updated_at = now
        session.add(state)
    session.execute(insert(Account.__table__), staff)
    for account_id in session.exec(select(Account.id).where(Account.role != Role.CANDIDATE)).all():
        two_factor.enrol_with_secret(session, account_id, DEMO_TOTP_SECRET)
    return len(states)


def add_candidates(engine: Engine, grid, count: int, first_id: int, seed: int = DEFAULT_SEED, *,
                   progress: Callable[[int], None] = lambda done: None) -> np.ndarray:
    """`count` synthetic active candidates who can sign in (`candidate00001@…`), ids from `first_id`,
    written in bulk on `engine` (their own transactions: call it outside any unit of work)."""
    now = clock.now()
    pool = synthetic_pool.records(grid, count, seed, as_of=now.date(), state_weights=STATE_WEIGHTS)
    password_hash = hash_password(current_app.config["DEMO_PASSWORD"])
    return synthetic_pool.write(engine, grid, pool, first_id, now, seed, email_domain=DOMAIN,
                                password_hash=password_hash, progress=progress)


def next_id(session: Session) -> int:
    """The first account id after every existing one (the synthetic candidates' ids start there)."""
    return (session.exec(select(func.max(Account.id))).one() or 0) + 1


def _account(email: str, password_hash: str, role: Role, state: str | None, now) -> dict:
    return {"reference": uuid.uuid4().hex, "email": email, "password_hash": password_hash, "role": role.value,
            "state_code": state, "created_at": now, "email_verified_at": now}
