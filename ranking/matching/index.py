"""Every vacancy's top k over the whole pool (the nightly job), through an index instead of the cross product.

**The index.** Every findable candidate is entered in a few posting lists, each keyed by a
population and a language:

    occupation o     candidates with experience in unit group o           (per occupation they hold)
    minor group g    candidates with experience in some unit group of g   (per group, once)
    everyone         every findable candidate
  x language l       ... who list language l (and once more under "no language")

An entry's *key* is the part of the fit the candidate brings whatever the vacancy:
EDUCATION_STEP x EQF level, LANGUAGE_STEP x the four skills' CEFR codes of l (0 under "no
language"), and for the occupation and group lists YEARS_STEP x the years in o's or g's minor
group (counting at most YEARS_CAP), plus EXACT_BONUS in the occupation lists. Each list is sorted
by key descending, then row (= candidate id order). All lists live in one sorted int64 array
(list id, key, row packed), with their starts found by binary search: about 11 entries per
candidate, 9 bytes each with the sort, for the eu grid's synthetic pool.

**A vacancy's scans.** A vacancy of occupation o (minor group g) scans one or two lists, each
under the required language whose list there is shortest (or "no language"):
  1. the holders of o when years count in the occupation, of any occupation of g when they
     count in the group;
  2. without minimum years, everyone, skipping the candidates scan 1 covered.
For every entry of a scan, fit <= key + K, where K is the vacancy's constant (minus its floors,
plus the most its other required languages could add, plus the exact-occupation bonus in a
group list, whose keys leave it out): exact for the language scanned, an upper bound for the
rest. A scan walks its list in chunks; the pairs that pass the cheap tests (EQF level, state:
`screen`) get their real fit (`evaluation.pair_fits`) into the scan's own top k. It stops when
the next entry's bound cannot beat the k-th best (a lower fit, or the same fit with a higher
candidate id), when the bound is below zero (no match possible), or at the list's end. The
scans cover disjoint candidates, so a vacancy's top k is the best k of their top k's.

**Vectorised.** All scans of a batch of vacancies advance together: each round gathers the next
chunk of every active scan (chunks doubling from `FIRST_CHUNK`), tests all the pairs in one
`pair_fits` call, and merges them into the (scans, k) tops with one partition; finished scans
drop out. There is no Python loop per candidate or per vacancy; memory is bounded by
`VACANCY_BATCH` and `PAIRS_PER_STEP`.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ranking.matching.columns import Pool, Vacancies
from ranking.matching.evaluation import MOST_FIT, packed_order, pair_fits, used_language_slots
from ranking.matching.fit import EDUCATION_STEP, EXACT_BONUS, LANGUAGE_STEP, YEARS_CAP, YEARS_STEP
from ranking.matching.results import TopMatches

OCCUPATIONS = 10_000            # ISCO-08 unit groups are 4 digits
GROUPS = 1_000                  # minor groups, 3 digits
EVERYONE = OCCUPATIONS + GROUPS  # the population id of "everyone"
ROW_BITS, KEY_BITS = 32, 12
LIST_SHIFT = ROW_BITS + KEY_BITS
KEY_TOP = (1 << KEY_BITS) - 1
ROW_MASK = (1 << ROW_BITS) - 1
NO_KEY = np.iinfo(np.int64).max
FIRST_CHUNK = 64
LAST_CHUNK = 8192
PAIRS_PER_STEP = 1 << 19
VACANCY_BATCH = 1 << 14
# Vacancy batches searched at once (threads); one per core of the 2-core machine the targets are for.
THREADS = min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Index:
    """The pool's posting lists: `entries` sorted int64 (list id << 44 | (KEY_TOP - key) << 32 | row),
    `starts` (lists + 1,) int64 offsets; list id = population * (languages + 1) + (language + 1)."""

    entries: np.ndarray
    starts: np.ndarray
    languages: int

    def list_id(self, population, language):
        return np.asarray(population, np.int64) * (self.languages + 1) + (np.asarray(language, np.int64) + 1)

    def length(self, lists) -> np.ndarray:
        return self.starts[np.asarray(lists) + 1] - self.starts[lists]


def _group_years(pool: Pool) -> list[np.ndarray]:
    """Per occupation slot, (N,) int16: YEARS_STEP x the years in that slot's minor group, at most YEARS_CAP."""
    out = []
    for group in pool.group:
        years = np.zeros(len(pool), dtype=np.int16)
        for other, held in zip(pool.group, pool.years):
            years += held * (other == group)
        out.append(YEARS_STEP * np.minimum(years, YEARS_CAP))
    return out


