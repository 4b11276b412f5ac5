"""Running due rounds exactly once, whatever crashes or races.

1. Claim: one conditional UPDATE leases every scheduled round due at a moment to this process
   (rows leased to a live process are left alone; an expired lease, or one held by a dead process
   on this host, is taken over). Claiming all-or-nothing keeps a draw whole.
2. Allocate from the newest complete ranking run, outside any write transaction.
3. Commit in one transaction: each round moves from `scheduled` to `completed` only if it is
   still scheduled and still leased to us, its invitations are inserted (a partial unique index
   allows one pending or accepted invitation per candidate), and the invited profiles move from
   `active` to `invited` only if every one of them still is. Any mismatch rolls everything back.

A crash before the commit leaves only a lease, which the next run takes over; the allocation is
a function of recorded inputs, so the round then comes out the same. A crash after the commit
leaves a completed round, which nothing runs again.

So this orchestrator owns its transactions (claim, read snapshot, commit, or release), each opened
on an engine here: the lease must be committed before the allocation starts, for other processes
to see it, and the allocation runs outside any write transaction.
"""
from __future__ import annotations

import os
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from flask import current_app
from ranking.categories import Category
from sqlalchemy import Connection, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.config import setting
from app.invitations.models import HOLDING_STATUSES, Invitation, InvitationStatus
from app.notifications.candidate_notices import enqueue_all, notice
from app.profiles.models import Profile, ProfileStatus
from app.ranking_runs import left_pool, rerank, run_entries
from app.rounds import draw
from app.rounds.models import Round, RoundStatus
from app.rounds.scheduling import year_bounds
from app.states import categories
from app.states import grid as grids
from app.states.models import MemberState
from app.storage import engines
from app.storage.column_insert import insert_columns
from app.storage.planner_hints import not_indexed

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CHUNK = 5000


class RoundsError(Exception):
    """A draw that cannot run now (no ranking yet, a lease held elsewhere, the pool changed meanwhile)."""


def owner_id() -> str:
    """This process, as it appears in the lease: host and pid (to detect a dead holder) and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_is_dead(owner: str | None) -> bool:
    """Whether a lease holder was a process on this host that no longer exists."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _pause(phase: str) -> None:
    """A delay between phases, for the fault test only (0 in any real configuration)."""
    delay = float(current_app.config.get("ROUNDS_PHASE_DELAY", 0) or 0)
    if delay:
        time.sleep(delay)


def due_moments(connection: Connection, now: datetime) -> list[datetime]:
    """The moments with scheduled rounds that are due, oldest first."""
    table = Round.__table__
    rows = connection.execute(select(table.c.scheduled_at).where(
        table.c.status == RoundStatus.SCHEDULED.value, table.c.scheduled_at <= now,
    ).distinct().order_by(table.c.scheduled_at)).scalars()
    return list(rows)


def claim(moment: datetime, owner: str, now: datetime) -> list:
    """Lease every scheduled round due at `moment` to `owner`, or none (RoundsError)."""
    table = Round.__table__
    at_moment = and_(table.c.scheduled_at == moment, table.c.status == RoundStatus.SCHEDULED.value)
    with engines.writer().begin() as connection:
        holders = connection.execute(select(table.c.lease_owner).where(at_moment).distinct()).scalars().all()
        dead = [holder for holder in holders if holder_is_dead(holder)]
        free = or_(table.c.lease_owner.is_(None), table.c.lease_expires_at <= now, table.c.lease_owner.in_(dead))
        expected = connection.execute(select(func.count()).select_from(table).where(at_moment)).scalar_one()
        claimed = connection.execute(update(table).where(at_moment, free).values(
            lease_owner=owner, lease_expires_at=now + timedelta(seconds=setting("ROUND_LEASE_SECONDS")))).rowcount
        if expected == 0 or claimed != expected:
            raise RoundsError(f"the rounds due at {moment:%Y-%m-%d %H:%M} UTC are being run by another process")
        rows = connection.execute(select(table).where(at_moment, table.c.lease_owner == owner)
                                  .order_by(table.c.state_code)).all()
    return rows


