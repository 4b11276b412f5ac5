"""Helpers of the rounds tests: a synthetic pool, rounds put straight into the table, the jobs."""
from __future__ import annotations

import datetime as dt

from reference.deferred_acceptance import deferred_acceptance
from sqlmodel import select

from app import clock, db
from app.demo import synthetic_pool
from app.invitations.models import Invitation
from app.profiles.models import Profile
from app.ranking_runs import nightly, run_entries
from app.rounds import execution
from app.rounds.models import Round
from app.rounds.scheduling import round_key, to_minute
from app.states import grid
from app.states.models import MemberState
from app.storage import engines


def add_pool(app, count: int, *, seed: int = 0, first_id: int = 100_000):
    """`count` synthetic active candidates (ids from `first_id`); returns their ids."""
    with app.app_context():
        eu = grid.shipped_grid()
        return synthetic_pool.write(engines.writer(), eu, synthetic_pool.records(eu, count, seed), first_id,
                                    clock.now(), seed)


def rank(app, day: dt.date | None = None, *, replace: bool = False):
    with app.app_context():
        return nightly.rank(day or clock.today(), replace=replace)


def nightly_job(app):
    with app.app_context():
        return nightly.run()


def set_ceiling(app, state: str, ceiling: int | None) -> None:
    with app.app_context():
        session = db.session(write=True)
        row = session.get(MemberState, state)
        row.annual_invitation_ceiling = ceiling
        session.add(row)
        session.commit()


def due_rounds(app, sizes: dict[str, int], *, minutes_ago: int = 1, **extra) -> list[str]:
    """Rounds for `sizes` (state -> invitations) due `minutes_ago`; returns their keys."""
    with app.app_context():
        moment = to_minute(clock.now()) - dt.timedelta(minutes=minutes_ago)
        session = db.session(write=True)
        keys = []
        for state, size in sizes.items():
            keys.append(round_key(state, moment))
            session.add(Round(key=keys[-1], state_code=state, scheduled_at=moment, size=size,
                              created_at=clock.now(), **extra))
        session.commit()
        return keys


def run_due(app) -> list[str]:
    with app.app_context():
        return execution.run_due()


def rounds_by_key(app, keys) -> dict[str, Round]:
    with app.app_context():
        rows = db.session().exec(select(Round).where(Round.key.in_(keys))).all()
        return {row.key: row for row in rows}


def invitations(app) -> list[Invitation]:
    with app.app_context():
        return list(db.session().exec(select(Invitation).order_by(Invitation.id)).all())


def statuses(app, candidate_ids) -> dict[int, str]:
    with app.app_context():
        rows = db.session().exec(select(Profile.account_id, Profile.status)
                                 .where(Profile.account_id.in_([int(i) for i in candidate_ids]))).all()
        return dict(rows)


def textbook(app, run_id, sizes, excluded=()):
    """The invitations plain deferred acceptance gives for the run's entries (candidate id -> state)."""
    codes = grid.state_codes()
    with app.app_context():
        with engines.reader().connect() as connection:
            entries = run_entries.read(connection, run_id)
    candidates = []
    for i, cid in enumerate(entries.candidate_ids.tolist()):
        choices = [(codes[int(s)], int(score)) for s, score, r in
                   zip(entries.preferences[i], entries.scores[i], entries.ranks[i])
                   if s >= 0 and r > 0 and codes[int(s)] in sizes and cid not in excluded]
        candidates.append({"id": cid, "submitted_at": int(entries.submitted_us[i]), "choices": choices})
    held = deferred_acceptance(candidates, dict(sizes))
    return {candidates[i]["id"]: state for i, state in held.items()}