def _populations(pool: Pool, group_years: list[np.ndarray]):
    """(population id, key part, present) per population slot: occupations, groups (first of each), everyone.

    Ids and keys stay narrow (or scalars) over the whole pool; they widen only on the rows chosen."""
    for slot, occupation in enumerate(pool.occupation):
        yield occupation, group_years[slot] + EXACT_BONUS, occupation >= 0
    for slot, group in enumerate(pool.group):
        first = group >= 0
        for earlier in pool.group[:slot]:
            first &= earlier != group
        yield group, group_years[slot], first
    yield None, 0, np.ones(len(pool), bool)


def _languages(pool: Pool):
    """(language code, key part, present) per language option: none, then each slot."""
    yield None, 0, np.ones(len(pool), bool)
    for slot, language in enumerate(pool.language):
        strength = pool.levels[:, slot].sum(axis=0, dtype=np.int16)
        yield language, LANGUAGE_STEP * strength, language >= 0


def _chosen(values, offset: int, fallback: int, chosen: np.ndarray) -> np.ndarray | int:
    """`values` (an (N,) array, or None for `fallback`) at `chosen`, widened to int64 plus `offset`."""
    return fallback if values is None else values[chosen].astype(np.int64) + offset


def _part(values, chosen: np.ndarray) -> np.ndarray | int:
    return values if np.isscalar(values) else values[chosen].astype(np.int64)


def build_index(pool: Pool) -> Index:
    """The posting lists of `pool`'s findable candidates (see the module's docstring)."""
    scale = pool.scale
    if len(pool) > ROW_MASK:
        raise ValueError(f"a pool of {len(pool)} candidates is larger than the index's {ROW_MASK} rows")
    most_key = EDUCATION_STEP * scale.education[1] + LANGUAGE_STEP * 4 * scale.top_level \
        + YEARS_STEP * YEARS_CAP + EXACT_BONUS
    index_lists = (EVERYONE + 1) * (len(scale.languages) + 1)
    if most_key > KEY_TOP or index_lists >= 1 << (63 - LIST_SHIFT):
        raise ValueError("the grid's levels or languages do not fit the index's packed keys")
    education = (EDUCATION_STEP * pool.education).astype(np.int16)
    group_years = _group_years(pool)
    languages = list(_languages(pool))
    # Counted first, so the entries are written straight into one array (no segments to join).
    total = sum(int(np.count_nonzero(present & pool.findable & listed))
                for _, _, present in _populations(pool, group_years) for _, _, listed in languages)
    entries = np.empty(total, dtype=np.int64)
    filled = 0
    for slot, (population, population_key, present) in enumerate(_populations(pool, group_years)):
        offset = 0 if slot < len(pool.occupation) else OCCUPATIONS  # group ids follow the unit groups
        present = present & pool.findable
        for language, language_key, listed in languages:
            chosen = np.flatnonzero(present & listed)
            lists = _chosen(population, offset, EVERYONE, chosen) * (len(scale.languages) + 1) \
                + _chosen(language, 1, 0, chosen)
            key = education[chosen].astype(np.int64) + _part(population_key, chosen) + _part(language_key, chosen)
            entries[filled:filled + len(chosen)] = (lists << LIST_SHIFT) | ((KEY_TOP - key) << ROW_BITS) | chosen
            filled += len(chosen)
    entries.sort()
    bounds = np.arange(index_lists + 1, dtype=np.int64) << LIST_SHIFT
    return Index(entries=entries, starts=np.searchsorted(entries, bounds), languages=len(scale.languages))


@dataclass
class _Scans:
    """The scans of one batch of vacancies, one row each."""

    vacancy: np.ndarray      # (J,) int64 index into the batch
    position: np.ndarray     # (J,) int64 next entry
    end: np.ndarray          # (J,) int64
    constant: np.ndarray     # (J,) int64: bound = key + constant
    skip_occupation: np.ndarray
    skip_group: np.ndarray
    top: np.ndarray          # (J, k) int64 packed (fit, row), NO_KEY where empty