def release(moment: datetime, owner: str) -> None:
    """Give back the leases of a draw that failed, so the next check can run it at once."""
    table = Round.__table__
    with engines.writer().begin() as connection:
        connection.execute(update(table).where(
            table.c.scheduled_at == moment, table.c.status == RoundStatus.SCHEDULED.value,
            table.c.lease_owner == owner,
        ).values(lease_owner=None, lease_expires_at=None))


@dataclass(frozen=True)
class Outcome:
    """A computed draw, ready to be committed."""

    run: object
    entries: run_entries.RunEntries
    parts: list[draw.DrawRound]
    rounds: list
    allocation: object
    input_hash: str
    rule_versions: dict
    restricted: np.ndarray  # the scores the allocation saw, NO_SCORE where a state could not invite
    categories: dict  # round key -> the category the draw restricted it to (absent: none)


def compute(rounds: list, now: datetime) -> Outcome:
    """Allocate the claimed rounds from the newest complete ranking run.

    `rounds` are round rows or unsaved `Round` objects alike (a simulation passes its proposed
    round beside the scheduled ones, `app.rounds.simulation`): a simulation and the real draw are
    this one computation."""
    codes = grids.state_codes()
    with engines.reader().connect() as connection:
        with connection.begin():
            run = run_entries.latest_complete(connection)
            if run is None:
                raise RoundsError("there is no complete ranking run yet: run `flask pool rerank` first")
            entries = run_entries.of_run(connection, run)
            in_pool, columns = _pool_now(connection, entries, now, any(r.category for r in rounds))
            quotas = _quotas(connection, rounds)
            used = _categories_on(connection, rounds, run.run_date)
            parts = [draw.DrawRound(
                key=r.key, state=codes.index(r.state_code), quota=quotas[r.state_code],
                min_score=r.min_score,
                # One array shared by the rounds without a category: the draw sees them as one mask.
                eligible=in_pool & _category_mask(used[r.key], columns, len(in_pool)) if r.key in used else in_pool,
            ) for r in rounds]
    versions = draw.rule_versions(run, codes, parts)
    restricted = draw.restricted_scores(entries, parts)
    allocation = draw.allocate_draw(entries, parts, len(codes), restricted=restricted)
    return Outcome(run, entries, parts, rounds, allocation, draw.input_hash(run, parts, versions), versions,
                   restricted, used)


def _pool_now(connection: Connection, entries, now: datetime, with_columns: bool):
    """Which ranked candidates can be invited now (in the pool, holding no invitation) and, for
    categories, their current columns aligned with the entries."""
    ids = entries.candidate_ids
    columns = None
    if with_columns:
        pool = rerank.read_pool(connection.engine, now, grids.shipped_grid())
        active = pool.candidate_ids
        positions = np.searchsorted(active, ids).clip(0, max(active.size - 1, 0))
        columns = {name: values[positions] for name, values in pool.columns.items()} if active.size else None
        in_pool = np.isin(ids, active)
    else:
        in_pool = ~np.isin(ids, left_pool.since_ranked(connection, now))
    invitations = Invitation.__table__
    holding = left_pool.integers(connection, invitations.c.candidate_id, invitations.c.status.in_(HOLDING_STATUSES))
    return in_pool & ~np.isin(ids, holding), columns


def _categories_on(connection: Connection, rounds: list, day) -> dict:
    """Each restricted round's category as in force on `day` (the ranking run's date); a category
    deleted since the round was scheduled keeps the round's own copy."""
    wanted = {r.key: (r.state_code, r.category_key or r.category["key"]) for r in rounds if r.category}
    found = categories.in_force(connection, wanted.values(), day)
    return {key: found.get(pair, next(r.category for r in rounds if r.key == key)) for key, pair in wanted.items()}


