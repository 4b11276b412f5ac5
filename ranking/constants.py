"""Values that several parts of the core (and the application around it) must agree on, defined once.

    NO_SCORE              a per-state total that does not exist: the grid writes it where a
                          candidate did not choose a state or cannot be invited there, and the
                          allocation reads it as "this state cannot invite them".
    EPOCH                 the instant first-submission times count from: the allocation's
                          `submitted_at` is whole microseconds since EPOCH, and RFC 3339 times
                          are read as seconds since it.
    SCORING_BLOCK_ROWS    rows scored at a time: small enough that every intermediate array of
                          a block stays in the processor's cache.
    ALLOCATION_BLOCK_ROWS rows of preferences checked and streamed at a time in the first
                          proposal round, for the same reason.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

# A Python int, so that comparing one value with it gives a Python bool (JSON-ready); where numpy's
# promotion matters (`np.where` over arrays narrower than int32), use `np.int32(NO_SCORE)`.
NO_SCORE = np.iinfo(np.int32).min
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
SCORING_BLOCK_ROWS = 1 << 16
ALLOCATION_BLOCK_ROWS = 1 << 15