def _key_language(index: Index, vacancies: Vacancies, population: np.ndarray) -> np.ndarray:
    """(V,) the required language (code, -1 for none) whose list in `population` is shortest."""
    best = np.full(len(vacancies), -1, np.int64)
    shortest = np.full(len(vacancies), np.iinfo(np.int64).max)
    for required in vacancies.language:
        length = np.where(required >= 0, index.length(index.list_id(population, np.maximum(required, 0))),
                          np.iinfo(np.int64).max)
        better = length < shortest
        best = np.where(better, required, best)
        shortest = np.minimum(shortest, length)
    return best


def _constant(vacancies: Vacancies, key_language: np.ndarray) -> np.ndarray:
    """(V,) K: fit <= key + K for every entry the vacancy's scan under `key_language` can match."""
    scale = vacancies.scale
    floor = np.maximum(vacancies.education_min.astype(np.int64), scale.education[0])
    constant = -EDUCATION_STEP * floor - YEARS_STEP * np.minimum(vacancies.years_min.astype(np.int64), YEARS_CAP)
    for slot, required in enumerate(vacancies.language):
        minimum = np.maximum(vacancies.skill_min[:, slot].astype(np.int64), 1).sum(axis=0)
        scanned = (required >= 0) & (required == key_language)
        other = (required >= 0) & ~scanned
        constant -= np.where(scanned, LANGUAGE_STEP * minimum, 0)
        constant += np.where(other, LANGUAGE_STEP * (4 * scale.top_level - minimum), 0)
    return constant


def _plan(index: Index, vacancies: Vacancies, k: int) -> _Scans:
    v = len(vacancies)
    occupation = vacancies.occupation.astype(np.int64)
    group = occupation // 10
    none = np.full(v, -1, np.int16)
    plans = []
    # 1. the holders of the occupation, or of any occupation of its minor group, when years count there
    plans.append((np.ones(v, bool), np.where(vacancies.group_scope, OCCUPATIONS + group, occupation), none, none))
    # 2. everyone else, when no years are required
    no_years = vacancies.years_min == 0
    plans.append((no_years, np.full(v, EVERYONE, np.int64),
                  np.where(vacancies.group_scope, -1, occupation).astype(np.int16),
                  np.where(vacancies.group_scope, group, -1).astype(np.int16)))
    parts = []
    for wanted, population, skip_occupation, skip_group in plans:
        language = _key_language(index, vacancies, population)
        lists = index.list_id(population, language)
        # A group list's keys leave out the exact-occupation bonus, which some of its members earn.
        constant = _constant(vacancies, language) + np.where(population >= OCCUPATIONS, EXACT_BONUS, 0) * \
            (population < EVERYONE)
        chosen = np.flatnonzero(wanted)
        parts.append((chosen, index.starts[lists[chosen]], index.starts[lists[chosen] + 1],
                      constant[chosen], skip_occupation[chosen], skip_group[chosen]))
    columns = [np.concatenate(part) for part in zip(*parts)]
    return _Scans(*columns, top=np.full((len(columns[0]), k), NO_KEY, np.int64))


def _advance(index: Index, pool: Pool, vacancies: Vacancies, scans: _Scans, active: np.ndarray, chunk: int,
             k: int) -> np.ndarray:
    """Scan the next `chunk` entries of the `active` scans; return which of them are finished."""
    offsets = scans.position[active, None] + np.arange(chunk)
    inside = offsets < scans.end[active, None]
    entries = index.entries[np.where(inside, offsets, 0)]
    rows = (entries & ROW_MASK).ravel()
    scan = np.repeat(active, chunk)
    pairs = np.flatnonzero(inside.ravel() & screen(pool, rows, vacancies, scans.vacancy[scan]))
    fits = np.full(len(rows), -1, np.int32)
    fits[pairs] = pair_fits(pool.take(rows[pairs]), vacancies.take(scans.vacancy[scan[pairs]]),
                            scans.skip_occupation[scan[pairs]], scans.skip_group[scan[pairs]])
    found = packed_order(fits, rows).reshape(len(active), chunk)
    merged = np.concatenate([scans.top[active], found], axis=1)
    scans.top[active] = np.partition(merged, k - 1, axis=1)[:, :k]
    scans.position[active] += chunk
    position = scans.position[active]
    finished = position >= scans.end[active]
    following = index.entries[np.where(finished, 0, position)]
    key = KEY_TOP - ((following >> ROW_BITS) & KEY_TOP)
    bound = np.minimum(key + scans.constant[active], MOST_FIT)
    best_left = ((MOST_FIT - bound) << ROW_BITS) | (following & ROW_MASK)
    kth = scans.top[active].max(axis=1)
    return finished | (bound < 0) | (best_left > kth)