def _category_mask(category: dict | None, columns, count: int) -> np.ndarray:
    if not category:
        return np.ones(count, dtype=bool)
    if columns is None:
        return np.zeros(count, dtype=bool)
    grid = grids.shipped_grid()
    category = Category.from_dict(category["definition"])
    return np.asarray(category.mask(columns, language_codes=grid.codes("languages.language")), dtype=bool)


def _quotas(connection: Connection, rounds: list) -> dict[str, int]:
    """Each round's size, cut to what is left of its state's ceiling for that year right now
    (the rounds of one draw share a moment, so a year: two queries for the whole draw)."""
    states, table = MemberState.__table__, Round.__table__
    codes = [r.state_code for r in rounds]
    ceilings = dict(connection.execute(select(states.c.code, states.c.annual_invitation_ceiling)
                                       .where(states.c.code.in_(codes))).all())
    start, end = year_bounds(rounds[0].scheduled_at)
    issued = dict(connection.execute(select(table.c.state_code, func.coalesce(func.sum(table.c.invited), 0)).where(
        table.c.state_code.in_(codes), table.c.status == RoundStatus.COMPLETED.value,
        table.c.scheduled_at >= start, table.c.scheduled_at < end).group_by(table.c.state_code)).all())
    return {r.state_code: r.size if ceilings.get(r.state_code) is None
            else max(0, min(r.size, ceilings[r.state_code] - int(issued.get(r.state_code, 0)))) for r in rounds}


def commit(outcome: Outcome, owner: str, now: datetime) -> int:
    """Write the draw's results, invitations and profile changes in one transaction; returns invitations."""
    codes = grids.state_codes()
    allocation, entries = outcome.allocation, outcome.entries
    invited_rows = np.flatnonzero(allocation.state >= 0)
    states = allocation.state[invited_rows].astype(np.int64)
    slots = np.argmax(entries.preferences[invited_rows] == states[:, None], axis=1)
    ids = entries.candidate_ids[invited_rows]
    scores = entries.scores[invited_rows, slots]
    ranks = entries.ranks[invited_rows, slots]
    expires = now + timedelta(days=setting("INVITATION_DAYS"))
    draw_key = f"{outcome.rounds[0].scheduled_at:%Y%m%dT%H%MZ}"
    draw_states = sorted(codes[p.state] for p in outcome.parts)
    by_state = {p.state: r for p, r in zip(outcome.parts, outcome.rounds)}
    eligible_pools = eligible_pool_sizes(outcome, len(codes))
    masks = draw.packed_masks(outcome.parts)
    table = Round.__table__
    try:
        with engines.writer().begin() as connection:
            for part, round_, mask in zip(outcome.parts, outcome.rounds, masks):
                changed = connection.execute(update(table).where(
                    table.c.id == round_.id, table.c.status == RoundStatus.SCHEDULED.value,
                    table.c.lease_owner == owner,
                ).values(**_results(outcome, part, draw_key, draw_states, int(eligible_pools[part.state]),
                                    mask, now))).rowcount
                if changed != 1:
                    raise RoundsError(f"round {round_.key} was completed or taken over by another process")
            if len(ids):
                # A state's round id by state index (0 for states outside this draw: none of them invites).
                round_ids = np.array([by_state[s].id if s in by_state else 0 for s in range(len(codes))])
                connection.execute(insert_columns(connection, Invitation.__table__, {
                    "round_id": round_ids[states].tolist(), "candidate_id": ids.tolist(),
                    "state_code": np.asarray(codes)[states].tolist(), "score": scores.tolist(),
                    "rank": ranks.tolist(), "preference": (slots + 1).tolist(),
                }, {"status": InvitationStatus.PENDING.value, "issued_at": now, "expires_at": expires}))
            moved = 0
            profiles = Profile.__table__
            for start in range(0, len(ids), CHUNK):
                moved += connection.execute(update(profiles).where(
                    profiles.c.account_id.in_(ids[start:start + CHUNK].tolist()),
                    not_indexed(profiles.c.status) == ProfileStatus.ACTIVE.value,
                ).values(status=ProfileStatus.INVITED.value)).rowcount
            if moved != len(ids):
                raise RoundsError("some invited candidates left the pool while the round ran; it will run again")
            # Each invitee is told in this same transaction: no mail for a round rolled back, none lost.
            limit = setting("UNANSWERED_INVITATIONS_LIMIT")
            enqueue_all(connection, "invitation_issued", [
                notice(c, f"invitation-issued:{by_state[s].id}:{c}", state=codes[s], round=by_state[s].key,
                       deadline=expires, limit=limit)
                for s, c in zip(states.tolist(), ids.tolist())])
    except IntegrityError:
        raise RoundsError("a candidate was invited by another round meanwhile; the round will run again") from None
    return len(ids)


