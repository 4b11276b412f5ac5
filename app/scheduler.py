"""The scheduler process: `flask scheduler run`, beside (never inside) the web workers.

Three jobs, in UTC: the nightly job at `RERANK_AT`, a check for due rounds at the start of
every minute, and the mail sender (`app.notifications.delivery`) every minute, half a minute later. All coalesce (a backlog of missed runs becomes one run) and may start late up to
`SCHEDULER_MISFIRE_SECONDS`; at most one instance of each runs at a time. APScheduler keeps its
jobs in memory, so what a restart must catch up is read from the database instead: on start the
process ranks the pool if the last nightly run was missed, starts keeping the newest run loaded
(`app.ranking_runs.warm_up`), then runs any round already due.
Exactly-once is the database's guarantee (see `app.rounds.execution`), not the scheduler's:
two scheduler processes, or a scheduler and an operator's `flask rounds run --due`, are safe.
"""
from __future__ import annotations

import datetime as dt
import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask, current_app
from flask.cli import AppGroup

from app import clock
from app.command_line import fail
from app.config import ConfigurationError, require_production_mail, setting
from app.notifications import delivery
from app.ranking_runs import nightly, run_entries, warm_up
from app.rounds import execution
from app.storage import engines

scheduler_cli = AppGroup("scheduler", help="The scheduler process (nightly job, due rounds).")
log = logging.getLogger("talentpool.scheduler")


def nightly_time(value: str) -> tuple[int, int]:
    """"HH:MM" -> (hour, minute); ValueError names the setting."""
    try:
        hour, minute = (int(part) for part in value.split(":"))
        dt.time(hour, minute)
    except (ValueError, TypeError):
        raise ValueError(f"RERANK_AT: {value!r} is not a time like 02:00") from None
    return hour, minute


def nightly_job(app: Flask) -> None:
    with app.app_context():
        for line in nightly.run():
            log.info("nightly: %s", line)


def due_rounds_job(app: Flask) -> None:
    with app.app_context():
        for line in execution.run_due():
            if line != "no rounds due":
                log.info("rounds: %s", line)


def mail_job(app: Flask) -> None:
    with app.app_context():
        outcome = delivery.send_due()
        if outcome.sent or outcome.retried or outcome.dead or outcome.interrupted:
            log.info("mail: %s", outcome.summary())


def missed_nightly(app: Flask) -> bool:
    """Whether the most recent nightly time passed without a complete run on or after its date."""
    with app.app_context():
        hour, minute = nightly_time(setting("RERANK_AT"))
        now = clock.now()
        last = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if last > now:
            last -= dt.timedelta(days=1)
        with engines.reader().connect() as connection:
            run = run_entries.latest_complete(connection)
        return run is None or run.run_date < last.date()


def catch_up(app: Flask) -> None:
    """What a restart owes: a missed nightly run, then rounds already due.

    In between, the process starts keeping the newest run loaded (`warm_up`, as each web worker
    does): a round draws from the run's entries, and reading them is most of a first round's
    time in a fresh process (seconds at 1M, far more at 10M). Started after the catch-up
    ranking, which keeps the run it wrote, so that the old run is not read for nothing; a due
    round arriving while the run loads waits for that load."""
    if missed_nightly(app):
        log.info("catching up the nightly job")
        nightly_job(app)
    warm_up.start(app)
    due_rounds_job(app)


def build(app: Flask) -> BlockingScheduler:
    """The scheduler with its jobs (not started)."""
    with app.app_context():
        hour, minute = nightly_time(setting("RERANK_AT"))
        misfire = int(setting("SCHEDULER_MISFIRE_SECONDS"))
    scheduler = BlockingScheduler(timezone=dt.UTC, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": misfire})
    scheduler.add_job(nightly_job, CronTrigger(hour=hour, minute=minute, timezone=dt.UTC), args=[app],
                      id="nightly", name="nightly re-rank, expiries and purge")
    scheduler.add_job(due_rounds_job, CronTrigger(second=0, timezone=dt.UTC), args=[app],
                      id="due-rounds", name="run due invitation rounds")
    scheduler.add_job(mail_job, CronTrigger(second=30, timezone=dt.UTC), args=[app],
                      id="mail", name="deliver the outbox")
    scheduler.add_job(catch_up, "date", run_date=clock.now(), args=[app], id="catch-up",
                      name="catch up after a start")
    return scheduler


def run(app: Flask) -> None:
    """Run until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = build(app)

    def stop(_signal, _frame):
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("started: nightly job at %s UTC, due rounds and mail every minute", app.config["RERANK_AT"])
    scheduler.start()
    log.info("stopped")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler in this process until Ctrl-C (never start it inside web workers)."""
    try:
        nightly_time(current_app.config["RERANK_AT"])
        require_production_mail(current_app)
    except (ValueError, ConfigurationError) as error:
        fail(str(error))
    run(current_app._get_current_object())


def init_app(app: Flask) -> None:
    """Register `flask scheduler`."""
    app.cli.add_command(scheduler_cli)
