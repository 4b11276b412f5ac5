"""Lowering one thread's CPU priority, for background work that must not slow requests down."""
from __future__ import annotations

import os
import threading


def lower(nice: int) -> None:
    """Lower the calling thread's priority by `nice` (Linux: a thread id is a valid `PRIO_PROCESS`
    target; elsewhere the whole process would be lowered, so it is left alone there)."""
    if nice and hasattr(os, "setpriority") and os.uname().sysname == "Linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice))
