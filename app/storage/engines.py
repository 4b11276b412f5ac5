"""The application's engines for code that works below the session (bulk reads and writes)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import Engine


def reader() -> Engine:
    """The engine for reads (plain BEGIN on SQLite)."""
    return current_app.extensions["talentpool.engine"]


def writer() -> Engine:
    """The engine for writes: on SQLite every transaction starts with BEGIN IMMEDIATE."""
    return current_app.extensions["talentpool.write_engine"]
