"""A candidate's expression of interest: submit, read with its score, renew, withdraw."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from flask import current_app
from sqlalchemy import update
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit import trail
from app.errors import Conflict, InvalidInput, NotFound
from app.handoff import misrepresentation
from app.hiring import verified_offers
from app.invitations import lifecycle as invitation_lifecycle
from app.invitations.models import Invitation, InvitationStatus
from app.profiles import encoding, score_report
from app.profiles.models import Profile, ProfileStatus
from app.ranking_runs import candidate_standing, provisional_standing, run_entries
from app.states import grid as grids
from app.states import participation

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


@dataclass(frozen=True)
class Scored:
    """A profile's scoring, done before any write: the grid, its record, today's score and its explanation."""

    grid: object
    records: np.ndarray
    scored: object
    report: dict


def score(grid, records: np.ndarray) -> Scored:
    """Score `records` (one profile) today, with the explanation the API shows."""
    today = clock.today()
    scored = grid.score(records, as_of=today)
    return Scored(grid, records, scored, score_report.explain(grid, records, today, scored))


@dataclass(frozen=True)
class Draft:
    """A validated submission, encoded and scored, ready to be written (`submit`)."""

    values: dict
    scoring: Scored


def draft(session: Session, data: dict, account: Account | None = None) -> Draft:
    """Encode and score a submission; only reads, so it can run before the write transaction.

    This is the slow part of a submission (the grid is compiled again after an overlay change,
    the engine validates, encodes and scores); `PUT /me/profile` does it under a read transaction
    only, so that on SQLite it does not hold the database's one write lock (issue 9). The record
    carries `account`'s verified job offer, if any (`hiring.verified_offers`).
    """
    refuse_states_not_taking_part(session, data.get("preferences") or [])
    grid = grids.current(session)
    values = encoding.stored(grid, data, verified_offers.engine_inputs(session, account.id) if account else None)
    return Draft(values, score(grid, grid.records_from_bytes(values["record"])))


def submit(session: Session, account: Account, data: dict | Draft) -> Profile:
    """Create or replace the candidate's profile and confirm it; the first-submission time stays.

    Everything this decides from (is there a profile, in what state) is read here, after the
    account's lock, so two submissions at once serialise on it. Refused while the candidate is
    barred for a false claim (`handoff.misrepresentation`)."""
    submission = data if isinstance(data, Draft) else draft(session, data, account)
    _lock_account(session, account)
    now = clock.now()
    misrepresentation.refuse_if_barred(session, account.id, now)
    values = dict(submission.values)
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


def refuse_states_not_taking_part(session: Session, preferences: list[str]) -> None:
    """422 naming `preferences` if it holds a state that does not take part (or is recorded to stop)."""
    refusable = participation.refused_choices(session, clock.today()) if preferences else frozenset()
    refused = [code for code in preferences if code in refusable]
    if refused:
        raise InvalidInput(f"{', '.join(refused)} does not take part in the Talent Pool; choose another state.",
                           {"json": {"preferences": [f"{code} does not take part in the pool." for code in refused]}})


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


@dataclass(frozen=True)
class Around:
    """What a profile response shows besides the profile itself, which depends only on the account
    and today's score: the rule changes ahead, the latest run, the candidate's entry in it and what
    a provisional standing counts. Only reads, so a submission reads it before its write
    transaction, which then holds SQLite's one write lock for the writes alone."""

    upcoming_changes: list[dict]
    run: object
    own: candidate_standing.Entry | None
    counted: provisional_standing.Counted | None


def around(session: Session, account_id: int, scoring: Scored) -> Around:
    """`Around` of the candidate `account_id` scored `scoring` today."""
    connection = session.connection()
    run = run_entries.latest_complete(connection)
    own = None if run is None else candidate_standing.entry(connection, run.id, account_id)
    scored = scoring.scored
    counted = provisional_standing.counted(connection, run, own, scored.states[0], scored.state_totals[0],
                                           grids.state_codes(scoring.grid))
    upcoming = score_report.upcoming_changes(session, scoring.records, clock.today(), scoring.report)
    return Around(upcoming, run, own, counted)


def view(session: Session, profile: Profile, scoring: Scored | None = None, read: Around | None = None) -> dict:
    """The profile as the API shows it: inputs, where it stands, and its score today (`scoring`, if
    the caller has scored it already, and what surrounds it, `read`, if the caller has read that)."""
    if scoring is None:
        grid = grids.current(session)
        scoring = score(grid, encoding.records_of(grid, profile,
                                                  verified_offers.engine_inputs(session, profile.account_id)))
    read = read or around(session, profile.account_id, scoring)
    status = effective_status(profile)
    return {
        **profile.document,
        "candidate_id": profile.account_id,
        "status": status,
        "first_submitted_at": profile.first_submitted_at,
        "updated_at": profile.updated_at,
        "confirmed_at": profile.confirmed_at,
        "expires_at": profile.expires_at,
        "score": scoring.report,
        "upcoming_changes": read.upcoming_changes,
        "standing": candidate_standing.of_entry(read.run, read.own, grids.state_codes(scoring.grid)),
        # The rank today's totals would hold in the latest run, only while the profile is in the pool.
        "provisional_standing": provisional_standing.rank(read.counted, profile.account_id, profile.first_submitted_us)
        if status == ProfileStatus.ACTIVE else None,
    }
