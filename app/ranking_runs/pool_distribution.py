"""The pool's score distribution per member state, from the newest complete ranking run.

Candidates read this to judge their chances (Canada publishes the same). It is computed once per
run and kept per worker (the run never changes once complete) from the run's counts per (state,
total) (`run_counts`, a few thousand rows of tie groups), not from its entries: at a million
entries reading those took seconds, which the first request of every worker waited for.

No count below `SMALLEST_COUNT` is published, so that nobody can single out a candidate (say,
the one person with 550-599 points at Malta): such a bucket shows `candidates: null` with
`fewer_than_10`. Each state's total is published, so a state with exactly one such bucket would
give its count away by subtraction; there the smallest other bucket is withheld as well
(`withheld`), and the two together can no longer be told apart.
"""
from __future__ import annotations

import threading

import numpy as np
from flask import current_app

from app.config import setting
from app.ranking_runs import run_counts, run_entries
from app.states import grid as grids
from app.storage import engines

_lock = threading.Lock()
SMALLEST_COUNT = 10


def distribution() -> dict:
    """Per state: how many candidates are ranked there, in buckets of `DISTRIBUTION_BUCKET` points."""
    width = setting("DISTRIBUTION_BUCKET")
    with engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        if run is None:
            return {"ranking_run": None, "run_date": None, "bucket_width": width, "smallest_count": SMALLEST_COUNT,
                    "candidates": 0, "states": []}
        cache = current_app.extensions.setdefault("talentpool.distribution", {})
        # The entries' hash too: `flask pool rerank --replace` rewrites a run under the same id.
        key = (run.id, run.entries_hash, width)
        if key not in cache:
            states = _buckets(_counts(connection, run), width)
            with _lock:
                cache.clear()
                cache[key] = [disclosed(state) for state in states]
    return {"ranking_run": run.id, "run_date": run.run_date, "bucket_width": width,
            "smallest_count": SMALLEST_COUNT, "candidates": run.candidates, "states": cache[key],
            "entries_hash": run.entries_hash}  # not dumped: it keys `dumped`'s copy


def dumped(schema) -> dict:
    """`distribution()` as `schema` dumps it, kept per worker with it: dumping 27 states' buckets
    through marshmallow cost more than the rest of the request together."""
    result = distribution()
    key = (result["ranking_run"], result.get("entries_hash"), result["bucket_width"], id(schema.__class__))
    cache = current_app.extensions.setdefault("talentpool.distribution_dumped", {})
    if key not in cache:
        dump = schema.dump(result)
        with _lock:
            cache.clear()
            cache[key] = dump
    return cache[key]


def disclosed(state: dict) -> dict:
    """One state's exact counts made publishable (see the module's docstring)."""
    counts = [bucket["candidates"] for bucket in state["buckets"]]
    small = [i for i, count in enumerate(counts) if count < SMALLEST_COUNT]
    withheld = []
    if len(small) == 1 and len(counts) > 1:
        withheld = [min((i for i in range(len(counts)) if i not in small), key=lambda i: (counts[i], i))]
    total = state["candidates"]
    return {"state": state["state"], "candidates": total if total >= SMALLEST_COUNT or total == 0 else None,
            "buckets": [{"low": bucket["low"], "high": bucket["high"],
                         "candidates": None if i in small or i in withheld else bucket["candidates"],
                         "fewer_than_10": i in small, "withheld": i in withheld}
                        for i, bucket in enumerate(state["buckets"])]}


def _counts(connection, run) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(states, totals, how many) of the run's ranked entries: from its tie groups, or for a run
    written before those existed, from its entries."""
    counts = run_counts.of_run(connection, run, len(grids.state_codes()))
    if counts is not None:
        return counts.states, counts.totals, counts.sizes
    entries = run_entries.of_run(connection, run)
    ranked = entries.ranks > 0
    return entries.preferences[ranked], entries.scores[ranked], np.ones(int(ranked.sum()), dtype=np.int64)


def _buckets(counts: tuple[np.ndarray, np.ndarray, np.ndarray], width: int) -> list[dict]:
    states, totals, sizes = (np.asarray(a, dtype=np.int64) for a in counts)
    buckets = totals // width
    out = []
    for index, code in enumerate(grids.state_codes()):
        here = states == index
        values, where = np.unique(buckets[here], return_inverse=True)
        tally = np.bincount(where.ravel(), weights=sizes[here], minlength=values.size).astype(np.int64)
        out.append({"state": code, "candidates": int(sizes[here].sum()), "buckets": [
            {"low": int(v) * width, "high": int(v) * width + width - 1, "candidates": int(c)}
            for v, c in zip(values[::-1], tally[::-1])]})
    return out
