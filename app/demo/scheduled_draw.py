"""A demonstration draw, so `make run` shows rounds happening within a couple of minutes.

Only on the demonstration database (the one `flask demo seed` made), and only when no round is
waiting already, so restarting does not pile draws up.
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.demo.seed import DOMAIN
from app.rounds.models import Round, RoundStatus
from app.rounds.scheduling import invitations_planned, round_key, to_minute
from app.states.models import MemberState

# Share of the pool each state invites in the demonstration draw (they run together).
DEMO_SHARES = {"DE": 0.012, "NL": 0.006, "FR": 0.005, "IE": 0.005, "SE": 0.004, "AT": 0.003}


def schedule(session: Session, pool_size: int) -> str:
    """Schedule the draw at the start of the minute after next; say what was done."""
    if session.exec(select(Account.id).where(Account.email == f"admin@{DOMAIN}")).first() is None:
        return "demo round: not a demonstration database; nothing scheduled"
    now = clock.now()
    waiting = session.exec(select(Round.key).where(Round.status == RoundStatus.SCHEDULED,
                                                   Round.scheduled_at > now)).first()
    if waiting is not None:
        return f"demo round: {waiting} is already waiting; nothing scheduled"
    moment = to_minute(now) + timedelta(minutes=2)
    keys = []
    for code, share in DEMO_SHARES.items():
        state = session.get(MemberState, code)
        left = (state.annual_invitation_ceiling or 0) - invitations_planned(session, code, moment)
        size = min(max(1, round(pool_size * share)), left)
        if size <= 0:
            continue
        keys.append(round_key(code, moment))
        session.add(Round(key=keys[-1], state_code=code, scheduled_at=moment, size=size, created_at=now))
    return f"demo round: {', '.join(keys) or 'nothing (ceilings used up)'} scheduled at {moment:%H:%M} UTC"