def screen(pool: Pool, rows: np.ndarray, vacancies: Vacancies, vacancy: np.ndarray) -> np.ndarray:
    """Whether each pair (pool row, vacancy) passes the cheap tests: EQF level and state. Gathers
    only those columns, so the full test (`pair_fits`) gathers the rest for fewer pairs."""
    wanted = pool.any_state[rows].copy()
    state = vacancies.state[vacancy]
    for preference in pool.preferences:
        wanted |= preference[rows] == state
    return wanted & (pool.education[rows] >= vacancies.education_min[vacancy])


def _batch(index: Index, pool: Pool, vacancies: Vacancies, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(vacancy index, packed key) of every top entry of the batch's scans."""
    scans = _plan(index, vacancies, k)
    active = np.flatnonzero(scans.position < scans.end)
    chunk = FIRST_CHUNK
    while len(active):
        per_step = max(1, PAIRS_PER_STEP // chunk)
        finished = np.concatenate([_advance(index, pool, vacancies, scans, active[i:i + per_step], chunk, k)
                                   for i in range(0, len(active), per_step)])
        active = active[~finished]
        chunk = min(chunk * 2, LAST_CHUNK)
    vacancy = np.repeat(scans.vacancy, k)
    keys = scans.top.ravel()
    kept = keys != NO_KEY
    return vacancy[kept], keys[kept]


def top_matches_for_all(pool: Pool, vacancies: Vacancies, k: int = 100) -> TopMatches:
    if isinstance(k, bool) or int(k) != k or k < 0:
        raise ValueError(f"k must be a whole number >= 0, not {k!r}")
    if pool.scale != vacancies.scale:
        raise ValueError("the pool and the vacancies were built from grids with different codes")
    k = int(k)
    if not k or not len(vacancies) or not len(pool):
        empty = np.empty(0, np.int64)
        return TopMatches(empty, empty, empty.astype(np.int32), empty.astype(np.int32))
    index = build_index(pool)
    slots = max(used_language_slots(vacancies), 1)
    trimmed = Vacancies(vacancies.scale, vacancies.ids, vacancies.state, vacancies.occupation,
                        vacancies.education_min, vacancies.language[:slots], vacancies.skill_min[:, :slots],
                        vacancies.years_min, vacancies.group_scope)
    starts = range(0, len(trimmed), VACANCY_BATCH)

    def one_batch(start: int) -> tuple[np.ndarray, np.ndarray]:
        vacancy, keys = _batch(index, pool, trimmed.take(slice(start, start + VACANCY_BATCH)), k)
        return vacancy + start, keys

    # Batches share only the read-only index and pool, and numpy releases the GIL on arrays this
    # large, so batches run on `THREADS` threads at once; results are joined in batch order, so
    # the outcome does not depend on how many ran together.
    with ThreadPoolExecutor(max_workers=max(1, min(THREADS, len(starts)))) as workers:
        found = list(workers.map(one_batch, starts))
    vacancy, keys = np.concatenate([v for v, _ in found]), np.concatenate([key for _, key in found])
    order = np.lexsort((keys, vacancy))
    vacancy, keys = vacancy[order], keys[order]
    first = np.searchsorted(vacancy, vacancy, side="left")
    rank = np.arange(len(vacancy)) - first
    kept = rank < k
    vacancy, keys, rank = vacancy[kept], keys[kept], rank[kept]
    fits = (MOST_FIT - (keys >> ROW_BITS)).astype(np.int32)
    return TopMatches(vacancy=vacancy.astype(np.int64), candidate=pool.ids[keys & ROW_MASK],
                      fit=fits, rank=(rank + 1).astype(np.int32))
