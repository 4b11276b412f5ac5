"""The nightly job, in the order that makes the ranking right.

Overdue invitations expire first (those candidates return to the pool, or leave it after too many
unanswered), then profiles past their validity leave it, then vacancies past their closing date close, then the reminders and warnings go out,
then old data is purged, then states that stop taking part that day leave candidates' preferences
(`app.states.departures`), then records whose verified job offer changed are encoded again
(`hiring.verified_offers.reconcile`), and only then is the pool ranked: the new ranking sees exactly
who is in the pool tonight; then every open vacancy's top 100 findable candidates are stored
(`hiring.matches.store_nightly`: a new generation written in bulk in its own short transactions,
switched to in the last, like the run). Last, candidates whose total a rule change moved
are told (`app.notifications.rule_change_notices`; also after a night already ranked, so a crash
before the notices is mended by running the job again). Each step is its own unit of work
(`db.unit_of_work()`; the re-rank and the matches have their own transactions, see
`app.ranking_runs.rerank` and `app.hiring.match_generations`) and is
safe to repeat, so a crash half-way is mended by running the job again; one transaction for all
would hold the write lock through the whole job.
"""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from app import clock, db
from app.config import setting
from app.employers import vacancies
from app.hiring import matches, verified_offers
from app.invitations import lifecycle as invitations
from app.invitations import reminders
from app.notifications import rule_change_notices
from app.privacy import retention
from app.profiles import expiry, reencoding
from app.ranking_runs import rerank, run_removal
from app.states import departures
from app.storage import engines


def run(run_date: dt.date | None = None, *, replace: bool = False) -> list[str]:
    """Expire, purge, re-rank; returns one line per step for the log."""
    now = clock.now()
    run_date = run_date or now.date()
    with db.unit_of_work() as session:
        lines = [f"invitations expired: {invitations.expire(session, now)}"]
    with db.unit_of_work() as session:
        lines.append(f"profiles expired: {expiry.expire(session, now)}")
    with db.unit_of_work() as session:
        lines.append(f"vacancies closed past their closing date: "
                     f"{vacancies.close_past_closing_date(session, run_date)}")
    with db.unit_of_work() as session:
        lines.append(f"reminders: {reminders.remind(session, now)} invitations, {expiry.warn(session, now)} profiles")
    with db.unit_of_work() as session:
        purged = retention.purge(session, now, runs_kept=setting("RANKING_RUNS_KEPT"),
                                 profile_days=setting("PROFILE_RETENTION_DAYS"),
                                 session_days=setting("SESSION_RETENTION_DAYS"),
                                 message_days=setting("MAIL_RETENTION_DAYS"))
    for run_id in purged.run_ids:
        run_removal.remove(engines.writer(), run_id)
    lines.append(f"purged: {purged.runs} ranking runs, {purged.profiles} profiles, {purged.tokens} tokens, "
                 f"{purged.login_failures} failed sign-ins, {purged.messages} messages, "
                 f"shared data of {purged.shared} applications")
    with db.unit_of_work() as session:
        removed = departures.remove_departed_states(session, run_date)
    lines.append(f"preferences cleared of states no longer taking part: {removed} profiles")
    with db.unit_of_work() as session:
        lines.append(f"records brought up to date with their verified job offers: {verified_offers.reconcile(session)}")
    try:
        lines.append(rerank_line(rank(run_date, replace=replace)))
    except rerank.AlreadyRanked as reason:
        lines.append(f"not ranked again: {reason}")
    except rerank.StaleRecords as reason:
        lines.append(f"not ranked: {reason}")
    try:
        lines.append(matches.nightly_line(matches.store_nightly()))
    except (rerank.StaleRecords, matches.StoringElsewhere) as reason:
        lines.append(f"vacancy matches not stored: {reason}")
    lines.append(f"rule-change notices: {rule_change_notices.notify(run_date)}")
    return lines


def rank(run_date: dt.date, *, replace: bool = False) -> rerank.RerankReport:
    """Rank the pool for `run_date` with the rules in force on that date (AlreadyRanked if done).

    Profiles encoded under another grid contract are re-encoded first (after a grid change that
    is the whole pool, once); StaleRecords if some documents no longer encode under the grid."""
    with Session(engines.reader()) as session:
        rules = rerank.rules_in_force(session, run_date)
    reencoding.reencode(rules.grid)
    return rerank.rerank(engines.reader(), engines.writer(), rules, run_date, replace=replace)


def rerank_line(report: rerank.RerankReport) -> str:
    return (f"ranked {report.candidates} candidates ({report.eligible} eligible somewhere) for "
            f"{report.run_date} as run {report.run_id}: read {report.seconds_reading:.2f} s, "
            f"scored {report.seconds_scoring:.2f} s, wrote {report.seconds_writing:.2f} s "
            f"({report.write_transactions} transactions, the longest {report.longest_write_transaction:.2f} s)")
