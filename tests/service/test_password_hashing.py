"""Password hashes run off the request's thread, at low priority, behind a bounded queue.

Why it matters (app/accounts/passwords.py): argon2 costs about 200 ms of a core per sign-in, and a
flood of sign-ins must neither take the CPU nor the threads every other request needs.
"""
from __future__ import annotations

import os
import threading

import pytest

from conftest import PASSWORD

from app.accounts import passwords

pytestmark = pytest.mark.skipif(os.uname().sysname != "Linux", reason="a thread's own priority is Linux's")


def _own_priority() -> tuple[str, int]:
    return threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_hashes_run_on_threads_of_lower_priority(app):
    with app.app_context():
        name, priority = passwords._hashing_pool().executor.submit(_own_priority).result()
        stored = passwords.hash_password("a long enough password")
        assert passwords.verify_password(stored, "a long enough password")
        assert not passwords.verify_password(stored, "another password")
        assert not passwords.verify_password(None, "a long enough password")
    assert name.startswith("argon2")
    assert priority >= min(19, os.getpriority(os.PRIO_PROCESS, 0) + app.config["PASSWORD_HASH_NICE"])
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < priority  # the caller's is untouched


def test_a_sign_in_beyond_the_queue_is_refused_with_429_and_loses_nothing(app, client, candidate):
    app.config.update(PASSWORD_HASH_THREADS=1, PASSWORD_HASH_QUEUE=1)
    release, started = threading.Event(), threading.Event()

    def occupy():
        started.set()
        release.wait(30)

    with app.app_context():
        pool = passwords._hashing_pool()
    holder = threading.Thread(target=pool.run, args=(occupy,))
    holder.start()
    try:
        assert started.wait(10)
        busy = client.post("/api/v1/tokens", json={"email": candidate["email"], "password": PASSWORD})
        assert busy.status_code == 429, busy.get_json()
        assert busy.headers["Retry-After"] == str(passwords.BUSY_RETRY_SECONDS)
        assert "passwords are being checked" in busy.get_json()["message"]
    finally:
        release.set()
        holder.join(10)
    again = client.post("/api/v1/tokens", json={"email": candidate["email"], "password": PASSWORD})
    assert again.status_code == 201, again.get_json()
