"""The nightly re-rank: score the whole active pool with the rules in force on the run's date.

The pool is read in one snapshot as (id, first submission, record) through Arrow
(`app.storage.columnar`, batch by batch: each batch is scored while the database reads the
next), scored with the `eu` grid and every state's overlay revision in force on the run date
(the states not taking part that day left out: NO_SCORE there), ranked per state, and written as
a run: first its row (incomplete), then its entries, tie groups and pool chunks (`run_pool`,
what rounds and previews read), on SQLite in chunks that each hold the write lock for a fraction
of a second, on PostgreSQL in one transaction; the last transaction sets the run's hashes and
marks it complete. Readers only ever look at the newest complete run, so they switch from
yesterday's ranking to today's at that commit, never half-way. Reading and scoring happen
outside any write transaction.

That is why this orchestrator, not `db.unit_of_work()`, opens its transactions on the engines
itself: one unit of work would hold the write lock while scoring and writing a million rows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from ranking import NO_SCORE, standings
from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.accounts.models import Account
from app.profiles.models import Profile, ProfileStatus, of_another_contract
from app.ranking_runs import run_entries
from app.ranking_runs.models import (ENTRY_COLUMNS, SLOT_COLUMNS, RankingEntry, RankingRun, RankingRunPool,
                                     RankingTieGroup)
from app.rounds.models import Round
from app.states import grid as grids
from app.states import participation
from app.config import setting
from app.ranking_runs import run_pool, run_removal, tie_groups
from app.storage import columnar, entry_slots, process_lock


@dataclass(frozen=True)
class PoolColumns:
    """Candidate ids, first-submission instants (µs since the epoch, UTC) and the engine's columns
    (views into `records`, the grid's records they were read as, when the reader kept them)."""

    candidate_ids: np.ndarray
    submitted_us: np.ndarray
    columns: dict[str, np.ndarray]
    records: np.ndarray | None = None


# The hashes of a run still being written: set, with its completion, by its last write.
UNHASHED = ""


class AlreadyRanked(Exception):
    """A complete run for that date exists (or another process is writing it right now)."""


@dataclass(frozen=True)
class Rules:
    """What the pool is scored with: the compiled grid, the revisions that identify it, who takes part."""

    grid: object
    overlay_versions: dict
    taking_part: tuple[str, ...] | None = None  # None: every state of the grid

    def versions(self) -> dict:
        versions = {"grid": self.grid.name, "grid_version": self.grid.version, "overlays": self.overlay_versions}
        if self.taking_part is not None:  # absent before participation was data: old runs' hashes still verify
            versions["taking_part"] = list(self.taking_part)
        return versions

    def states_taking_part(self) -> tuple[str, ...]:
        return grids.state_codes(self.grid) if self.taking_part is None else self.taking_part


@dataclass(frozen=True)
class RerankReport:
    run_id: int
    run_date: dt.date
    input_hash: str
    candidates: int
    eligible: int
    seconds_reading: float
    seconds_scoring: float
    seconds_writing: float
    longest_write_transaction: float  # on SQLite: the longest the write lock was held
    write_transactions: int


def rules_in_force(session, day: dt.date) -> Rules:
    """The rules in force on `day`: the grid with each state's overlay revision in force then (and
    which revision that is, null for the shipped overlay) and the states taking part."""
    grid = grids.in_force(session, day)
    stored = grids.revisions_in_force(session, day)
    versions = {}
    for code in grids.state_codes(grid):
        row = stored.get(code)
        versions[code] = ({"version": row.version, "revision": row.id, "effective_from": row.effective_from.isoformat()}
                          if row is not None
                          else {"version": grids.shipped_overlay(code).get("version"), "revision": None,
                                "effective_from": None})
    return Rules(grid, versions, participation.taking_part(session, day))


class StaleRecords(Exception):
    """Some active profiles were encoded under another grid contract: their records cannot be scored."""


def read_pool_records(engine: Engine, as_of: dt.datetime, grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every active, unexpired profile of a verified account at `as_of`, ordered by candidate id, in one Arrow read.

    Returns (candidate ids, (N,) int64; first submissions in µs since the epoch, (N,) int64;
    records, (N,) `grid.record_dtype`, a view of the driver's buffer until sorted).
    StaleRecords if any active record is of another grid contract (they are left out of the
    read, and counted first). Ordered by numpy, not ORDER BY: sorting costs the database more.
    """
    statement, width = _pool_statement(engine, as_of, grid)
    try:
        columns = columnar.read(engine, statement, binary={"record": width})
    except ValueError:
        raise StaleRecords(f"some records are not {width} bytes long: run `flask pool reencode`") from None
    records = grid.records_from_bytes(columns["record"].reshape(-1))
    return _by_id(columns["account_id"], columns["first_submitted_us"], records)


@dataclass(frozen=True)
class PoolScores:
    """What the run keeps of the grid's scores: (N,) total and eligible, (N, K) states and state totals."""

    total: np.ndarray
    eligible: np.ndarray
    states: np.ndarray
    state_totals: np.ndarray

    FIELDS = ("total", "eligible", "states", "state_totals")


def read_and_score_pool(engine: Engine, as_of: dt.datetime, rules: Rules, run_date: dt.date
                        ) -> tuple[PoolColumns, PoolScores, float]:
    """`read_pool`, with every batch scored by the grid as it arrives while the database reads the
    next (`columnar.read_batches`): reading and scoring overlap instead of following each other.

    Returns the pool and its scores, both by candidate id, and the seconds spent scoring."""
    grid = rules.grid
    statement, width = _pool_statement(engine, as_of, grid)
    parts, scoring = [], 0.0
    try:
        for columns in columnar.read_batches(engine, statement, binary={"record": width}):
            tick = time.perf_counter()
            records = grid.records_from_bytes(columns["record"].reshape(-1))
            scores = grid.score(grid.columns_from_records(records), as_of=run_date)
            # The records' bytes, not the records: numpy joins a structured dtype field by field,
            # twice as slowly (0.16 s against 0.09 s for 1M records of 19 fields, measured).
            parts.append((columns["account_id"], columns["first_submitted_us"], columns["record"],
                          *(getattr(scores, name) for name in PoolScores.FIELDS)))
            scoring += time.perf_counter() - tick
    except ValueError:
        raise StaleRecords(f"some records are not {width} bytes long: run `flask pool reencode`") from None
    tick = time.perf_counter()
    if parts:
        ids, submitted, record_bytes, *scored = (np.concatenate(arrays) for arrays in zip(*parts))
        records = grid.records_from_bytes(record_bytes.reshape(-1))
    else:  # nobody to rank: empty columns of the right shapes, as the grid scores them
        records = np.zeros(0, dtype=grid.record_dtype)
        scores = grid.score(grid.columns_from_records(records), as_of=run_date)
        ids, submitted = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        scored = [getattr(scores, name) for name in PoolScores.FIELDS]
    ordered = _by_id(ids, submitted, records, *scored)
    pool = PoolColumns(candidate_ids=ordered[0], submitted_us=ordered[1],
                       columns=grid.columns_from_records(ordered[2]), records=ordered[2])
    return pool, PoolScores(*ordered[3:]), scoring + time.perf_counter() - tick


def _pool_statement(engine: Engine, as_of: dt.datetime, grid):
    """The SELECT of the active pool's (account_id, first_submitted_us, record) and the record's
    width; StaleRecords if any active profile's record is of another grid contract."""
    table, accounts = Profile.__table__, Account.__table__
    # Only candidates who proved their address: a profile can be filled before, not ranked.
    verified = select(Account.id).where(Account.email_verified_at.is_not(None))
    active = ((table.c.status == ProfileStatus.ACTIVE.value) & (table.c.expires_at > as_of)
              & table.c.account_id.in_(verified))
    with engine.connect() as connection:
        stale = stale_count(connection, grid, active)
    if stale:
        raise StaleRecords(f"{stale} active profiles were encoded under another grid contract than "
                           f"{grid.record_version}: run `flask pool reencode` first")
    # The same rows as `active`, but joined on the account's primary key instead of `IN (subquery)`:
    # SQLite then looks each account up instead of building and probing a list of a million ids
    # (1.8 s to 1.2 s of CPU at 1M, measured); PostgreSQL plans both as the same merge join.
    statement = (select(table.c.account_id, table.c.first_submitted_us, table.c.record)
                 .join(accounts, accounts.c.id == table.c.account_id)
                 .where(table.c.status == ProfileStatus.ACTIVE.value, table.c.expires_at > as_of,
                        accounts.c.email_verified_at.is_not(None), table.c.record_grid == grid.record_version))
    return statement, grid.record_dtype.itemsize


def _by_id(ids: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """`ids` and `columns` (aligned on their first axis) ordered by id; unchanged if already."""
    if ids.size < 2 or bool((ids[1:] > ids[:-1]).all()):  # a table scanned in id order: no sort, no copies
        return (ids, *columns)
    order = np.argsort(ids, kind="stable")
    return (ids[order], *(column[order] for column in columns))


def stale_count(connection: Connection, grid, where=None) -> int:
    """How many profiles (of those `where` selects; default: the active ones) have records of another grid."""
    table = Profile.__table__
    if where is None:
        where = table.c.status == ProfileStatus.ACTIVE.value
    other = of_another_contract(grid.record_version)
    # First over the record_grid index alone (no row read when there are none, the usual case).
    if not connection.execute(select(func.count()).select_from(table).where(other)).scalar_one():
        return 0
    return connection.execute(select(func.count()).select_from(table).where(where, other)).scalar_one()


def read_pool(engine: Engine, as_of: dt.datetime, grid) -> PoolColumns:
    """The active pool at `as_of` as the engine's columns (views into its records), by candidate id."""
    ids, submitted, records = read_pool_records(engine, as_of, grid)
    return PoolColumns(candidate_ids=ids, submitted_us=submitted, columns=grid.columns_from_records(records),
                       records=records)


def input_hash(pool: PoolColumns, run_date: dt.date, rules: Rules) -> str:
    """SHA-256 of the canonical input: the rules' versions and date, then every column in candidate order."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"run_date": run_date.isoformat(), **rules.versions()}, sort_keys=True).encode())
    arrays = [("candidate_id", pool.candidate_ids, "<i8"), ("first_submitted_us", pool.submitted_us, "<i8")]
    arrays += [(name, pool.columns[name], pool.columns[name].dtype.newbyteorder("<")) for name in rules.grid.columns]
    for name, values, dtype in arrays:
        array = np.ascontiguousarray(values, dtype=dtype)
        digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
        digest.update(array.reshape(-1).view(np.uint8))  # the bytes of tobytes(), without copying them
    return digest.hexdigest()


def entries_hash(entries: np.ndarray) -> str:
    """SHA-256 of the entries matrix (ENTRY_COLUMNS, candidate order) as little-endian int64.

    Over the matrix's own bytes, not a `tobytes()` copy of them (800 MB at 10M)."""
    return hashlib.sha256(np.ascontiguousarray(entries, dtype="<i8").reshape(-1).view(np.uint8)).hexdigest()


def score_pool(pool: PoolColumns, run_date: dt.date, rules: Rules, scores: PoolScores | None = None):
    """The pool's entries (`RunEntries`: the matrix (N, len(ENTRY_COLUMNS)) as stored, with its
    decoded columns already in hand), how many are eligible somewhere, and the `standings.Ranking`
    they came from (the tie groups are cut from its round order, not sorted again). `scores`: the
    grid's scores of the pool if already made (`read_and_score_pool`)."""
    if scores is None:
        scores = rules.grid.score(pool.columns, as_of=run_date)
    state_totals = totals_taking_part(scores.states, scores.state_totals, rules)
    ranked = standings.ranking(scores.states, state_totals, pool.submitted_us, pool.candidate_ids)
    ranks = ranked.ranks
    n = len(pool.candidate_ids)
    entries = np.empty((n, len(ENTRY_COLUMNS)), dtype=np.int64)
    start, ranked_somewhere = ENTRY_COLUMNS.index(SLOT_COLUMNS[0]), 0
    # Filled a block of rows at a time, every column of it while the block is in the cache: a
    # column at a time walked the whole matrix once per column (560 MB at 10M).
    for low in range(0, n, entry_slots.BLOCK_ROWS):
        rows = slice(low, low + entry_slots.BLOCK_ROWS)
        block = entries[rows]
        block[:, 0], block[:, 1] = pool.candidate_ids[rows], pool.submitted_us[rows]
        block[:, 2], block[:, 3] = scores.total[rows], scores.eligible[rows]
        entry_slots.pack(scores.states[rows], state_totals[rows], ranks[rows],
                         out=block[:, start:start + len(SLOT_COLUMNS)])
        ranked_somewhere += int((ranks[rows] > 0).any(axis=1).sum())
    decoded = run_entries.RunEntries.decoded(entries, scores.states, state_totals, ranks)
    return decoded, ranked_somewhere, ranked


def totals_taking_part(states: np.ndarray, state_totals: np.ndarray, rules: Rules) -> np.ndarray:
    """`state_totals` (N, slots) with NO_SCORE at states not taking part: nobody is ranked or invited there."""
    taking_part = set(rules.states_taking_part())
    absent = [index for index, code in enumerate(grids.state_codes(rules.grid)) if code not in taking_part]
    if not absent:
        return state_totals
    return np.where(np.isin(states, absent), NO_SCORE, state_totals).astype(state_totals.dtype, copy=False)


def rerank(engine: Engine, write_engine: Engine, rules: Rules, run_date: dt.date, *,
           replace: bool = False) -> RerankReport:
    """Rank the pool as of `run_date` and record it as that date's run (AlreadyRanked if there is one).

    With `replace`, an existing run for the date that no round was allocated from is replaced.
    One re-rank at a time (`process_lock`), so an incomplete run found here was left by a
    process that died half-way: it is cleared and the ranking done again.
    """
    with process_lock.held(write_engine, "rerank") as alone:
        if not alone:
            raise AlreadyRanked(f"another process is ranking the pool right now (for {run_date} or another date)")
        return _rerank(engine, write_engine, rules, run_date, replace=replace)


def _rerank(engine: Engine, write_engine: Engine, rules: Rules, run_date: dt.date, *, replace: bool) -> RerankReport:
    started = clock.now()
    tick = time.perf_counter()
    with engine.connect() as connection:
        if not replace and _run_id(connection, run_date, complete=True) is not None:
            raise AlreadyRanked(f"the pool was already ranked for {run_date}")
    pool, scores, scoring = read_and_score_pool(engine, started, rules, run_date)
    read_done = time.perf_counter() - scoring  # the read's share: its wall time less the scoring in it
    # The hashes are computed by a thread (hashlib lets go of the GIL): the input's while this
    # one ranks, the entries' while the database takes the entry rows. So are the tie groups and
    # the pool chunks (zstd lets go of it too): the database's process or server works through
    # the entry rows meanwhile, and this process would mostly wait. The hashes go into the
    # statement that marks the run complete, the last thing written.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rerank-hashes") as hashing, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="rerank-run-parts") as making:
        hashed_input = hashing.submit(input_hash, pool, run_date, rules)
        ranked, eligible, ranking = score_pool(pool, run_date, rules, scores)
        entries = ranked.matrix
        hashed_entries = hashing.submit(entries_hash, entries)
        scored = time.perf_counter()
        run_id = _new_run(write_engine, rules, run_date, started, len(entries), eligible, replace)
        groups = making.submit(_tie_group_rows, run_id, ranked, ranking)
        # Only the tie groups need the ranking's pair arrays (at 10M, 25M pairs: 600 MB) and only
        # the entries the grid's scores: not kept through the write once those are made.
        del ranking, scores
        chunks = making.submit(run_pool.rows, run_id, entries, pool.records, rules.grid.record_version)
        table = RankingRun.__table__

        def complete():
            return update(table).where(table.c.id == run_id).values(
                input_hash=hashed_input.result(), entries_hash=hashed_entries.result(), completed_at=clock.now())

        with_run = {"run_id": np.full(len(entries), run_id, dtype=np.int64),
                    **{name: entries[:, i] for i, name in enumerate(ENTRY_COLUMNS)}}
        report = columnar.write(write_engine, [
            columnar.Rows(RankingEntry.__table__, with_run, chunk_rows=setting("RERANK_CHUNK_ROWS")),
            columnar.Pending(RankingTieGroup.__table__, groups),
            columnar.Pending(RankingRunPool.__table__, chunks),
        ], finish=complete)
        digest, written = hashed_input.result(), hashed_entries.result()
    run_entries.remember(run_id, written, ranked)
    _after_complete(write_engine, run_id, started)
    return RerankReport(run_id, run_date, digest, len(entries), eligible, read_done - tick, scored - read_done,
                        time.perf_counter() - scored, report.longest, len(report.transactions))


def _new_run(write_engine: Engine, rules: Rules, run_date: dt.date, started: dt.datetime, candidates: int,
             eligible: int, replace: bool) -> int:
    """The run's row, incomplete and without its hashes until its last write sets them; that
    date's incomplete (or, with `replace`, replaceable) run removed first."""
    existing = _existing_run(write_engine, run_date, replace)
    if existing is not None:
        run_removal.remove(write_engine, existing)
    try:
        with write_engine.begin() as connection:
            return connection.execute(RankingRun.__table__.insert().values(
                run_date=run_date, started_at=started, grid=rules.grid.name, grid_version=rules.grid.version,
                overlay_versions=rules.overlay_versions, taking_part=list(rules.states_taking_part()),
                input_hash=UNHASHED, entries_hash=UNHASHED, candidates=candidates, eligible=eligible,
            ).returning(RankingRun.__table__.c.id)).scalar_one()
    except IntegrityError:
        raise AlreadyRanked(f"another process is ranking the pool for {run_date}") from None


def _tie_group_rows(run_id: int, ranked: run_entries.RunEntries, ranking: standings.Ranking) -> columnar.Rows:
    groups = tie_groups.of_entries(run_id, ranked, ranking)
    return columnar.Rows(RankingTieGroup.__table__, groups, chunk_rows=tie_groups.chunk_rows(groups))


def _after_complete(write_engine: Engine, run_id: int, started: dt.datetime) -> None:
    """Once the run is complete: only it keeps its pool chunks, and candidates erased while it was
    ranked (their records were read before the erasure) are blanked in them."""
    run_pool.prune(write_engine, run_id)
    accounts = Account.__table__
    with write_engine.begin() as connection:
        erased = connection.execute(select(accounts.c.id).where(accounts.c.erased_at >= started)).scalars().all()
        if erased:
            run_pool.scrub(connection, erased)


def _existing_run(write_engine: Engine, run_date: dt.date, replace: bool) -> int | None:
    """That date's run if it may be replaced: incomplete (left by a crash), or complete with
    `replace` and no round allocated from it; AlreadyRanked otherwise."""
    with write_engine.connect() as connection:
        existing = _run_id(connection, run_date)
        if existing is None:
            return None
        if not replace and _run_id(connection, run_date, complete=True) is not None:
            raise AlreadyRanked(f"the pool was already ranked for {run_date}")
        used = connection.execute(select(Round.__table__.c.key).where(Round.__table__.c.ranking_run_id == existing)
                                  .limit(1)).scalar()
    if used is not None:
        raise AlreadyRanked(f"round {used} was allocated from run {existing}; it cannot be replaced")
    return existing


def _run_id(connection: Connection, run_date: dt.date, *, complete: bool = False) -> int | None:
    """The run of that date (an incomplete one, left by a migration, only if not `complete`)."""
    table = RankingRun.__table__
    statement = select(table.c.id).where(table.c.run_date == run_date)
    if complete:
        statement = statement.where(table.c.completed_at.is_not(None))
    return connection.execute(statement).scalar()
