"""Watching the application's write transactions: fail if slow work runs while one is open.

On SQLite a write transaction holds the one database write lock (`BEGIN IMMEDIATE`), so views
whose slow part only reads (`db.reads_first`) must do it before `db.begin_write()`. `watch`
replaces functions with ones that fail if a write transaction of the app's engine is open when
they are called, and lists the calls.
"""
from __future__ import annotations

from sqlalchemy import event


def watch(app, monkeypatch, targets: list[tuple[object, str]]) -> list[str]:
    """Watch each `(module, function name)` of `targets`; returns the names called, in order."""
    writing: set[int] = set()
    engine = app.extensions["talentpool.engine"]

    def began(connection):
        if connection.get_execution_options().get("sqlite_immediate"):
            writing.add(id(connection))

    event.listen(engine, "begin", began)
    for name in ("commit", "rollback"):
        event.listen(engine, name, lambda connection: writing.discard(id(connection)))
    ran: list[str] = []

    for module, name in targets:
        real = getattr(module, name)

        def watching(*args, _real=real, _name=name, **kwargs):
            assert not writing, f"{_name} with a write transaction open"
            ran.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, watching)
    return ran