def eligible_pool_sizes(outcome: Outcome, state_count: int) -> np.ndarray:
    """(S,) how many candidates each state of the draw could invite (after its restrictions)."""
    return np.bincount(outcome.entries.preferences[outcome.restricted != draw.NO_SCORE].astype(np.int64),
                       minlength=state_count)


def cutoff(allocation, entries, state: int) -> dict:
    """A state's count and cut-off in an allocation, as the round's columns hold them."""
    last = int(allocation.cutoff_candidate[state])
    cutoff_us = int(allocation.cutoff_submitted_at[state]) if last >= 0 else None
    return {
        "invited": int(allocation.invited[state]),
        "cutoff_score": int(allocation.cutoff_score[state]) if last >= 0 else None,
        "cutoff_submitted_us": cutoff_us,
        "cutoff_submitted_at": EPOCH + timedelta(microseconds=cutoff_us) if cutoff_us is not None else None,
        "cutoff_candidate_id": int(entries.candidate_ids[last]) if last >= 0 else None,
    }


def _results(outcome: Outcome, part: draw.DrawRound, draw_key: str, draw_states: list[str], eligible_pool: int,
             eligible_mask: bytes, now: datetime) -> dict:
    return {
        "status": RoundStatus.COMPLETED.value, "completed_at": now, "lease_owner": None, "lease_expires_at": None,
        "draw_key": draw_key, "draw_states": draw_states, "ranking_run_id": outcome.run.id, "quota": part.quota,
        "eligible_pool": eligible_pool, **cutoff(outcome.allocation, outcome.entries, part.state),
        "input_hash": outcome.input_hash, "rule_versions": outcome.rule_versions,
        "eligible_mask": eligible_mask,
        **({"category": outcome.categories[part.key]} if part.key in outcome.categories else {}),
    }


def run_moment(moment: datetime, owner: str) -> str:
    """Claim, allocate and commit the rounds due at `moment`; one line for the log."""
    rounds = claim(moment, owner, clock.now())
    _pause("claimed")
    try:
        outcome = compute(rounds, clock.now())
        _pause("allocated")
        invited = commit(outcome, owner, clock.now())
    except Exception:
        release(moment, owner)
        raise
    _pause("committed")
    keys = ", ".join(r.key for r in rounds)
    return f"completed {keys}: {invited} invitations from ranking run {outcome.run.id}"


def run_due(owner: str | None = None) -> list[str]:
    """Run the due draws oldest first, stopping at the first that cannot run now.

    A later draw must see an earlier one's invitations (those candidates are out of it), so a
    process never runs past a draw another process holds or that failed: the holder goes on
    to the later draws itself, and a failed one runs again, in order, at the next check.
    """
    owner = owner or owner_id()
    with engines.reader().connect() as connection:
        moments = due_moments(connection, clock.now())
    lines = []
    for moment in moments:
        try:
            lines.append(run_moment(moment, owner))
        except RoundsError as reason:
            lines.append(f"not run: {reason}")
            break
    return lines or ["no rounds due"]
