"""Synthetic candidates for benchmarks, tests and demonstrations: plausible, valid, and fast to make.

Made directly as the engine's records with whole-array draws (a million candidates in a few
seconds), their documents built from the records column by column (`documents`), and written
in bulk through Arrow straight into `account` and `profile`, bypassing the API: these are not
people, and the point is to have a pool of realistic size and shape (`flask demo seed
--candidates N`, the benchmarks, the rounds tests).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, text

from app.accounts.models import Account
from app.demo import documents
from app.profiles.models import Profile
from app.storage import columnar

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Common ISCO-08 unit groups of skilled migration: health, ICT, engineering, trades, care, transport.
OCCUPATIONS = np.array([2211, 2212, 2221, 2222, 3221, 2512, 2513, 2514, 2523, 2144, 2142, 2151, 2310, 2411,
                        7411, 7233, 7212, 5321, 8322, 3115, 1324, 2631], dtype=np.int16)
SKILLS = ("listening", "reading", "speaking", "writing")
# Candidates per bulk write: bounds the memory of one chunk's Arrow columns and paces the progress bar.
CHUNK_CANDIDATES = 100_000
# Rows per block of the weighted draws without replacement (bounds their memory).
DRAW_BLOCK_ROWS = 262_144


def _distinct(rng: np.random.Generator, n: int, choices: int, slots: int, weights=None) -> np.ndarray:
    """(n, slots) distinct picks from range(choices) per row (Gumbel top-k: weighted, no loops over rows).

    Drawn in blocks of rows, the same numbers as one draw (the generator's stream is in row
    order), so a pool of ten million needs a block's keys and sort, not (n, choices) of them.
    (An exponential race in float32 was twice as fast, but draws another pool from the same
    seed, and tests built on the pools of their seeds expect these.)"""
    with np.errstate(divide="ignore"):  # a weight of 0 is a logit of -inf: never picked
        logits = np.zeros(choices) if weights is None else np.log(weights)
    out = np.empty((n, slots), dtype=np.int64)
    for start in range(0, n, DRAW_BLOCK_ROWS):
        stop = min(start + DRAW_BLOCK_ROWS, n)
        keys = logits + rng.gumbel(size=(stop - start, choices))
        out[start:stop] = np.argsort(-keys, axis=1)[:, :slots]
    return out


def records(grid, n: int, seed: int = 0, as_of: dt.date | None = None,
            state_weights: dict[str, float] | None = None) -> np.ndarray:
    """(n,) records of `grid` (the `eu` grid or one with its inputs) for `n` synthetic candidates.

    Every list's length, every enum's labels and every state come from the grid; inputs this
    function does not know hold their absent code, which is a valid value for a bool or an
    optional list (so a grid with one more such input still gets a valid pool). Preferences
    follow `state_weights` (state code -> weight, a state it does not list is never chosen, as the
    demonstration leaves out Denmark, which does not take part; default: random Pareto weights)."""
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
    weights = rng.pareto(1.5, states) + 1 if state_weights is None else \
        np.array([state_weights.get(code, 0) for code in grid.codes("preferences")], dtype=float)
    preferences = _distinct(rng, n, states, slots, weights)
    wanted = np.arange(slots)[None, :] < rng.integers(1, slots + 1, n)[:, None]
    out["preferences"] = np.where(wanted, preferences, -1)
    offer = rng.random(n) < 0.08
    out["job_offer"] = offer
    out["job_offer.state"] = np.where(offer, preferences[:, 0], -1)
    out["job_offer.occupation"] = np.where(offer, OCCUPATIONS[jobs[:, 0]], -1)
    # Claims only: a verified offer exists only as an offer made through the pool (app/hiring/).
    out["verified_job_offer"], out["verified_job_offer.state"], out["verified_job_offer.occupation"] = 0, -1, -1
    for name, share in (("eu_study", .1), ("eu_work", .15), ("talent_partnership", .05)):
        out[name] = rng.random(n) < share
    return out


def write(engine: Engine, grid, pool: np.ndarray, first_id: int, now: dt.datetime, seed: int = 0, *,
          status: str = "active", email_domain: str | None = None, password_hash: str | None = None,
          chunk_candidates: int = CHUNK_CANDIDATES, progress: Callable[[int], None] = lambda done: None) -> np.ndarray:
    """Write accounts and profiles for the records `pool`, with ids first_id.., in bulk; the ids.

    Every column is made as a whole array (the documents by `documents.documents`) and written
    through `app.storage.columnar`, `chunk_candidates` candidates per call (on SQLite each
    table's chunk its own short transaction), calling `progress` after each. The next chunk's
    columns are made by a thread while the database takes this one (Arrow and numpy release
    the GIL; on SQLite the insert runs in the helper process): the two overlap instead of
    waiting for each other. With `email_domain` the accounts get addresses
    `candidate<first_id + n - id, 5 digits>@domain` (1: the newest) and `password_hash`, so they can sign in
    (the demonstration); without, no address.
    """
    n = len(pool)
    rng = np.random.default_rng(seed + 1)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    now_us = (now - EPOCH) // dt.timedelta(microseconds=1)
    # First submissions over the past year, some at the very same microsecond (ties happen), in
    # the order of the ids, as accounts register before they submit: so every index the rows
    # touch (ids, references, times, expiry) grows at its end instead of at random places,
    # which made a bulk write of a million rows several times slower.
    submitted_us = np.sort(now_us - rng.integers(0, 365 * 86400, n) * 10**6 - rng.integers(0, 3, n))
    account, profile = Account.__table__, Profile.__table__

    def chunk(start: int) -> list[columnar.Rows]:
        part = slice(start, start + chunk_candidates)
        size = len(ids[part])
        created = columnar.instants(engine, np.full(size, now_us))
        accounts = {"id": ids[part], "reference": _references(ids[part]),
                    "role": _repeated("candidate", size), "created_at": created, "email_verified_at": created}
        if email_domain:
            # Numbered from the newest profile back, so `candidate00001`, the account the README
            # offers, holds a profile a year from its expiry, not the oldest one, about to expire.
            number = pc.utf8_lpad(pc.cast(pa.array(first_id + n - ids[part]), pa.string()), 5, "0")
            accounts["email"] = pc.binary_join_element_wise("candidate", number, f"@{email_domain}", "")
            accounts["password_hash"] = _repeated(password_hash, size)
        stamps = columnar.instants(engine, submitted_us[part])
        profiles = {"id": ids[part], "account_id": ids[part], "status": _repeated(status, size),
                    "first_submitted_at": stamps, "first_submitted_us": submitted_us[part],
                    "updated_at": stamps, "confirmed_at": stamps,
                    "expires_at": columnar.instants(engine, _a_year_later(submitted_us[part])),
                    "document": documents.documents(grid, pool[part]),
                    "record": pool[part].view(np.uint8).reshape(size, -1),
                    "record_grid": _repeated(grid.record_version, size)}
        return [columnar.Rows(account, accounts), columnar.Rows(profile, profiles)]

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="synthetic-pool") as ahead:
        starts = range(0, n, chunk_candidates)
        coming = ahead.submit(chunk, 0) if n else None
        for start in starts:
            tables = coming.result()
            last = start + chunk_candidates >= n
            coming = None if last else ahead.submit(chunk, start + chunk_candidates)
            # Nobody waits for the lock of a database being seeded: no pause after each transaction.
            columnar.write(engine, tables, finish=_past_the_pool if last and columnar.is_postgresql(engine) else None,
                           pause=False)
            progress(len(tables[0]))
    if n and columnar.is_postgresql(engine):
        # What autovacuum would do a minute later: without statistics the planner takes a million
        # fresh rows for a few, and read the re-rank's pool by a million index lookups (1.8 s
        # against 1.0 s at 1M, measured). SQLite keeps no statistics unless asked, and its
        # statements do not count on them (`app.storage.planner_hints`).
        with engine.begin() as connection:
            connection.execute(text("ANALYZE account, profile"))
    return ids


# PostgreSQL's id sequences after the pool's explicit ids (SQLite takes the largest id + 1 anyway).
_past_the_pool = text("SELECT setval(pg_get_serial_sequence('account', 'id'), (SELECT max(id) FROM account)), "
                      "setval(pg_get_serial_sequence('profile', 'id'), (SELECT max(id) FROM profile))")


def _repeated(value: str, size: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(size, dtype=np.int32)),
                                          pa.array([value], pa.string())).cast(pa.string())


def _references(ids: np.ndarray) -> pa.Array:
    """`syn` and the id in 29 digits: unique, 32 characters like a real reference, and in id order."""
    return pc.binary_join_element_wise("syn", pc.utf8_lpad(pc.cast(pa.array(ids), pa.string()), 29, "0"), "")


def _a_year_later(instants_us: np.ndarray) -> np.ndarray:
    """The same instants twelve calendar months later (29 February: 28 February), as µs since the epoch."""
    day = (instants_us // 86_400_000_000).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    later = month + 12
    last = ((later + 1).astype("datetime64[D]") - later.astype("datetime64[D]")).astype(np.int64) - 1
    offset = np.minimum((day - month.astype("datetime64[D]")).astype(np.int64), last)
    days = later.astype("datetime64[D]").astype(np.int64) + offset
    return days * 86_400_000_000 + instants_us % 86_400_000_000
