"""Synthetic candidates for benchmarks, tests and demonstrations: plausible, valid, and fast to make.

Made directly as the engine's records with whole-array draws (a million candidates in a few
seconds), their documents decoded from the records, and written straight into `account` and
`profile`, bypassing the API: these are
not people, and the point is to have a pool of realistic size and shape.
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
from sqlalchemy import Connection

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Common ISCO-08 unit groups of skilled migration: health, ICT, engineering, trades, care, transport.
OCCUPATIONS = np.array([2211, 2212, 2221, 2222, 3221, 2512, 2513, 2514, 2523, 2144, 2142, 2151, 2310, 2411,
                        7411, 7233, 7212, 5321, 8322, 3115, 1324, 2631], dtype=np.int16)
SKILLS = ("listening", "reading", "speaking", "writing")


def _distinct(rng: np.random.Generator, n: int, choices: int, slots: int, weights=None) -> np.ndarray:
    """(n, slots) distinct picks from range(choices) per row (Gumbel top-k: weighted, no loops over rows)."""
    logits = np.zeros(choices) if weights is None else np.log(weights)
    keys = logits + rng.gumbel(size=(n, choices))
    return np.argsort(-keys, axis=1)[:, :slots]


def records(grid, n: int, seed: int = 0, as_of: dt.date | None = None) -> np.ndarray:
    """(n,) records of `grid` (the `eu` grid or one with its inputs) for `n` synthetic candidates.

    Every list's length, every enum's labels and every state come from the grid; inputs this
    function does not know hold their absent code, which is a valid value for a bool or an
    optional list (so a grid with one more such input still gets a valid pool)."""
    rng = np.random.default_rng(seed)
    as_of = as_of or dt.date(2026, 11, 22)
    out = np.empty(n, dtype=grid.record_dtype)
    for name, column in grid.columns.items():
        out[name] = column.scalar.absent
    age = np.clip(rng.normal(32, 7, n), 18, 60).astype(np.int32)
    out["date_of_birth"] = (as_of.year - age - 1) * 10000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)
    out["education_level"] = rng.choice(np.arange(3, 9), n, p=[.08, .12, .15, .35, .22, .08])
    languages = grid.codes("languages.language")
    slots = grid.columns["languages.language"].slots
    language_weights = np.full(len(languages), 1.0)
    language_weights[languages.index("en")] = 30.0
    chosen = _distinct(rng, n, len(languages), slots, language_weights)
    counts = np.minimum(rng.choice([1, 2, 3, 4], n, p=[.35, .4, .2, .05]), slots)
    used = np.arange(slots)[None, :] < counts[:, None]
    out["languages.language"] = np.where(used, chosen, -1)
    strength = rng.integers(2, 7, (n, slots))
    for skill in SKILLS:
        level = np.clip(strength + rng.integers(-1, 2, (n, slots)), 1, 6)
        out[f"languages.{skill}"] = np.where(used, level, 0)
    slots = grid.columns["experience.occupation"].slots
    jobs = _distinct(rng, n, OCCUPATIONS.size, slots)
    held = np.arange(slots)[None, :] < np.minimum(rng.choice([0, 1, 2, 3], n, p=[.1, .5, .3, .1]), slots)[:, None]
    out["experience.occupation"] = np.where(held, OCCUPATIONS[jobs], -1)
    out["experience.years"] = np.where(held, rng.integers(1, 15, (n, slots)), 0)
    states, slots = len(grid.codes("preferences")), grid.columns["preferences"].slots
    preferences = _distinct(rng, n, states, slots, rng.pareto(1.5, states) + 1)
    wanted = np.arange(slots)[None, :] < rng.integers(1, slots + 1, n)[:, None]
    out["preferences"] = np.where(wanted, preferences, -1)
    offer = rng.random(n) < 0.08
    out["job_offer"] = offer
    out["job_offer.state"] = np.where(offer, preferences[:, 0], -1)
    out["job_offer.occupation"] = np.where(offer, OCCUPATIONS[jobs[:, 0]], -1)
    for name, share in (("eu_study", .1), ("eu_work", .15), ("talent_partnership", .05)):
        out[name] = rng.random(n) < share
    return out


def insert(connection: Connection, grid, pool: np.ndarray, first_id: int, now: dt.datetime,
           seed: int = 0, *, status: str = "active") -> np.ndarray:
    """Write accounts and profiles (records `pool`, with their documents) with ids first_id.. ; the ids."""
    n = len(pool)
    rng = np.random.default_rng(seed + 1)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    now_us = (now - EPOCH) // dt.timedelta(microseconds=1)
    # First submissions over the past year, some at the very same microsecond (ties happen).
    submitted_us = now_us - rng.integers(0, 365 * 86400, n) * 10**6 - rng.integers(0, 3, n)
    submitted = [EPOCH + dt.timedelta(microseconds=int(us)) for us in submitted_us.tolist()]
    expires = now + dt.timedelta(days=365)
    naive = connection.dialect.name == "sqlite"

    def stamp(moment: dt.datetime):
        return moment.astimezone(dt.UTC).replace(tzinfo=None) if naive else moment

    accounts = [(int(i), f"syn{int(i):012d}", "candidate", stamp(now), stamp(now)) for i in ids]
    version = grid.record_version
    profiles = [(int(i), int(i), status, stamp(at), int(us), stamp(now), stamp(now), stamp(expires),
                 json.dumps(grid.decode(record)), record.tobytes(), version)
                for i, at, us, record in zip(ids, submitted, submitted_us, pool)]
    profile_names = ["id", "account_id", "status", "first_submitted_at", "first_submitted_us", "updated_at",
                     "confirmed_at", "expires_at", "document", "record", "record_grid"]
    _write(connection, "account", ["id", "reference", "role", "created_at", "email_verified_at"], accounts)
    _write(connection, "profile", profile_names, profiles)
    if not naive:
        for table in ("account", "profile"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return ids


def _write(connection: Connection, table: str, names: list[str], rows: list[tuple]) -> None:
    cursor = connection.connection.driver_connection.cursor()
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
