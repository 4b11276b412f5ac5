"""Factors, groups, sections and eligibility rules: how quantities become points.

A factor looks its points up in one flat table indexed by the codes of its inputs (`of`) and
of the categories it depends on (`by`), so a factor over age × "spouse accompanies" is one
gather, whatever the shape of the official table it transcribes. A factor `of` several
quantities sums their lookups (four language abilities); a factor of a list reduces per-item
points (the best language). Caps apply at every level the official grids cap at: the factor,
a group of factors, a section.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ranking.errors import GridError
from ranking.grid.evaluation import Evaluation, select
from ranking.grid.lookup import Lookup
from ranking.grid.quantities import ITEM_REDUCTIONS, Quantity, Registry, check_bounds, reduce_items

MAX_POINTS = 10_000  # far above any real grid; keeps every subtotal inside int16


@dataclass(frozen=True)
class Factor:
    """One line of the grid: points from a table lookup, capped, maybe conditional."""

    name: str
    section: str
    group: str | None
    description: str
    compute: Callable[[Evaluation], np.ndarray]
    maximum: int


@dataclass(frozen=True)
class Group:
    """Factors whose sum is capped together (e.g. CRS transferability's education pair)."""

    name: str
    section: str
    factors: tuple[str, ...]
    cap: int | None
    description: str


@dataclass(frozen=True)
class Section:
    """A part of the total with its own subtotal and cap (e.g. CRS 'additional', max 600)."""

    name: str
    cap: int | None
    description: str


@dataclass(frozen=True)
class Rule:
    """An eligibility rule: who passes it, and the reason shown to those who do not."""

    id: str
    reason: str
    passes: Callable[[Evaluation, np.ndarray], np.ndarray]


class Table:
    """Compiles a nested points table (by labels of `by`, then `of`) into one flat array."""

    def __init__(self, registry: Registry, by: list[Quantity], where: str):
        self.registry = registry
        self.by = by
        self.where = where
        self.sizes = [q.size for q in by]
        self.combos = int(np.prod(self.sizes)) if by else 1

    def fail(self, problem: str, where: str | None = None) -> GridError:
        return GridError(self.registry.source, where or self.where, problem)

    def by_index(self, ev: Evaluation) -> np.ndarray | int:
        """The row of the table each candidate's `by` categories select."""
        index: np.ndarray | int = 0
        for quantity, size in zip(self.by, self.sizes):
            codes = np.subtract(ev[quantity.name], quantity.low, dtype=np.intp)
            index = codes if isinstance(index, int) else index * size + codes
        return index

    def rows(self, spec: Any, leaf: Callable[[Any, str], np.ndarray], width: int, what: str) -> np.ndarray:
        """A (combos, width) array from a table nested by the `by` labels; absent keys score 0."""
        out = np.zeros((self.combos, width), dtype=np.int64)
        self._fill(spec, 0, 0, out, leaf, f"{self.where}.{what}")
        return out

    def _fill(self, spec: Any, depth: int, base: int, out: np.ndarray, leaf, where: str) -> None:
        if depth == len(self.by):
            out[base] = leaf(spec, where)
            return
        quantity = self.by[depth]
        if not isinstance(spec, dict):
            raise self.fail(f"expected a table by the labels of {quantity.name} ({', '.join(quantity.labels)})", where)
        keys = dict(spec)
        for label in keys:
            quantity.code(label, self.registry.source, where)  # unknown labels are errors
        for label in quantity.labels:
            if label not in keys:
                raise self.fail(f"no entry for {quantity.name} = {label!r}", where)
            code = quantity.code(label, self.registry.source, where) - quantity.low
            stride = int(np.prod(self.sizes[depth + 1:])) if depth + 1 < len(self.by) else 1
            self._fill(keys[label], depth + 1, base + code * stride, out, leaf, f"{where}.{label}")


def _points_value(value: Any, registry: Registry, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POINTS:
        raise GridError(registry.source, where, f"points must be whole numbers from 0 to {MAX_POINTS}, not {value!r}")
    return value


def compile_factor(registry: Registry, name: str, spec: dict, section: str, group: str | None) -> Factor:
    """Turn one `[factors.NAME]` table into a vectorised lookup."""
    where = f"factors.{name}"
    allowed = {"section", "of", "by", "bands", "points", "cap", "when", "items", "item_codes", "value", "description"}
    unknown = set(spec) - allowed
    if unknown:
        raise registry.fail(where, f"unknown key {sorted(unknown)[0]!r}")
    if "value" in spec:
        return _value_factor(registry, name, spec, section, group, where)
    if "points" not in spec:
        raise registry.fail(where, "a factor needs 'points' (or 'value': a number that is its points)")
    by_names = spec.get("by", [])
    by_names = [by_names] if isinstance(by_names, str) else by_names
    by = [registry.get(n, f"{where}.by") for n in by_names]
    for quantity in by:
        if not quantity.categorical or quantity.slots:
            raise registry.fail(where, f"'by' must name categories (tiers, enums, booleans); {quantity.name} is not")
    table = Table(registry, by, where)
    condition = registry.condition(spec["when"], f"{where}.when") if "when" in spec else None

    if "of" not in spec:
        if by or "bands" in spec or not isinstance(spec["points"], int):
            raise registry.fail(where, "a factor without 'of' is a flat bonus: 'points' is one number and 'when' says who gets it")
        if condition is None:
            raise registry.fail(where, "a flat bonus needs 'when'")
        flat = _points_value(spec["points"], registry, f"{where}.points")

        def bonus(ev: Evaluation) -> np.ndarray:
            return select(condition(ev), np.int16(flat))

        return Factor(name, section, group, spec.get("description", ""), bonus, flat)

    of_names = [spec["of"]] if isinstance(spec["of"], str) else list(spec["of"])
    parts = [registry.get(n, f"{where}.of") for n in of_names]
    if not parts or len({(p.categorical, p.slots) for p in parts}) != 1:
        raise registry.fail(where, "'of' names one or more quantities of the same kind")
    low, high = min(p.low for p in parts), max(p.high for p in parts)
    if parts[0].categorical:
        if len({p.labels for p in parts}) != 1:
            raise registry.fail(where, "categories summed in one factor must share their labels")
        if "bands" in spec:
            raise registry.fail(where, f"{parts[0].name} is a category: its points are a table by label, not bands")
        labels, first = parts[0].labels, parts[0].first_code

        def leaf(value: Any, at: str) -> np.ndarray:
            if not isinstance(value, dict):
                raise registry.fail(at, f"expected points by label of {parts[0].name} ({', '.join(labels)})")
            row = np.zeros(high - low + 1, dtype=np.int64)
            keys = dict(value)
            for label in keys:
                parts[0].code(label, registry.source, at)
            for label in labels:
                if label not in keys:
                    raise registry.fail(at, f"no points for {parts[0].name} = {label!r}")
                row[labels.index(label) + first - low] = _points_value(keys[label], registry, f"{at}.{label}")
            return row
    else:
        bounds = spec.get("bands")
        if not isinstance(bounds, list) or not bounds or not all(isinstance(b, int) for b in bounds):
            raise registry.fail(where, f"{parts[0].name} is a number: give 'bands' (lower bounds) and points per band")
        for part in parts:
            check_bounds(bounds, part, registry.source, f"{where}.bands")
        band_of_value = np.searchsorted(np.asarray(bounds), np.arange(low, high + 1), side="right") - 1

        def leaf(value: Any, at: str) -> np.ndarray:
            if not isinstance(value, list) or len(value) != len(bounds):
                raise registry.fail(at, f"expected a list of {len(bounds)} points, one per band of {bounds}")
            points = np.array([_points_value(v, registry, f"{at}[{i}]") for i, v in enumerate(value)])
            return points[band_of_value]

    rows = table.rows(spec["points"], leaf, high - low + 1, "points")
    caps = _caps(registry, table, spec.get("cap"), where)
    items = spec.get("items")
    slots = parts[0].slots
    if slots and items not in ITEM_REDUCTIONS:
        raise registry.fail(where, f"{parts[0].name} is a list: say 'items' = {', '.join(ITEM_REDUCTIONS)}")
    if not slots and ("items" in spec or "item_codes" in spec):
        raise registry.fail(where, "'items' applies only to list inputs")
    keep = registry.item_filter(spec.get("item_codes"), parts[0], where) if slots else None
    lookup = Lookup(rows, len(parts), low, None if slots else caps)
    of_columns = [p.name for p in parts]

    def compute(ev: Evaluation) -> np.ndarray:
        row = table.by_index(ev)
        codes = [ev[column] for column in of_columns]
        if not slots:
            points = lookup(codes, row)
        else:
            per_item = [lookup([c[j] for c in codes], row) for j in range(len(codes[0]))]
            if keep is not None:
                per_item = [select(kept, p) for kept, p in zip(keep(ev), per_item)]
            points = reduce_items(per_item, items, ev, np.int32)
            if caps is not None:
                points = np.minimum(points, caps if np.ndim(caps) == 0 else caps[row])
        if condition is not None:
            points = select(condition(ev), points)
        return points.astype(np.int16, copy=False)

    per_item = rows.max(axis=1) * len(parts)
    per_row = per_item * (slots if slots and items == "sum" else 1)
    maximum = int(per_row.max()) if caps is None else int(np.minimum(per_row, caps).max())
    if maximum > MAX_POINTS:
        raise registry.fail(where, f"can reach {maximum} points, more than {MAX_POINTS}: add a cap")
    return Factor(name, section, group, spec.get("description", ""), compute, maximum)


def _value_factor(registry: Registry, name: str, spec: dict, section: str, group: str | None, where: str) -> Factor:
    """A factor whose points are a derived number itself (e.g. a language's scored strength)."""
    unknown = set(spec) - {"section", "value", "cap", "when", "description"}
    if unknown:
        raise registry.fail(where, f"unknown key {sorted(unknown)[0]!r} (a 'value' factor has: value, cap, when)")
    quantity = registry.get(spec["value"], f"{where}.value")
    if quantity.categorical or quantity.slots or quantity.low < 0:
        raise registry.fail(where, f"'value' must name a number of 0 or more per candidate; {quantity.name} is not")
    cap = spec.get("cap")
    if cap is not None:
        cap = _points_value(cap, registry, f"{where}.cap")
    condition = registry.condition(spec["when"], f"{where}.when") if "when" in spec else None
    maximum = quantity.high if cap is None else min(cap, quantity.high)
    if maximum > MAX_POINTS:
        raise registry.fail(where, f"can reach {maximum} points, more than {MAX_POINTS}: add a cap")

    def compute(ev: Evaluation) -> np.ndarray:
        points = ev[quantity.name]
        if cap is not None:
            points = np.minimum(points, cap)
        if condition is not None:
            points = select(condition(ev), points)
        return points.astype(np.int16, copy=False)

    return Factor(name, section, group, spec.get("description", ""), compute, maximum)


def _caps(registry: Registry, table: Table, spec: Any, where: str) -> np.ndarray | int | None:
    if spec is None:
        return None
    if isinstance(spec, int) and not isinstance(spec, bool):
        return _points_value(spec, registry, f"{where}.cap")
    if not table.by:
        raise registry.fail(where, "'cap' is one number (or a table by the labels of 'by')")
    caps = table.rows(spec, lambda v, at: np.array([_points_value(v, registry, at)]), 1, "cap")
    return caps.reshape(-1).astype(np.int16)


def compile_rule(registry: Registry, index: int, spec: Any) -> Rule:
    """One `[[eligibility]]` entry: `total_min`, `when` (must hold) or `any` (one must hold)."""
    where = f"eligibility[{index}]"
    if not isinstance(spec, dict):
        raise registry.fail(where, "must be a table")
    unknown = set(spec) - {"id", "reason", "total_min", "when", "any"}
    if unknown:
        raise registry.fail(where, f"unknown key {sorted(unknown)[0]!r}")
    reason = spec.get("reason")
    if not isinstance(reason, str) or not reason:
        raise registry.fail(where, "every rule needs a 'reason' a candidate can read")
    kinds = [k for k in ("total_min", "when", "any") if k in spec]
    if len(kinds) != 1:
        raise registry.fail(where, "a rule has exactly one of: total_min, when, any")
    rule_id = str(spec.get("id", f"rule_{index}"))
    if "total_min" in spec:
        minimum = _points_value(spec["total_min"], registry, f"{where}.total_min")
        return Rule(rule_id, reason, lambda ev, total: total >= minimum)
    if "when" in spec:
        test = registry.condition(spec["when"], f"{where}.when")
        return Rule(rule_id, reason, lambda ev, total: test(ev))
    options = spec["any"]
    if not isinstance(options, list) or not options:
        raise registry.fail(where, "'any' is a list of conditions")
    tests = [registry.condition(c, f"{where}.any[{i}]") for i, c in enumerate(options)]

    def any_holds(ev: Evaluation, total: np.ndarray) -> np.ndarray:
        result = tests[0](ev)
        for test in tests[1:]:
            result = result | test(ev)
        return result

    return Rule(rule_id, reason, any_holds)
