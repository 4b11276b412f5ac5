"""Each web worker, and the scheduler, keeps the newest ranking run loaded before anyone asks for it.

Previews, round simulations, the officials' dashboard and the public pool statistics all read
the latest complete run's entries (`run_entries.of_run`). Loading them is the slow part of the
first such request in a process: at 10M candidates, reading 720 MB of chunks, checking their
hash and decoding the slots took 9-16 s, where a request on the loaded copy takes 3-4 s. A run
changes once a night, so instead of making the first official of the day (in every worker) wait,
a thread of each worker loads the run at start and again within `RUN_WARM_UP_SECONDS` of a new
run's completion, at a lower CPU priority (`RUN_WARM_UP_NICE`) so that requests keep theirs. A
request that comes while it loads waits for that load rather than starting a second one.

The scheduler starts the same thread after its catch-up (`app.scheduler.catch_up`): a round
draws from the run's entries, and its nightly job keeps the run it wrote in any case.

The price is memory: one run per worker, held from the start instead of from the first request
(at 10M about 720 MB of entries and 500 MB decoded). `RUN_WARM_UP_SECONDS = 0` turns it off.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from app import thread_priority
from app.ranking_runs import run_entries
from app.storage import engines

log = logging.getLogger(__name__)


def warm(app: Flask) -> int | None:
    """Load the newest complete run's entries and their decoded columns, unless this process has
    them already; the run's id, or None when there is no complete run yet."""
    with app.app_context(), engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        if run is None:
            return None
        entries = run_entries.of_run(connection, run)
    for column in ("preferences", "scores", "ranks"):  # what previews and draws decode
        getattr(entries, column)
    return run.id


def start(app: Flask) -> threading.Event | None:
    """Start this process's warm-up thread; the event that stops it, or None when turned off."""
    interval = float(app.config["RUN_WARM_UP_SECONDS"])
    if interval <= 0:
        return None
    stop = threading.Event()
    threading.Thread(target=_keep_warm, args=(app, interval, stop), name="run-warm-up", daemon=True).start()
    return stop


def _keep_warm(app: Flask, interval: float, stop: threading.Event) -> None:
    thread_priority.lower(int(app.config["RUN_WARM_UP_NICE"]))
    while not stop.is_set():
        try:
            held, started = run_entries.cached_run_id(), time.perf_counter()
            loaded = warm(app)
            if loaded is not None and loaded != held:
                log.info("ranking run %s loaded in %.1f s", loaded, time.perf_counter() - started)
        except Exception:  # a database away for a moment: the next look tries again
            log.exception("Loading the newest ranking run failed; trying again in %s s", interval)
        stop.wait(interval)
