"""The generic engine: one compiled grid that encodes profiles and scores whole pools.

A grid file says everything about a points system; this module only knows how to run one.
Scoring walks the pool in blocks of rows (`SCORING_BLOCK_ROWS`) small enough that every intermediate array stays in
the processor's cache, and within a block every step is a whole-array operation: there is no
Python loop per candidate anywhere below `Grid.score`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ranking.constants import SCORING_BLOCK_ROWS
from ranking.errors import GridError
from ranking.grid.evaluation import Evaluation
from ranking.grid.files import read_toml
from ranking.grid.inputs import Column, Encoder, Obj, parse_inputs
from ranking.grid.points import Factor, Group, Rule, Section, compile_factor, compile_rule
from ranking.grid.quantities import Registry
from ranking.grid.records import RecordLayout
from ranking.grid.scores import Scores
from ranking.grid.states import StatePart, compile_states

TOP_LEVEL = {"grid", "types", "inputs", "constraints", "values", "tiers", "sections", "groups", "factors",
             "eligibility", "states", "state_factors"}


def today() -> dt.date:
    """The current date in UTC, the default date ages are computed at."""
    return dt.datetime.now(dt.timezone.utc).date()


def day_code(day: dt.date) -> int:
    """A date as the YYYYMMDD integer the engine computes ages with."""
    return day.year * 10000 + day.month * 100 + day.day


@dataclass
class Grid:
    """A compiled grid: its identity, its input contract, and the rules that score it."""

    name: str
    version: str
    title: str
    source: str
    encoder: Encoder = field(repr=False)
    registry: Registry = field(repr=False)
    sections: list[Section] = field(repr=False)
    groups: list[Group] = field(repr=False)
    factors: list[Factor] = field(repr=False)
    rules: list[Rule] = field(repr=False)
    states: StatePart | None = field(repr=False, default=None)

    # -- the contract -----------------------------------------------------------------------

    @property
    def columns(self) -> dict[str, Column]:
        """Every input column by name: its type, its code range, its shape."""
        return self.encoder.columns

    @property
    def inputs(self) -> Obj:
        """The input tree: the profile document's fields, types, ranges and list limits."""
        return self.encoder.root

    def codes(self, column: str) -> tuple[str, ...]:
        """The labels of an enum column, in code order (the code of labels[j] is first_code + j)."""
        try:
            return self.columns[column].scalar.labels
        except KeyError:
            raise KeyError(f"{self.name} has no input column {column!r}") from None

    @property
    def state_codes(self) -> tuple[str, ...]:
        """The member states this grid scores for (index = the state's code in columns)."""
        return self.states.codes if self.states else ()

    def encode(self, profiles: list[dict], as_of: dt.date | None = None) -> dict[str, np.ndarray]:
        """Validate `profiles` and return their columns; the first bad one raises ProfileError."""
        return self.encoder.encode(profiles, as_of or today())

    # -- records: one fixed-width binary record per profile (see ranking.grid.records) ----------

    @cached_property
    def records(self) -> RecordLayout:
        return RecordLayout.of(self.name, self.encoder)

    @property
    def record_dtype(self) -> np.dtype:
        """The packed structured dtype of one record: a field per column, (M,) subarrays for lists."""
        return self.records.dtype

    @property
    def record_version(self) -> str:
        """The tag of records encoded by this grid: a hash of its input contract (not of its points)."""
        return self.records.version

    def encode_records(self, profiles: list[dict], as_of: dt.date | None = None) -> np.ndarray:
        """Validate `profiles` like `encode` and return them as an (N,) array of `record_dtype`."""
        return self.records.encode(profiles, as_of or today())

    def columns_from_records(self, records: np.ndarray) -> dict[str, np.ndarray]:
        """The columns `score` takes, as zero-copy views into an (N,) array of `record_dtype`."""
        return self.records.columns(records)

    def records_from_bytes(self, buffer: bytes | bytearray | memoryview) -> np.ndarray:
        """(N,) records over N records' concatenated bytes, without a copy."""
        return self.records.from_bytes(buffer)

    def decode(self, record: np.void | np.ndarray | bytes) -> dict:
        """The profile document of one record (a record_dtype element, or its bytes)."""
        return self.records.decode(record)

    # -- scoring ------------------------------------------------------------------------------

    def score(self, columns: dict[str, np.ndarray] | np.ndarray, as_of: dt.date | None = None) -> Scores:
        """Score every candidate in `columns` (as `encode` makes them, built directly, or records)."""
        if isinstance(columns, np.ndarray):
            columns = self.columns_from_records(columns)
        n = self._check_columns(columns)
        scores = Scores.empty(self, n)
        for _, ev, rows in self._blocks(columns, n, as_of):
            self._score_block(ev, scores, rows)
        scores.freeze()
        return scores

    def _blocks(self, columns: dict[str, np.ndarray], n: int, as_of: dt.date | None):
        """(block, its evaluation, its rows) for every block of `SCORING_BLOCK_ROWS` candidates.

        One contiguous copy per column and block (a no-op for contiguous columns): record
        fields are strided views, and a block's copy stays in cache, where scoring the strided
        views directly or copying whole columns first both measured slower."""
        as_of_code = day_code(as_of or today())
        for start in range(0, n, SCORING_BLOCK_ROWS):
            stop = min(start + SCORING_BLOCK_ROWS, n)
            block = {name: np.ascontiguousarray(array[start:stop]) for name, array in columns.items()
                     if name in self.columns}
            self._check_codes(block)
            yield block, Evaluation(self.registry, block, as_of_code, stop - start), slice(start, stop)

    def totals_at(self, columns: dict[str, np.ndarray], state: int, as_of: dt.date | None = None,
                  variants: tuple["Grid", ...] = ()) -> list[np.ndarray]:
        """Each candidate's total at member state `state` (its index) as if it were their only
        preference, NO_SCORE where not eligible there: (N,) under this grid, then one (N,) under
        each of `variants`, this grid with other overlays (`with_overlays`).

        A state's additions do not depend on where in the list it stands or what else is listed,
        and scoring fills only the list slots in use: so this costs the common part once and one
        state's additions per grid, not five (a preview of a rule change: before and after)."""
        if not self.states:
            raise ValueError(f"{self.name}: a grid without member states has no total at a state")
        shared = ("encoder", "registry", "sections", "groups", "factors", "rules")
        if any(getattr(variant, name) is not getattr(self, name) for variant in variants for name in shared):
            raise ValueError(f"{self.name}: a variant may differ from the grid in its overlays only")
        choices = self.columns[self.states.choices.name]
        n = self._check_columns(columns)
        only = np.full((n, *choices.shape_suffix), choices.scalar.absent, dtype=choices.scalar.dtype)
        only[:, 0] = state
        columns = {**columns, choices.name: only}
        first = Scores.empty(self, n)
        outputs = [first]
        for variant in variants:  # the common part's arrays shared; each grid its own states' arrays
            scores = Scores(grid=variant, total=first.total, eligible=first.eligible, breakdown=first.breakdown,
                            failures=first.failures)
            variant.states.allocate(scores, n)
            outputs.append(scores)
        for block, ev, rows in self._blocks(columns, n, as_of):
            total, eligible, waivable = self._score_common(ev, first, rows)
            for grid, scores in zip((self, *variants), outputs):
                # The states' parts keep per-block tables in the evaluation: one fork each.
                grid.states.score_block(ev.fork(), total, eligible, scores, rows, waivable)
        return [scores.state_totals[:, 0].copy() for scores in outputs]

    def _score_block(self, ev: Evaluation, scores: Scores, rows: slice) -> None:
        total, eligible, waivable = self._score_common(ev, scores, rows)
        if self.states:
            self.states.score_block(ev, total, eligible, scores, rows, waivable)

    def _score_common(self, ev: Evaluation, scores: Scores, rows: slice):
        """Fill the common part of one block; (its totals, who is eligible, and who passes every
        common rule but the one a state may waive, None without a waiver) for the states' part."""
        breakdown = scores.breakdown
        for factor in self.factors:
            breakdown[factor.name][rows] = factor.compute(ev)
        for group in self.groups:
            subtotal = _sum(breakdown, group.factors, rows)
            breakdown[group.name][rows] = subtotal if group.cap is None else np.minimum(subtotal, group.cap)
        total = np.zeros(rows.stop - rows.start, dtype=np.int32)
        for section in self.sections:
            members = self._members(section.name)
            subtotal = _sum(breakdown, members, rows)
            if section.cap is not None:
                subtotal = np.minimum(subtotal, section.cap)
            breakdown[section.name][rows] = subtotal
            total += subtotal
        scores.total[rows] = total
        eligible = np.ones(len(total), dtype=bool)
        for position, rule in enumerate(self.rules):
            passes = rule.passes(ev, total)
            np.logical_not(passes, out=scores.failures.T[position, rows])
            eligible &= passes
        scores.eligible[rows] = eligible
        waivable = None
        if self.states and self.states.waiver is not None:
            # Everyone who passes every common rule except the one a state may waive.
            waivable = np.ones(len(total), dtype=bool)
            for position, rule in enumerate(self.rules):
                if rule.id != self.states.waiver.waives:
                    waivable &= ~scores.failures.T[position, rows]
        return total, eligible, waivable

    def _members(self, section: str) -> list[str]:
        grouped = {f for g in self.groups for f in g.factors}
        return [f.name for f in self.factors if f.section == section and f.name not in grouped] + [
            g.name for g in self.groups if g.section == section]

    def _check_columns(self, columns: dict[str, np.ndarray]) -> int:
        missing = [name for name in self.columns if name not in columns]
        if missing:
            raise ValueError(f"{self.name}: missing input column {missing[0]!r}")
        lengths = {len(columns[name]) for name in self.columns}
        if len(lengths) != 1:
            raise ValueError(f"{self.name}: input columns differ in length")
        for name, column in self.columns.items():
            array = columns[name]
            if array.shape[1:] != column.shape_suffix or array.dtype.kind not in "iu":
                raise ValueError(f"{self.name}: column {name!r} must be integers of shape (N, *{column.shape_suffix})")
        return lengths.pop()

    def _check_codes(self, block: dict[str, np.ndarray]) -> None:
        """Every code of a block within its column's range (checked per block: cheap on its copy)."""
        for name, column in self.columns.items():
            array = block[name]
            if len(array):
                low, high = column.scalar.code_range
                if array.min() < low or array.max() > high:
                    raise ValueError(f"{self.name}: column {name!r} holds codes outside {low}..{high}")

    def with_overlays(self, overlays: dict[str, dict]) -> "Grid":
        """The same grid with some member states' overlays replaced (validated first)."""
        if not self.states:
            raise GridError(self.source, "states", f"{self.name} has no member-state overlays")
        return replace(self, states=self.states.replaced(overlays))


