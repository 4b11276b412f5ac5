"""A rule change's preview at one state, written plainly from its definition (no numpy).

Each candidate is (total before or None, total after or None, first submission, id). A round of
`size` invites the first `size` eligible candidates in the order every round uses: higher total,
then earlier first submission, then smaller id; the cut-off is the last one invited.
"""
from __future__ import annotations


def round_result(candidates: list[tuple], side: int, size: int) -> tuple:
    """(invited, cut-off total, its first submission, its id) for totals at index `side`."""
    eligible = [c for c in candidates if c[side] is not None]
    ordered = sorted(eligible, key=lambda c: (-c[side], c[2], c[3]))[:size]
    if not ordered:
        return 0, None, None, None
    last = ordered[-1]
    return len(ordered), last[side], last[2], last[3]


def counts(candidates: list[tuple]) -> dict:
    result = {"gain_eligibility": 0, "lose_eligibility": 0, "more_points": 0, "fewer_points": 0}
    for before, after, _, _ in candidates:
        if before is None and after is not None:
            result["gain_eligibility"] += 1
        elif before is not None and after is None:
            result["lose_eligibility"] += 1
        elif before is not None and after is not None:
            if after > before:
                result["more_points"] += 1
            elif after < before:
                result["fewer_points"] += 1
    return result


def histogram(candidates: list[tuple], side: int, width: int) -> dict[int, int]:
    """Lower bin edge -> how many eligible totals fall in [edge, edge + width)."""
    bins: dict[int, int] = {}
    for candidate in candidates:
        if candidate[side] is not None:
            edge = candidate[side] // width * width
            bins[edge] = bins.get(edge, 0) + 1
    return bins
