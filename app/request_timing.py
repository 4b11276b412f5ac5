"""Where a request's time goes, measured by the server: a `Server-Timing` header and a log line.

Off by default (`SERVER_TIMING`); the load benchmark turns it on (`TALENTPOOL_SERVER_TIMING=true`)
to tell the time a request spends in the application from the time it waits for a worker or a
thread. Per request: `app` (from the first `before_request` hook to the last `after_request` one,
so the commit is in it, the sending of the body is not), `sql` (in the database driver's
`execute`, both engines; the commit and bulk Arrow reads are not in it) and `cpu` (this thread's
CPU time over the same span: what the GIL and the other threads left it is `app` minus `cpu`
minus the waits on the database). Each is in milliseconds; the log line (logger
`talentpool.timing`, INFO) gives the endpoint and status too.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import event

log = logging.getLogger("talentpool.timing")


def init_app(app: Flask) -> None:
    """Measure every request when `SERVER_TIMING` is on; call before `db.init_request_commit`, so the
    commit is measured (after_request hooks run last-registered first)."""
    if not app.config.get("SERVER_TIMING"):
        return
    engine = app.extensions["talentpool.engine"]
    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "after_cursor_execute", _after_execute)
    if not log.handlers:  # gunicorn configures only its own loggers
        log.addHandler(logging.StreamHandler())
    log.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.timing = [time.perf_counter(), time.thread_time(), 0.0, 0]


def _before_execute(*_args) -> None:
    if has_request_context() and "timing" in g:
        g.timing_sql_started = time.perf_counter()


def _after_execute(*_args) -> None:
    if has_request_context() and "timing_sql_started" in g:
        g.timing[2] += time.perf_counter() - g.pop("timing_sql_started")
        g.timing[3] += 1


def _finish(response: Response) -> Response:
    started, cpu_started, sql, queries = g.pop("timing", (time.perf_counter(), time.thread_time(), 0.0, 0))
    total, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu_started) * 1000
    response.headers["Server-Timing"] = f"app;dur={total:.2f}, sql;dur={sql * 1000:.2f};desc=\"{queries}\", cpu;dur={cpu:.2f}"
    log.info("%s %s %s app %.2f ms sql %.2f ms (%d) cpu %.2f ms", request.method, request.endpoint, response.status_code,
             total, sql * 1000, queries, cpu)
    return response
