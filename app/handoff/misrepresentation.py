"""A false claim found by the inviting state: out of the pool, barred for years, liftable by an administrator.

Only an official of the state that invited the candidate can record one, against that
invitation, naming the claim (one of the profile's inputs, as the grid names them) and the
reference of the decision in its procedure: the finding is the state's, under its own law, and
the pool only draws the consequence. The bar is a row with its end date, never a flag on the
profile, so it survives the candidate withdrawing or erasing the profile and is checked on every
submission; a keyed hash of the address is kept with it while it lasts, so erasure and a new
registration with that address do not escape it (`barred_addresses`). The candidate is told why and how to contest; an administrator lifts the bar when the
finding is set aside. Everything is audited.
"""
from __future__ import annotations

import calendar
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account, Role
from app.audit import trail
from app.config import setting
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.handoff import barred_addresses
from app.handoff.models import Misrepresentation
from app.hiring.verified_offers import candidate_inputs
from app.invitations.models import Invitation, InvitationStatus
from app.notifications.candidate_notices import enqueue_all, notice
from app.profiles.models import Profile, ProfileStatus, RemovalReason
from app.states import grid as grids

AFTER_ACCEPTANCE = (InvitationStatus.ACCEPTED.value, InvitationStatus.WITHDRAWN.value)


def years_later(moment: datetime, years: int) -> datetime:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    year = moment.year + years
    return moment.replace(year=year, day=min(moment.day, calendar.monthrange(year, moment.month)[1]))


def claims() -> tuple[str, ...]:
    """What a finding can name: the profile's inputs as the grid names them."""
    return tuple(candidate_inputs(grids.shipped_grid().inputs).fields)


def active_bar(session: Session, candidate_id: int, now: datetime) -> Misrepresentation | None:
    return session.exec(select(Misrepresentation).where(
        Misrepresentation.candidate_id == candidate_id, Misrepresentation.lifted_at.is_(None),
        Misrepresentation.barred_until > now).order_by(Misrepresentation.barred_until.desc())).first()


def refuse_if_barred(session: Session, candidate_id: int, now: datetime) -> None:
    """409 naming the end of the bar and how to contest, while a finding bars the candidate."""
    bar = active_bar(session, candidate_id, now)
    if bar is not None:
        raise Conflict(f"{bar.state_code} found a claim in your profile false (decision {bar.decision_reference}), "
                       f"so you cannot enter the pool before {bar.barred_until:%Y-%m-%d}. To contest it, use "
                       f"{bar.state_code}'s remedies against that decision; if it is set aside, an administrator "
                       "can lift the bar.")