def _sum(breakdown: dict[str, np.ndarray], names: list[str] | tuple[str, ...], rows: slice) -> np.ndarray:
    total = np.zeros(rows.stop - rows.start, dtype=np.int32)
    for name in names:
        total += breakdown[name][rows]
    return total


# -- building a grid from its file ------------------------------------------------------------

def build_grid(doc: dict, source: str, base_dir: Path) -> Grid:
    """Compile a grid document; every problem raises GridError naming the item at fault."""
    unknown = set(doc) - TOP_LEVEL
    if unknown:
        raise GridError(source, sorted(unknown)[0], f"unknown top-level key; allowed: {', '.join(sorted(TOP_LEVEL))}")
    meta = doc.get("grid")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not isinstance(meta.get("version"), str):
        raise GridError(source, "grid", "the grid needs a [grid] table with a 'name' and a 'version' (strings)")
    root, constraints = parse_inputs(doc, source)
    encoder = Encoder(root, constraints)
    registry = Registry.build(encoder.columns, doc, source)
    sections = _sections(doc, source)
    groups, group_of = _groups(doc, source, sections)
    factors = _factors(doc, source, registry, sections, group_of)
    taken = [s.name for s in sections] + [g.name for g in groups] + [f.name for f in factors]
    clash = {n for n in taken if taken.count(n) > 1}
    if clash:
        raise GridError(source, sorted(clash)[0], "sections, groups and factors need distinct names")
    rules = [compile_rule(registry, i, spec) for i, spec in enumerate(doc.get("eligibility", []))]
    grid = Grid(meta["name"], meta["version"], str(meta.get("title", meta["name"])), source, encoder,
                registry, sections, groups, factors, rules)
    for section in sections:
        if not grid._members(section.name):
            raise GridError(source, f"sections.{section.name}", "the section has no factors")
    if "states" in doc or "state_factors" in doc:
        grid = replace(grid, states=compile_states(doc, source, base_dir, registry))
        waiver = grid.states.waiver_spec
        if waiver and waiver["waives"] not in {rule.id for rule in rules}:
            raise GridError(source, "states.entry_waiver.waives", f"no eligibility rule {waiver['waives']!r}")
    return grid


