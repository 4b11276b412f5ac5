"""Start the real server the way production does: gunicorn with the shipped `gunicorn.conf.py`."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
CHEAP_HASHING = {"TALENTPOOL_ARGON2_TIME_COST": "1", "TALENTPOOL_ARGON2_MEMORY_COST": "8",
                 "TALENTPOOL_ARGON2_PARALLELISM": "1"}


def status_of(address, path: str, timeout: float = 30) -> int:
    """The status of `GET path`, or an OSError (a timeout included) when there is no answer in time."""
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def serve(database_url: str, log_path: Path, env: dict | None = None):
    """A generator: gunicorn on a free loopback port (bound through `TALENTPOOL_BIND`); yields (host, port).

    It waits until `/healthz` answers, and prints gunicorn's log when it stops (so a failure shows it).
    """
    address = ("127.0.0.1", free_port())
    environment = {**os.environ, **CHEAP_HASHING, "TALENTPOOL_DATABASE_URL": database_url,
                   "TALENTPOOL_BIND": "%s:%d" % address, "TALENTPOOL_SECRET_KEY": "e2e-" + "x" * 40,
                   # Production refuses to start without one; nothing is sent unless a test runs the sender.
                   "TALENTPOOL_MAIL_HOST": "127.0.0.1",
                   "WEB_CONCURRENCY": "2", **(env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                                   cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180  # a loaded machine imports slowly
            while True:
                try:
                    if status_of(address, "/healthz") == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {log_path.read_text(errors='replace')}")
                time.sleep(0.1)
            yield address
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(log_path.read_text(errors="replace"))