def record(session: Session, official: Account, invitation_id: int, claim: str,
           decision_reference: str) -> Misrepresentation:
    """The official's state found `claim` false: remove the candidate's profile and bar them."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or official.role != Role.OFFICIAL or invitation.state_code != official.state_code:
        raise NotFound(f"Your state has no invitee with the invitation {invitation_id}.")
    if invitation.status not in AFTER_ACCEPTANCE:
        raise Conflict("A false claim can be recorded only against an accepted invitation.")
    if claim not in claims():
        raise InvalidInput("Name the claim that was found false.",
                           {"json": {"claim": [f"One of: {', '.join(claims())}."]}})
    if not decision_reference.strip():
        raise InvalidInput("Give the reference of the decision.", {"json": {"decision_reference": ["Required."]}})
    now = clock.now()
    finding = Misrepresentation(candidate_id=invitation.candidate_id, invitation_id=invitation.id,
                                state_code=invitation.state_code, claim=claim,
                                decision_reference=decision_reference.strip(), recorded_at=now,
                                recorded_by=official.id,
                                barred_until=years_later(now, setting("MISREPRESENTATION_BAR_YEARS")))
    barred = session.get(Account, invitation.candidate_id)
    if barred is not None and barred.email:
        finding.address_digest = barred_addresses.digest(barred.email)
    session.add(finding)
    profiles = Profile.__table__
    session.exec(update(profiles).where(
        profiles.c.account_id == invitation.candidate_id,
        profiles.c.status.in_([s.value for s in ProfileStatus if s != ProfileStatus.WITHDRAWN]),
    ).values(status=ProfileStatus.REMOVED.value, removed_at=now,
             removal_reason=RemovalReason.MISREPRESENTATION.value))
    session.flush()
    trail.record(session, official, "misrepresentation.recorded", f"invitation:{invitation.id}",
                 state_code=invitation.state_code,
                 details={"claim": claim, "decision_reference": finding.decision_reference,
                          "barred_until": finding.barred_until.isoformat(), "finding": finding.id})
    enqueue_all(session.connection(), "pool_removal", [notice(
        invitation.candidate_id, f"misrepresentation:{finding.id}", reason=RemovalReason.MISREPRESENTATION.value,
        state=finding.state_code, claim=claim, reference=finding.decision_reference,
        barred_until=finding.barred_until)])
    return finding


def lift(session: Session, admin: Account, finding_id: int, reason: str) -> Misrepresentation:
    """An administrator lifts a bar (the finding was set aside): the candidate may enter again."""
    if admin.role != Role.ADMIN:
        raise Forbidden("Only an administrator can lift a bar.")
    finding = session.get(Misrepresentation, finding_id)
    if finding is None:
        raise NotFound(f"There is no finding {finding_id}.")
    if finding.lifted_at is not None:
        raise Conflict(f"This bar was lifted on {finding.lifted_at:%Y-%m-%d}.")
    if not reason.strip():
        raise InvalidInput("Say why the bar is lifted.", {"json": {"reason": ["Required."]}})
    finding.lifted_at, finding.lifted_by, finding.lift_reason = clock.now(), admin.id, reason.strip()
    finding.address_digest = None  # the bar is over: the address is no longer kept
    session.add(finding)
    trail.record(session, admin, "misrepresentation.lifted", f"misrepresentation:{finding.id}",
                 state_code=finding.state_code, details={"reason": finding.lift_reason})
    enqueue_all(session.connection(), "misrepresentation_lifted", [notice(
        finding.candidate_id, f"misrepresentation-lifted:{finding.id}", state=finding.state_code,
        reference=finding.decision_reference)])
    return finding


def of_candidate(session: Session, candidate_id: int) -> list[Misrepresentation]:
    """One candidate's findings, newest first (their data export)."""
    return list(session.exec(select(Misrepresentation).where(Misrepresentation.candidate_id == candidate_id)
                             .order_by(Misrepresentation.id.desc())).all())


class Standing(StrEnum):
    """Where a finding's bar stands: in force, lifted by an administrator, or run out."""

    ACTIVE = "active"
    LIFTED = "lifted"
    ENDED = "ended"


def standing(finding: Misrepresentation, now: datetime) -> Standing:
    if finding.lifted_at is not None:
        return Standing.LIFTED
    return Standing.ACTIVE if finding.barred_until > now else Standing.ENDED


def get(session: Session, finding_id: int) -> Misrepresentation | None:
    return session.get(Misrepresentation, finding_id)


def findings(session: Session, state_code: str | None, where: Standing | None, now: datetime) -> list[Misrepresentation]:
    """Findings, newest first: one state's (or every state's), those whose bar stands `where` (or all)."""
    statement = select(Misrepresentation).order_by(Misrepresentation.id.desc())
    if state_code:
        statement = statement.where(Misrepresentation.state_code == state_code)
    lifted, running = Misrepresentation.lifted_at, Misrepresentation.barred_until
    if where == Standing.ACTIVE:
        statement = statement.where(lifted.is_(None), running > now)
    elif where == Standing.LIFTED:
        statement = statement.where(lifted.is_not(None))
    elif where == Standing.ENDED:
        statement = statement.where(lifted.is_(None), running <= now)
    return list(session.exec(statement).all())


def of_state(session: Session, state_code: str | None) -> list[Misrepresentation]:
    """Findings, newest first (one state's, or all for an administrator)."""
    statement = select(Misrepresentation).order_by(Misrepresentation.id.desc())
    if state_code:
        statement = statement.where(Misrepresentation.state_code == state_code)
    return list(session.exec(statement).all())