def _sections(doc: dict, source: str) -> list[Section]:
    specs = doc.get("sections")
    if not isinstance(specs, dict) or not specs:
        raise GridError(source, "sections", "the grid needs at least one section")
    out = []
    for name, spec in specs.items():
        unknown = set(spec) - {"cap", "description"}
        if unknown:
            raise GridError(source, f"sections.{name}", f"unknown key {sorted(unknown)[0]!r}")
        out.append(Section(name, _cap(spec.get("cap"), source, f"sections.{name}"), spec.get("description", "")))
    return out


def _cap(value: Any, source: str, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GridError(source, f"{where}.cap", "a cap is a whole number of points, 0 or more")
    return value


def _groups(doc: dict, source: str, sections: list[Section]) -> tuple[list[Group], dict[str, str]]:
    section_names = {s.name for s in sections}
    groups, group_of = [], {}
    factor_names = set(doc.get("factors", {}))
    for name, spec in doc.get("groups", {}).items():
        where = f"groups.{name}"
        unknown = set(spec) - {"section", "factors", "cap", "description"}
        if unknown:
            raise GridError(source, where, f"unknown key {sorted(unknown)[0]!r}")
        members = spec.get("factors")
        if not isinstance(members, list) or not members:
            raise GridError(source, where, "a cap on nothing: the group lists no factors")
        for member in members:
            if member not in factor_names:
                raise GridError(source, where, f"{member!r} is not a factor of this grid")
            if member in group_of:
                raise GridError(source, where, f"{member!r} is already in group {group_of[member]!r}")
            group_of[member] = name
        if spec.get("section") not in section_names:
            raise GridError(source, where, f"'section' must be one of {sorted(section_names)}")
        groups.append(Group(name, spec["section"], tuple(members), _cap(spec.get("cap"), source, where),
                            spec.get("description", "")))
    return groups, group_of


def _factors(doc: dict, source: str, registry: Registry, sections: list[Section],
             group_of: dict[str, str]) -> list[Factor]:
    specs = doc.get("factors")
    if not isinstance(specs, dict) or not specs:
        raise GridError(source, "factors", "the grid needs at least one factor")
    groups = doc.get("groups", {})
    section_names = {s.name for s in sections}
    out = []
    for name, spec in specs.items():
        where = f"factors.{name}"
        if not isinstance(spec, dict):
            raise GridError(source, where, "must be a table")
        group = group_of.get(name)
        section = groups[group]["section"] if group else spec.get("section")
        if section not in section_names:
            raise GridError(source, where, f"'section' must be one of {sorted(section_names)}")
        if group and spec.get("section", section) != section:
            raise GridError(source, where, f"its section differs from that of its group {group!r}")
        out.append(compile_factor(registry, name, spec, section, group))
    return out
