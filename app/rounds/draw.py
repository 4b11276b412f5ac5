"""One draw: the rounds due at the same moment, allocated together from one ranking run.

Everything here is a function of recorded inputs (the run's entries, each round's quota,
minimum score and mask of who could be invited), so running a round and verifying it later are
the same computation. States without a round in the draw take no one; a round's category,
minimum score and the candidates who could not be invited are applied as NO_SCORE at its state,
so deferred acceptance sees each state's own restrictions.
"""
from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass

import numpy as np
from ranking import NO_SCORE, restriction
from ranking.allocation import Allocation, allocate
from ranking.allocation.one_state import allocate_one_state

from app.ranking_runs.run_entries import RunEntries

ALLOCATION_RULE = "candidate-proposing deferred acceptance; score desc, first submission asc, id asc"


@dataclass(frozen=True)
class DrawRound:
    """One state's part of a draw."""

    key: str
    state: int
    quota: int
    min_score: int | None
    eligible: np.ndarray  # bool (N,) over the run's entries


def pack_mask(mask: np.ndarray) -> bytes:
    return zlib.compress(np.packbits(mask).tobytes(), 6)


def packed_masks(rounds: list[DrawRound]) -> list[bytes]:
    """Each round's `eligible` as stored with its results; a mask the rounds share (every round
    without a category uses the pool's one) is compressed once, not once per round."""
    masks, mask_of_round = _shared_masks(rounds)
    packed = [pack_mask(mask) for mask in masks]
    return [packed[position] for position in mask_of_round]


def unpack_mask(blob: bytes, count: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(zlib.decompress(blob), dtype=np.uint8), count=count).astype(bool)


def restricted_scores(entries: RunEntries, rounds: list[DrawRound]) -> np.ndarray:
    """The run's aligned scores as the draw's states may invite from (`ranking.restriction`)."""
    lowest = np.array([NO_SCORE + 1 if p.min_score is None else p.min_score for p in rounds], dtype=np.int64)
    masks, mask_of_round = _shared_masks(rounds)
    return restriction.restricted_scores(entries.preferences, entries.scores, np.array([p.state for p in rounds]),
                                         np.stack(masks), lowest, mask_of_round=mask_of_round)


def _shared_masks(rounds: list[DrawRound]) -> tuple[list[np.ndarray], np.ndarray]:
    """The rounds' distinct `eligible` arrays (by identity: rounds without a category share the
    pool's one array) and the position of each round's among them."""
    masks: list[np.ndarray] = []
    positions = []
    for part in rounds:
        position = next((i for i, mask in enumerate(masks) if mask is part.eligible), None)
        if position is None:
            masks.append(part.eligible)
            position = len(masks) - 1
        positions.append(position)
    return masks, np.array(positions, dtype=np.intp)


def allocate_draw(entries: RunEntries, rounds: list[DrawRound], state_count: int, *,
                  restricted: np.ndarray | None = None) -> Allocation:
    """Deferred acceptance over the draw's states (`restricted`: `restricted_scores`, if already made)."""
    quotas = np.zeros(state_count, dtype=np.int64)
    for part in rounds:
        quotas[part.state] = part.quota
    if restricted is None:
        restricted = restricted_scores(entries, rounds)
    return allocate(restricted, entries.preferences, entries.submitted_us, entries.candidate_ids, quotas)


def allocate_alone(entries: RunEntries, part: DrawRound, state_count: int, restricted: np.ndarray) -> Allocation:
    """`part`'s round as if no other state drew with it: what `allocate_draw(entries, [part], …)`
    gives, from the draw's own `restricted` scores (a state's column there depends only on its
    own round), by one selection instead of a second market (`ranking.allocation.one_state`)."""
    return allocate_one_state(restricted, entries.preferences, entries.submitted_us, entries.candidate_ids,
                              state_count, part.state, part.quota)


def input_hash(run, rounds: list[DrawRound], rule_versions: dict) -> str:
    """SHA-256 of everything the draw's result follows from."""
    digest = hashlib.sha256()
    digest.update(json.dumps({
        "ranking_run": run.id, "entries_hash": run.entries_hash, "rules": rule_versions,
        "rounds": [{"key": p.key, "state": p.state, "quota": p.quota, "min_score": p.min_score} for p in rounds],
    }, sort_keys=True).encode())
    masks, mask_of_round = _shared_masks(rounds)
    packed = [np.packbits(mask).tobytes() for mask in masks]  # each shared mask packed once
    for position in mask_of_round:
        digest.update(packed[position])
    return digest.hexdigest()


def rule_versions(run, state_codes: tuple[str, ...], rounds: list[DrawRound]) -> dict:
    """The grid and overlay versions the scores came from, and the allocation rule."""
    codes = sorted(state_codes[p.state] for p in rounds)
    return {"grid": run.grid, "grid_version": run.grid_version,
            "overlays": {code: run.overlay_versions.get(code) for code in codes},
            "allocation": ALLOCATION_RULE}
