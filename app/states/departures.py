"""A state that stops taking part leaves candidates' preferences on that day, with a notice.

Run by the nightly job before the pool is ranked, as its own unit of work, so the ranking of the
day already sees the preferences without the state. Safe to repeat: a profile no longer naming
the state is not touched again, and the notice's dedupe key makes it once per candidate, state
and day. Profiles in a round (invited, accepted) are left alone: their round is under way.

The notice is in English: accounts do not record a language yet (the pages' choice lives in a
cookie), so there is no language of the candidate to send it in.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import String, cast, or_
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.hiring import verified_offers
from app.notifications import outbox
from app.profiles import encoding
from app.profiles.models import Profile, ProfileStatus
from app.states import grid as grids
from app.states import participation

NOTICE_LANGUAGE = "en"


def remove_departed_states(session: Session, day: dt.date) -> int:
    """Drop the states not taking part on `day` from active profiles' preferences; returns how many changed.

    A profile whose only choices were such states leaves the pool (withdrawn), since a profile
    must name at least one state; its notice says to choose another and submit again.
    """
    absent = participation.not_taking_part(session, day)
    if not absent:
        return 0
    # A text filter first (JSON differs between the databases), then the exact check in Python.
    mentions = or_(*(cast(Profile.document, String).like(f'%"{code}"%') for code in sorted(absent)))
    profiles = session.exec(select(Profile).where(Profile.status == ProfileStatus.ACTIVE, mentions)
                            .order_by(Profile.account_id)).all()
    grid = grids.in_force(session, day)
    changed = 0
    for profile in profiles:
        preferences = profile.document.get("preferences", [])
        removed = [code for code in preferences if code in absent]
        if not removed:
            continue
        kept = [code for code in preferences if code not in absent]
        document = {**profile.document, "preferences": kept}
        if kept:
            offer = verified_offers.engine_inputs(session, profile.account_id)
            for name, value in encoding.stored(grid, document, offer).items():
                setattr(profile, name, value)
        else:
            profile.status = ProfileStatus.WITHDRAWN
            profile.withdrawn_at = clock.now()
        session.add(profile)
        _notify(session, profile.account_id, removed, kept, day)
        changed += 1
    return changed


def _notify(session: Session, account_id: int, removed: list[str], kept: list[str], day: dt.date) -> None:
    account = session.get(Account, account_id)
    if account is None or not account.email:
        return
    outbox.enqueue(session, kind="state_left_pool", recipient=account.email, language=NOTICE_LANGUAGE,
                   context={"removed": removed, "kept": kept, "day": day}, account_id=account_id,
                   dedupe_key=f"state_left_pool:{account_id}:{'-'.join(removed)}:{day.isoformat()}")
