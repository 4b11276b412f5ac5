"""What the nightly job deletes once it is no longer needed.

Ranking runs are kept for a while so yesterday's ranking can still be explained, and for good
when a round was allocated from them: a published round must stay re-computable. Profiles that
left the pool (withdrawn or expired) go after the retention period; the account row stays, so
round records still point at a pseudonymous candidate. Dead sessions and old failed sign-ins go too,
and so do used or expired mailed links, and messages sent (or dead) more than `MAIL_RETENTION_DAYS`
ago, with the bodies no other message says: kept that long as the record of what the candidate
was told, not longer.

What was shared with a member state goes `SHARED_DATA_RETENTION_DAYS` after the application's final
outcome (`Application.shared_until`): the accepted profile is deleted and the application marked,
so the state's view shows neither profile nor address; the application itself stays, pseudonymous,
for the published counts. Profiles removed from the pool go after the same retention as withdrawn ones.
The keyed hash of a barred address (`handoff.barred_addresses`) goes the night its bar ends (or
at once, when an administrator lifts it).

Employers are organisations: their record (with the contact person's name and the postal address
they gave) and their vacancies are kept while they are registered, as the state's record of whom
it verified or suspended; nothing here deletes them. Their people's accounts are accounts like any
other: sessions, links and messages go as above, and the person is erased on request
(`privacy.erasure`), which ends their membership.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from app.accounts import throttle
from app.accounts.models import LoginFailure, MailToken, Token
from app.notifications import outbox
from app.notifications.models import MessageStatus, OutboxMessage
from app.handoff import barred_addresses
from app.handoff.models import Application
from app.profiles.models import Profile, ProfileStatus
from app.ranking_runs.models import RankingRun
from app.rounds.models import Round
from app.storage.planner_hints import not_indexed


@dataclass(frozen=True)
class Purged:
    runs: int
    profiles: int
    tokens: int
    login_failures: int
    run_ids: tuple[int, ...] = ()
    messages: int = 0
    shared: int = 0
    barred_addresses: int = 0


def old_runs(session: Session, keep: int) -> list[int]:
    """Runs beyond the newest `keep` that no round was allocated from."""
    runs = RankingRun.__table__
    newest = [row for row in session.exec(select(runs.c.id).order_by(runs.c.run_date.desc()).limit(keep)).scalars()]
    used = select(Round.__table__.c.ranking_run_id).where(Round.__table__.c.ranking_run_id.is_not(None))
    statement = select(runs.c.id).where(runs.c.id.not_in(used))
    if newest:
        statement = statement.where(runs.c.id.not_in(newest))
    return list(session.exec(statement).scalars())


def purge_messages(session: Session, now: datetime, days: int) -> int:
    """Delete sent and dead messages created more than `days` ago; pending ones wait to be sent. How many."""
    messages = OutboxMessage.__table__
    gone = session.exec(delete(messages).where(
        messages.c.status.in_([MessageStatus.SENT.value, MessageStatus.DEAD.value]),
        messages.c.created_at <= now - timedelta(days=days))).rowcount
    # And the bodies no message says any more.
    outbox.delete_unused_bodies(session.connection())
    return gone


def purge(session: Session, now: datetime, *, runs_kept: int, profile_days: int, session_days: int,
          message_days: int | None = None) -> Purged:
    """Delete what is past retention (one unit of work: the caller's), except the old ranking runs:
    `Purged.run_ids` names those, for `ranking_runs.run_removal` to delete in short transactions
    after this one commits (a million entries in one would hold SQLite's lock for seconds)."""
    stale_runs = old_runs(session, runs_kept)
    profiles = Profile.__table__
    profile_cutoff = now - timedelta(days=profile_days)
    gone_profiles = session.exec(delete(profiles).where(or_(
        (profiles.c.status == ProfileStatus.WITHDRAWN.value) & (profiles.c.withdrawn_at <= profile_cutoff),
        (profiles.c.status == ProfileStatus.EXPIRED.value) & (profiles.c.expires_at <= profile_cutoff),
        (profiles.c.status == ProfileStatus.REMOVED.value) & (profiles.c.removed_at <= profile_cutoff),
    ))).rowcount
    shared = purge_shared(session, now)
    gone_addresses = barred_addresses.purge(session, now)
    session_cutoff = now - timedelta(days=session_days)
    tokens = Token.__table__
    gone_tokens = session.exec(delete(tokens).where(or_(
        tokens.c.expires_at <= session_cutoff, tokens.c.revoked_at <= session_cutoff))).rowcount
    failures = LoginFailure.__table__
    gone_failures = session.exec(delete(failures).where(failures.c.failed_at <= session_cutoff)).rowcount
    # The sign-in limits' counters go with the failures they counted (`login_failures` counts both).
    gone_failures += throttle.purge(session, int(session_cutoff.timestamp() * 1000))
    links = MailToken.__table__
    gone_tokens += session.exec(delete(links).where(or_(
        links.c.expires_at <= session_cutoff, links.c.used_at <= session_cutoff))).rowcount
    gone_messages = 0 if message_days is None else purge_messages(session, now, message_days)
    return Purged(len(stale_runs), gone_profiles, gone_tokens, gone_failures, tuple(stale_runs),
                  gone_messages, shared, gone_addresses)


def purge_shared(session: Session, now: datetime) -> int:
    """Delete the profiles shared with a state whose retention after the final outcome has passed;
    returns how many applications had their shared data deleted."""
    applications, profiles = Application.__table__, Profile.__table__
    due = session.exec(select(applications.c.id, applications.c.candidate_id).where(
        applications.c.shared_until <= now, applications.c.shared_data_deleted_at.is_(None))).all()
    if not due:
        return 0
    session.exec(delete(profiles).where(profiles.c.account_id.in_([row.candidate_id for row in due]),
                                        not_indexed(profiles.c.status) == ProfileStatus.ACCEPTED.value))
    session.exec(applications.update().where(applications.c.id.in_([row.id for row in due]))
                 .values(shared_data_deleted_at=now))
    return len(due)

