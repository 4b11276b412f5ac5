"""A candidate's expression of interest: submit, read with its score, renew, withdraw."""
from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import update
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict, NotFound
from app.handoff import misrepresentation
from app.invitations import lifecycle as invitation_lifecycle
from app.invitations.models import Invitation, InvitationStatus
from app.profiles import encoding, score_report
from app.profiles.models import Profile, ProfileStatus
from app.ranking_runs import candidate_standing, provisional_standing
from app.states import grid as grids

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NOT_IN_POOL = "You have no expression of interest in the pool; submit one with PUT /api/v1/me/profile."


def add_months(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months later (31 January + 1 month = 28 or 29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def effective_status(profile: Profile) -> str:
    """The status, counting an active profile past its expiry as expired (the nightly job writes it)."""
    if profile.status == ProfileStatus.ACTIVE and profile.expires_at <= clock.now():
        return ProfileStatus.EXPIRED
    return profile.status


def _lock_account(session: Session, account: Account) -> None:
    # Serialises concurrent submissions of one candidate on PostgreSQL (SQLite: BEGIN IMMEDIATE does it).
    session.exec(select(Account.id).where(Account.id == account.id).with_for_update()).one()


def _find(session: Session, account: Account) -> Profile | None:
    return session.exec(select(Profile).where(Profile.account_id == account.id)).first()


def submit(session: Session, account: Account, data: dict) -> Profile:
    """Create or replace the candidate's profile and confirm it; the first-submission time stays.

    Refused while the candidate is barred for a false claim (`handoff.misrepresentation`).
    """
    _lock_account(session, account)
    now = clock.now()
    misrepresentation.refuse_if_barred(session, account.id, now)
    grid = grids.current(session)
    values = encoding.stored(grid, data)
    profile = _find(session, account)
    if profile is not None and profile.status in (ProfileStatus.INVITED, ProfileStatus.ACCEPTED):
        raise Conflict(f"Your profile is {profile.status} in an invitation round and can no longer change; "
                       "withdraw it first (DELETE /api/v1/me/profile) to enter the pool again.")
    if profile is None:
        profile = Profile(account_id=account.id, **_queue_place(now), **_times(now), **values)
    else:
        if effective_status(profile) != ProfileStatus.ACTIVE:
            # Back in the pool after withdrawing, expiring or removal: the queue place starts again.
            values.update(_queue_place(now), withdrawn_at=None, removed_at=None, removal_reason=None)
        for name, value in {**values, **_times(now)}.items():
            setattr(profile, name, value)
    profile.status = ProfileStatus.ACTIVE
    session.add(profile)
    return profile


def _queue_place(now: datetime) -> dict:
    return {"first_submitted_at": now, "first_submitted_us": (now - EPOCH) // timedelta(microseconds=1)}


def _times(now: datetime) -> dict:
    months = current_app.config["PROFILE_VALIDITY_MONTHS"]
    return {"updated_at": now, "confirmed_at": now, "expires_at": add_months(now, months)}


def get(session: Session, account: Account) -> Profile:
    """The candidate's profile in the pool (active, invited, accepted or expired), or 404."""
    profile = _find(session, account)
    if profile is None or profile.status == ProfileStatus.WITHDRAWN:
        raise NotFound(NOT_IN_POOL)
    return profile


def renew(session: Session, account: Account) -> Profile:
    """Confirm the profile for another validity period, keeping the queue place."""
    _lock_account(session, account)
    profile = get(session, account)
    status = effective_status(profile)
    if status != ProfileStatus.ACTIVE:
        raise Conflict(f"Your profile is {status}; submit it again with PUT /api/v1/me/profile.")
    now = clock.now()
    profile.confirmed_at = now
    profile.expires_at = _times(now)["expires_at"]
    session.add(profile)
    return profile


def withdraw(session: Session, account: Account) -> None:
    """Leave the pool. The row stays (marked withdrawn) until the candidate erases their data.

    A pending invitation is declined in the same transaction: a withdrawn candidate cannot
    apply, and the state's round records should say so rather than wait for the expiry. An
    accepted one is marked withdrawn (and audited, under the inviting state): the state's view
    of its invitees says so and stops showing the profile, and the candidate is free to enter
    the pool again and be invited like anyone else.
    """
    _lock_account(session, account)
    profile = get(session, account)
    now = clock.now()
    profile.status = ProfileStatus.WITHDRAWN
    profile.withdrawn_at = now
    session.add(profile)
    invitations = Invitation.__table__
    session.exec(update(invitations).where(
        invitations.c.candidate_id == account.id, invitations.c.status == InvitationStatus.PENDING.value,
    ).values(status=InvitationStatus.DECLINED.value, responded_at=now))
    withdrawn = invitation_lifecycle.withdraw_acceptance(session, account.id, now)
    if withdrawn is not None:
        trail.record(session, account, "invitation.acceptance_withdrawn", f"invitation:{withdrawn.id}",
                     state_code=withdrawn.state_code, details={"candidate": account.reference})


def view(session: Session, profile: Profile) -> dict:
    """The profile as the API shows it: inputs, where it stands, and its score today."""
    grid = grids.current(session)
    records = encoding.records_of(grid, profile)
    return {
        **profile.document,
        "candidate_id": profile.account_id,
        "status": effective_status(profile),
        "first_submitted_at": profile.first_submitted_at,
        "updated_at": profile.updated_at,
        "confirmed_at": profile.confirmed_at,
        "expires_at": profile.expires_at,
        "score": score_report.explain(grid, records, clock.today()),
        "standing": candidate_standing.of_candidate(session, profile.account_id),
        "provisional_standing": _provisional(session, grid, profile, records),
    }


def _provisional(session: Session, grid, profile: Profile, records) -> dict | None:
    """The rank today's totals would hold in the latest run (only while the profile is in the pool)."""
    if effective_status(profile) != ProfileStatus.ACTIVE:
        return None
    scored = grid.score(records, as_of=clock.today())
    return provisional_standing.of_candidate(session.connection(), profile.account_id, profile.first_submitted_us,
                                             scored.states[0], scored.state_totals[0], grids.state_codes(grid))
