"""What a rule change would do at one state, before it is saved: one pass over whole arrays.

The caller gives, for every candidate of the pool who chose the state, their total there under
the rules as they are (`before`) and as they would be (`after`), NO_SCORE where not eligible, and
the tie-break (first submission, candidate id). The preview counts who gains or loses
eligibility and points, histograms both distributions on the same bins, and says what a round of
`round_size` at this state alone would invite before and after: how many, and the cut-off (the
total and the tie-break of the last invitee), in the order every round uses (total, then
earlier first submission, then smaller id).

The cut-off needs no sort of the pool: the k-th largest total comes from `np.partition`, and
only the candidates tied at it are ordered by their tie-break. This round ignores other states'
rounds at the same moment (the joint allocation may send some invitees elsewhere); a round
simulation is what accounts for that.

    >>> import numpy as np
    >>> from ranking.constants import NO_SCORE
    >>> p = preview(np.array([300, 320, NO_SCORE]), np.array([310, 320, 305]),
    ...             np.array([1, 2, 3]), np.array([10, 11, 12]), round_size=2, bin_width=50)
    >>> (p.gain_eligibility, p.lose_eligibility, p.more_points, p.fewer_points)
    (1, 0, 1, 0)
    >>> (p.before.invited, p.before.cutoff_total, p.after.invited, p.after.cutoff_total)
    (2, 300, 2, 310)
    >>> p.bin_edges.tolist(), p.before.histogram.tolist(), p.after.histogram.tolist()
    ([300], [2], [3])
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranking.constants import NO_SCORE


@dataclass(frozen=True)
class RoundOutcome:
    """One side of the preview: the eligible count, their histogram, and a round's result."""

    eligible: int
    histogram: np.ndarray          # (B,) int64 counts of eligible totals per bin of `Preview.bin_edges`
    invited: int                   # min(round_size, eligible); 0 without a round size
    cutoff_total: int | None       # the last invitee's total (None: nobody invited)
    cutoff_submitted_us: int | None
    cutoff_candidate_id: int | None


@dataclass(frozen=True)
class Preview:
    candidates: int                # who chose the state
    gain_eligibility: int          # not eligible before, eligible after
    lose_eligibility: int
    more_points: int               # eligible on both sides, a higher total after
    fewer_points: int
    bin_edges: np.ndarray          # (B,) int64 lower edge of each bin, `bin_width` apart
    before: RoundOutcome
    after: RoundOutcome


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def round_outcome(totals: np.ndarray, submitted_us: np.ndarray, candidate_ids: np.ndarray,
                  round_size: int) -> tuple[int, int | None, int | None, int | None]:
    """(invited, cut-off total, its first submission, its id) of a round of `round_size` at one state."""
    eligible = np.flatnonzero(totals != NO_SCORE)
    invited = min(int(round_size), eligible.size)
    if invited == 0:
        return 0, None, None, None
    values = totals[eligible]
    cutoff = int(np.partition(values, values.size - invited)[values.size - invited])
    above = int(np.count_nonzero(values > cutoff))
    tied = eligible[values == cutoff]
    order = np.lexsort((candidate_ids[tied], submitted_us[tied]))
    last = tied[order[invited - above - 1]]
    return invited, cutoff, int(submitted_us[last]), int(candidate_ids[last])


def preview(before: np.ndarray, after: np.ndarray, submitted_us: np.ndarray, candidate_ids: np.ndarray, *,
            round_size: int | None = None, bin_width: int = 25) -> Preview:
    """The preview of a change at one state; all inputs (N,), totals int with NO_SCORE for not eligible."""
    if bin_width < 1:
        raise ValueError("bin_width must be at least 1")
    before, after = np.asarray(before, dtype=np.int64), np.asarray(after, dtype=np.int64)
    submitted_us, candidate_ids = np.asarray(submitted_us, dtype=np.int64), np.asarray(candidate_ids, dtype=np.int64)
    if not (before.shape == after.shape == submitted_us.shape == candidate_ids.shape) or before.ndim != 1:
        raise ValueError("before, after, submitted_us and candidate_ids must be aligned (N,) arrays")
    was, now = before != NO_SCORE, after != NO_SCORE
    both = was & now
    eligible_totals = np.concatenate([before[was], after[now]])
    if eligible_totals.size:
        low = int(eligible_totals.min()) // bin_width * bin_width
        bins = int(eligible_totals.max()) // bin_width - low // bin_width + 1
    else:
        low, bins = 0, 0
    edges = _frozen(low + bin_width * np.arange(bins, dtype=np.int64))

    def side(totals: np.ndarray, mask: np.ndarray) -> RoundOutcome:
        histogram = np.bincount((totals[mask] - low) // bin_width, minlength=bins).astype(np.int64)
        invited, total, submitted, candidate = (round_outcome(totals, submitted_us, candidate_ids, round_size)
                                                if round_size else (0, None, None, None))
        return RoundOutcome(int(mask.sum()), _frozen(histogram), invited, total, submitted, candidate)

    return Preview(
        candidates=int(before.size),
        gain_eligibility=int(np.count_nonzero(now & ~was)),
        lose_eligibility=int(np.count_nonzero(was & ~now)),
        more_points=int(np.count_nonzero(both & (after > before))),
        fewer_points=int(np.count_nonzero(both & (after < before))),
        bin_edges=edges,
        before=side(before, was),
        after=side(after, now),
    )
