"""argon2id password hashes, computed on a few background threads of low CPU priority.

argon2 is slow on purpose: about 200 ms of one core per hash at the shipped cost. Computed on the
request's own thread, two sign-ins a second took a fifth of this 2-core machine from every other
request; a burst of them left profile reads waiting for a core. So each process hashes on its own
small pool of threads (`PASSWORD_HASH_THREADS`) whose scheduling priority is lowered at start
(`PASSWORD_HASH_NICE`, applied to the thread alone, as Linux allows). argon2-cffi releases the
GIL while it hashes, so request threads keep running at normal priority and the kernel gives the
hashes the CPU the other requests leave: under load a sign-in takes longer, the rest does not.

The queue is bounded (`PASSWORD_HASH_QUEUE` waiting or running per process). A request beyond it
is refused at once with 429 and `Retry-After` instead of holding a worker's thread while it
waits, so a flood of sign-ins from many addresses (which the per-address throttle does not stop)
cannot take the threads every other request needs. The cost parameters come from the
configuration (tests use a cheap one).
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from app import thread_priority
from app.errors import TooManyAttempts

BUSY = "Too many passwords are being checked right now. Please try again in a few seconds."
BUSY_RETRY_SECONDS = 5


class _HashingPool:
    """The process's hashing threads and the count of hashes waiting or running on them.

    Made on first use and again in a forked child (gunicorn preloads the app, then forks): a
    pool's threads do not survive a fork."""

    def __init__(self, threads: int, nice: int, limit: int):
        self.key, self.limit, self.pending = (os.getpid(), threads, nice, limit), limit, 0
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2",
                                           initializer=thread_priority.lower, initargs=(nice,))

    def run(self, function, *args):
        with self.lock:
            if self.pending >= self.limit:
                raise TooManyAttempts(BUSY, BUSY_RETRY_SECONDS)
            self.pending += 1
        try:
            return self.executor.submit(function, *args).result()
        finally:
            with self.lock:
                self.pending -= 1


_pool: _HashingPool | None = None
_pool_lock = threading.Lock()


def _hashing_pool() -> _HashingPool:
    """This process's pool, made anew after a fork or when the settings differ (tests vary them)."""
    global _pool
    config = current_app.config
    settings = (config["PASSWORD_HASH_THREADS"], config["PASSWORD_HASH_NICE"], config["PASSWORD_HASH_QUEUE"])
    with _pool_lock:
        if _pool is None or _pool.key != (os.getpid(), *settings):
            if _pool is not None and _pool.key[0] == os.getpid():
                _pool.executor.shutdown(wait=False)
            _pool = _HashingPool(*settings)
        return _pool


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash (salt and parameters included) of `password`."""
    return _hashing_pool().run(_hasher().hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an account without a hash (erased) never matches.

    A missing hash still costs one hash computation, so a response's timing does not reveal
    whether the e-mail address is registered.
    """
    return _hashing_pool().run(_verify, _hasher(), password_hash, password)


def _verify(hasher: PasswordHasher, password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
