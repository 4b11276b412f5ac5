"""Named quantities a grid computes from its input columns: values, tiers and conditions.

Everything a factor can look points up by is a quantity: an input column, the 0/1 presence of
a nullable object, a derived number (`[values]`: an age, a sum of years, the weakest of four
language skills), or a tier (`[tiers]`: a derived category such as "CLB 7 or more on all four
abilities"). Each knows the range of codes it can take, which is what lets every lookup
compile to a flat table indexed by the codes themselves, and each computes itself on a whole
block of candidates at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ranking.errors import GridError
from ranking.grid.evaluation import AS_OF, Evaluation, select
from ranking.grid.inputs import Column
from ranking.grid.lookup import Lookup

Compute = Callable[[Evaluation], Any]
ITEM_REDUCTIONS = ("sum", "max", "second")


@dataclass(frozen=True)
class Quantity:
    """A named array over candidates (or over candidates × list slots) and its code range."""

    name: str
    categorical: bool
    low: int
    high: int
    labels: tuple[str, ...] = ()
    first_code: int = 0
    slots: int = 0
    compute: Compute | None = None  # None: read straight from the input columns
    code_digits: int = 0  # for ISCO-like code columns: matched by digit prefix
    group: str = ""  # for list quantities: the list they belong to

    @property
    def size(self) -> int:
        """How many codes a lookup table over this quantity needs."""
        return self.high - self.low + 1

    def code(self, label: Any, source: str, where: str) -> int:
        """The code of a label (TOML booleans name the labels of a bool)."""
        if isinstance(label, bool):
            label = "true" if label else "false"
        if label not in self.labels:
            raise GridError(source, where, f"{label!r} is not a label of {self.name} ({', '.join(self.labels)})")
        return self.first_code + self.labels.index(label)


def dtype_for(low: int, high: int) -> np.dtype:
    """The narrowest signed integer dtype holding [low, high]."""
    for candidate in (np.int8, np.int16, np.int32):
        info = np.iinfo(candidate)
        if info.min <= low and high <= info.max:
            return np.dtype(candidate)
    return np.dtype(np.int64)


def reduce_items(items: list[np.ndarray], how: str, ev: Evaluation, dtype) -> np.ndarray:
    """Sum, best or second-best over a list's per-slot arrays, elementwise (empty slots hold 0)."""
    if not items:
        return ev.zeros(dtype)
    if how == "sum":
        total = items[0].astype(dtype)
        for item in items[1:]:
            np.add(total, item, out=total, casting="unsafe")
        return total
    if how == "max":
        best = items[0].astype(dtype)
        for item in items[1:]:
            np.maximum(best, item, out=best, casting="unsafe")
        return best
    best, second = items[0].astype(dtype), ev.zeros(dtype)
    for item in items[1:]:
        np.maximum(second, np.minimum(best, item), out=second, casting="unsafe")
        np.maximum(best, item, out=best, casting="unsafe")
    return second


def input_quantity(column: Column) -> Quantity:
    """The quantity that reads an input column as it is."""
    scalar = column.scalar
    low, high = scalar.code_range
    group = column.name.split(".")[0] if column.slots else ""
    if scalar.kind == "enum":
        return Quantity(column.name, True, low, high, scalar.labels, scalar.first_code, column.slots, group=group)
    if scalar.kind == "bool":
        return Quantity(column.name, True, 0, 1, ("false", "true"), 0, column.slots, group=group)
    return Quantity(column.name, False, low, high, slots=column.slots,
                    code_digits=scalar.digits if scalar.kind == "code" else 0, group=group)


@dataclass
class Registry:
    """Every quantity of a grid by name; derived ones are compiled on first reference."""

    source: str
    quantities: dict[str, Quantity] = field(default_factory=dict)
    pending: dict[str, tuple[str, dict]] = field(default_factory=dict)
    list_keys: dict[str, tuple[str, int]] = field(default_factory=dict)  # list -> (column, absent code)
    _resolving: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, columns: dict[str, Column], doc: dict, source: str) -> "Registry":
        registry = cls(source, {name: input_quantity(c) for name, c in columns.items()})
        for name, column in columns.items():
            if column.slots:
                registry.list_keys.setdefault(name.split(".")[0], (name, column.scalar.absent))
        for section in ("values", "tiers"):
            specs = doc.get(section, {})
            if not isinstance(specs, dict):
                raise GridError(source, section, "must be a table")
            for name, spec in specs.items():
                if name in registry.quantities or name in registry.pending:
                    raise GridError(source, f"{section}.{name}", "this name is already an input or a value")
                if not isinstance(spec, dict):
                    raise GridError(source, f"{section}.{name}", "must be a table")
                registry.pending[name] = (section, spec)
        for name in list(registry.pending):
            registry.get(name, name)
        return registry

    def fail(self, where: str, problem: str) -> GridError:
        return GridError(self.source, where, problem)

    def get(self, name: Any, where: str) -> Quantity:
        """The quantity called `name`; compiles a derived one, catching unknown names and cycles."""
        if not isinstance(name, str):
            raise self.fail(where, f"expected the name of an input, value or tier, got {name!r}")
        if name in self.quantities:
            return self.quantities[name]
        if name not in self.pending:
            raise self.fail(where, f"{name!r} is not an input, value or tier of this grid")
        if name in self._resolving:
            raise self.fail(where, f"{name!r} is defined in terms of itself")
        self._resolving.add(name)
        section, spec = self.pending[name]
        compiler = _compile_value if section == "values" else _compile_tier
        quantity = compiler(self, name, spec, f"{section}.{name}")
        self._resolving.discard(name)
        del self.pending[name]
        self.quantities[name] = quantity
        return quantity

    # -- shared pieces ----------------------------------------------------------------------

    def combined(self, spec: dict, where: str, name: str) -> Quantity:
        """The quantity that `of` / `combine` / `items` / `item_codes` describe (maybe anonymous)."""
        names = spec.get("of")
        if names is None:
            raise self.fail(where, "needs 'of'")
        parts = [self.get(n, where) for n in ([names] if isinstance(names, str) else names)]
        if not parts:
            raise self.fail(where, "'of' is empty")
        if "combine" in spec and len(parts) == 1:
            raise self.fail(where, "'combine' needs more than one quantity in 'of'")
        quantity = parts[0]
        if len(parts) > 1:
            combined_name = f"{name}:per_item" if quantity.slots else name
            quantity = self._add(self._combine(parts, spec.get("combine", "sum"), where, combined_name))
        if quantity.slots:
            return self._add(self._reduce_items(quantity, spec, where, name))
        if "items" in spec or "item_codes" in spec:
            raise self.fail(where, "'items' applies only to list inputs")
        return quantity

    def _add(self, quantity: Quantity) -> Quantity:
        """Register an intermediate quantity so evaluations can compute it by name."""
        self.quantities[quantity.name] = quantity
        return quantity

    def _combine(self, parts: list[Quantity], how: str, where: str, name: str) -> Quantity:
        if how not in ("sum", "min", "max"):
            raise self.fail(where, f"'combine' must be sum, min or max, not {how!r}")
        if len({(p.slots, p.group) for p in parts}) != 1:
            raise self.fail(where, "can only combine quantities of the same list, or none")
        categorical = {p.categorical for p in parts}
        if categorical == {True}:
            if how == "sum" or len({(p.labels, p.first_code) for p in parts}) != 1:
                raise self.fail(where, "tiers combine only by min or max, and only with the same labels")
        elif categorical != {False}:
            raise self.fail(where, "cannot combine numbers with categories")
        first = parts[0]
        if how == "sum":
            low, high = sum(p.low for p in parts), sum(p.high for p in parts)
        elif how == "min":
            low, high = min(p.low for p in parts), min(p.high for p in parts)
        else:
            low, high = max(p.low for p in parts), max(p.high for p in parts)
        dtype = dtype_for(min(low, *(p.low for p in parts)), max(high, *(p.high for p in parts)))
        names = [p.name for p in parts]
        ufunc = {"sum": np.add, "min": np.minimum, "max": np.maximum}[how]

        def combine(arrays: list[np.ndarray]) -> np.ndarray:
            result = arrays[0].astype(dtype, copy=True)
            for other in arrays[1:]:
                ufunc(result, other, out=result, casting="unsafe")
            return result

        def compute(ev: Evaluation) -> Any:
            values = [ev[n] for n in names]
            if first.slots:
                return [combine([v[j] for v in values]) for j in range(len(values[0]))]
            return combine(values)

        return Quantity(name, first.categorical, low, high, first.labels, first.first_code,
                        first.slots, compute, group=first.group)

    def _reduce_items(self, quantity: Quantity, spec: dict, where: str, name: str) -> Quantity:
        how = spec.get("items")
        if how not in ITEM_REDUCTIONS:
            raise self.fail(where, f"{quantity.name} is a list: say 'items' = {', '.join(ITEM_REDUCTIONS)}")
        if quantity.categorical and how == "sum":
            raise self.fail(where, "categories cannot be summed over items")
        if how == "second" and quantity.slots < 2:
            raise self.fail(where, "'second' needs a list of at least two items")
        keep = self.item_filter(spec.get("item_codes"), quantity, where)
        low = min(quantity.low, 0)
        high = quantity.high * quantity.slots if how == "sum" else quantity.high
        dtype = dtype_for(min(low * quantity.slots, low), max(high, 0))
        source = quantity.name

        def compute(ev: Evaluation) -> np.ndarray:
            items = ev[source]
            if keep is not None:
                items = [select(kept, item) for kept, item in zip(keep(ev), items)]
            return reduce_items(items, how, ev, dtype)

        return Quantity(name, quantity.categorical, low, high, quantity.labels, quantity.first_code, 0, compute)

    def item_filter(self, spec: Any, items: Quantity, where: str) -> Callable[[Evaluation], list] | None:
        """`item_codes = {of = "list.code_field", prefixes = [...]}`: keep items whose code matches."""
        if spec is None:
            return None
        if not isinstance(spec, dict) or set(spec) != {"of", "prefixes"}:
            raise self.fail(where, "'item_codes' is a table with 'of' (a code field of the list) and 'prefixes'")
        codes = self.get(spec["of"], f"{where}.item_codes")
        if not codes.code_digits or codes.group != items.group:
            raise self.fail(where, f"'item_codes.of' must be a code field of the same list, not {codes.name}")
        table = prefix_table(spec["prefixes"], codes.code_digits, self.source, f"{where}.item_codes")
        name = codes.name
        return lambda ev: [np.take(table, np.add(code, 1, dtype=np.intp)) for code in ev[name]]

    def condition(self, spec: Any, where: str) -> Callable[[Evaluation], np.ndarray]:
        """`when = {name = label | [labels] | {min, max}}`: all of them must hold."""
        if not isinstance(spec, dict) or not spec:
            raise self.fail(where, "a condition is a table of quantity = label(s) or {min, max}")
        tests = [self._test(name, want, f"{where}.{name}") for name, want in spec.items()]

        def holds(ev: Evaluation) -> np.ndarray:
            result = tests[0](ev)
            for test in tests[1:]:
                result = result & test(ev)
            return result

        return holds

    def _test(self, name: str, want: Any, where: str) -> Callable[[Evaluation], np.ndarray]:
        quantity = self.get(name, where)
        if quantity.slots:
            raise self.fail(where, "a condition cannot test a list directly; derive a value first")
        if quantity.categorical:
            wanted = want if isinstance(want, list) else [want]
            table = np.zeros(quantity.size, dtype=bool)
            for label in wanted:
                table[quantity.code(label, self.source, where) - quantity.low] = True
            low = quantity.low
            return lambda ev: np.take(table, np.subtract(ev[name], low, dtype=np.intp))
        if not isinstance(want, dict) or not set(want) <= {"min", "max"} or not want:
            raise self.fail(where, f"{name} is a number: test it with {{min = …, max = …}}")
        low, high = want.get("min"), want.get("max")
        if low is not None and high is not None:
            return lambda ev: (ev[name] >= low) & (ev[name] <= high)
        if low is not None:
            return lambda ev: ev[name] >= low
        return lambda ev: ev[name] <= high


def prefix_table(prefixes: Any, digits: int, source: str, where: str) -> np.ndarray:
    """Bool table over codes -1..10**digits-1 (shifted by one): True where a prefix matches.

    ISCO-08 is hierarchical by digits (major group "2", sub-major "22", unit "2211"), so a
    set of prefixes is how a state or category names whole occupation groups at once.
    """
    if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
        raise GridError(source, where, "prefixes must be a list of digit strings")
    table = np.zeros(10**digits + 1, dtype=bool)
    for prefix in prefixes:
        if not (prefix.isascii() and prefix.isdigit() and 1 <= len(prefix) <= digits):
            raise GridError(source, where, f"{prefix!r} is not a code prefix of 1 to {digits} digits")
        span = 10 ** (digits - len(prefix))
        start = int(prefix) * span
        table[start + 1:start + span + 1] = True
    return table


def _compile_value(registry: Registry, name: str, spec: dict, where: str) -> Quantity:
    allowed = {"of", "combine", "items", "item_codes", "age_at", "points", "description"}
    unknown = set(spec) - allowed
    if unknown:
        raise registry.fail(where, f"unknown key {sorted(unknown)[0]!r}")
    if "points" in spec:
        return _scored_value(registry, name, spec, where)
    if "age_at" in spec:
        birth = registry.get(spec["age_at"], where)
        if birth.categorical or birth.slots or birth.high < 19000101:
            raise registry.fail(where, "'age_at' must name a date input")
        column = birth.name

        def age(ev: Evaluation) -> np.ndarray:
            born = ev[column]
            years = (ev[AS_OF] - born.astype(np.int32)) // 10000
            return select(born > 0, np.clip(years, 0, 150)).astype(np.int16)

        return Quantity(name, False, 0, 150, compute=age)
    quantity = registry.combined(spec, where, name)
    if quantity.categorical:
        raise registry.fail(where, "a value is a number; derive categories under [tiers]")
    return _renamed(quantity, name)


def _scored_value(registry: Registry, name: str, spec: dict, where: str) -> Quantity:
    """A number made by scoring categories (by label) and adding them, per item for a list.

    This is how a grid ranks list items by a strength that other factors then read: the EU
    grid's second language is the language whose four skills, scored on the best-language
    table, add up to the second-highest sum — one measure for "best" and "second".
    """
    names = spec.get("of")
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not names or "combine" in spec:
        raise registry.fail(where, "a scored value adds the points of the categories in 'of' (no 'combine')")
    parts = [registry.get(n, f"{where}.of") for n in names]
    first = parts[0]
    if not all(p.categorical for p in parts) or len({(p.labels, p.first_code, p.group) for p in parts}) != 1:
        raise registry.fail(where, "'points' scores categories with the same labels (and of the same list)")
    table = spec["points"]
    if not isinstance(table, dict) or set(table) != set(first.labels) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in table.values()):
        raise registry.fail(f"{where}.points", f"whole points, 0 or more, for each of {', '.join(first.labels)}")
    row = np.zeros(first.size, dtype=np.int64)  # absent codes score 0
    for label, value in table.items():
        row[first.code(label, registry.source, where) - first.low] = value
    lookup = Lookup(row[None, :], len(parts), first.low)
    per_item = int(row.max()) * len(parts)
    if not first.slots:
        if "items" in spec or "item_codes" in spec:
            raise registry.fail(where, "'items' applies only to list inputs")
        return Quantity(name, False, 0, per_item, compute=lambda ev: lookup([ev[n] for n in names], 0))
    how = spec.get("items")
    if how is None and "item_codes" not in spec:  # one number per item: a list value

        def per_item_points(ev: Evaluation) -> list[np.ndarray]:
            return [lookup([ev[n][j] for n in names], 0) for j in range(ev.used_slots(first.group))]

        return Quantity(name, False, 0, per_item, slots=first.slots, compute=per_item_points, group=first.group)
    if how not in ITEM_REDUCTIONS:
        raise registry.fail(where, f"{first.name} is a list: say 'items' = {', '.join(ITEM_REDUCTIONS)}")
    keep = registry.item_filter(spec.get("item_codes"), first, where)
    high = per_item * first.slots if how == "sum" else per_item
    dtype = dtype_for(0, high)

    def compute(ev: Evaluation) -> np.ndarray:
        items = [lookup([ev[n][j] for n in names], 0) for j in range(ev.used_slots(first.group))]
        if keep is not None:
            items = [select(kept, item) for kept, item in zip(keep(ev), items)]
        return reduce_items(items, how, ev, dtype)

    return Quantity(name, False, 0, high, compute=compute)


def _renamed(quantity: Quantity, name: str) -> Quantity:
    if quantity.name == name:
        return quantity
    source = quantity.name
    compute = quantity.compute if quantity.compute is not None else (lambda ev: ev[source])
    return Quantity(name, quantity.categorical, quantity.low, quantity.high, quantity.labels,
                    quantity.first_code, quantity.slots, compute, quantity.code_digits)


def _compile_tier(registry: Registry, name: str, spec: dict, where: str) -> Quantity:
    allowed = {"of", "combine", "items", "item_codes", "bands", "map", "labels", "when", "otherwise", "description"}
    unknown = set(spec) - allowed
    if unknown:
        raise registry.fail(where, f"unknown key {sorted(unknown)[0]!r}")
    base = registry.combined(spec, where, f"{name}:of")
    if base.slots:
        raise registry.fail(where, "a tier of a list needs 'items'")
    labels_hint = list(spec.get("labels") or [b[0] for b in spec.get("bands", []) if isinstance(b, list) and b]
                       or base.labels)
    if "otherwise" in spec and spec["otherwise"] not in labels_hint:
        raise registry.fail(where, f"'otherwise' must be one of the tier's labels {list(labels_hint)}")
    otherwise = labels_hint.index(spec["otherwise"]) if "otherwise" in spec else 0
    if "bands" in spec:
        if base.categorical:
            raise registry.fail(where, f"{base.name} is a category: use 'map', not 'bands'")
        labels, table = _band_table(registry, base, spec["bands"], where)
    elif "map" in spec:
        if not base.categorical:
            raise registry.fail(where, f"{base.name} is a number: use 'bands', not 'map'")
        labels, table = _map_table(registry, base, spec, where, otherwise)
    elif base.categorical:
        labels, table = base.labels, np.arange(base.low, base.high + 1) - base.first_code
        table = np.maximum(table, 0)
    else:
        raise registry.fail(where, "a tier needs 'bands' (of a number) or 'map' (of a category)")
    condition = registry.condition(spec["when"], f"{where}.when") if "when" in spec else None
    table = table.astype(np.int8)
    low, source = base.low, base.name

    def compute(ev: Evaluation) -> np.ndarray:
        codes = np.take(table, np.subtract(ev[source], low, dtype=np.intp))
        if condition is not None:
            codes = select(condition(ev), codes, np.int8(otherwise))
        return codes

    return Quantity(name, True, 0, len(labels) - 1, tuple(labels), 0, 0, compute)


def _band_table(registry: Registry, base: Quantity, bands: Any, where: str) -> tuple[tuple[str, ...], np.ndarray]:
    if not isinstance(bands, list) or not bands or not all(
            isinstance(b, list) and len(b) == 2 and isinstance(b[0], str) and isinstance(b[1], int) for b in bands):
        raise registry.fail(where, "'bands' is a list of [label, lower bound] pairs")
    labels = tuple(b[0] for b in bands)
    bounds = [b[1] for b in bands]
    check_bounds(bounds, base, registry.source, where)
    if len(set(labels)) != len(labels):
        raise registry.fail(where, "band labels must be distinct")
    values = np.arange(base.low, base.high + 1)
    return labels, np.searchsorted(np.asarray(bounds), values, side="right") - 1


def check_bounds(bounds: list[int], base: Quantity, source: str, where: str) -> None:
    """Lower bounds must rise strictly and cover the lowest value the quantity can take."""
    if any(b >= c for b, c in zip(bounds, bounds[1:])):
        raise GridError(source, where, "band lower bounds must rise strictly")
    if bounds[0] > base.low:
        raise GridError(source, where, f"no band covers values of {base.name} from {base.low} to {bounds[0] - 1}: "
                                       f"the first band must start at {base.low} or below")


def _map_table(registry: Registry, base: Quantity, spec: dict, where: str,
               otherwise: int) -> tuple[tuple[str, ...], np.ndarray]:
    mapping, labels = spec["map"], spec.get("labels")
    if not isinstance(labels, list) or not labels or len(set(labels)) != len(labels):
        raise registry.fail(where, "a mapped tier lists its distinct 'labels' in order")
    if not isinstance(mapping, dict):
        raise registry.fail(where, "'map' is a table from the source's labels to the tier's labels")
    table = np.full(base.size, otherwise, dtype=np.int64)  # an absent source takes 'otherwise'
    for source_label in base.labels:
        key = source_label
        if key not in mapping:
            raise registry.fail(where, f"'map' has no tier for {base.name} = {source_label!r}")
        if mapping[key] not in labels:
            raise registry.fail(where, f"'map' sends {source_label!r} to {mapping[key]!r}, which is not a label")
        table[base.code(source_label, registry.source, where) - base.low] = labels.index(mapping[key])
    extra = set(mapping) - set(base.labels)
    if extra:
        raise registry.fail(where, f"'map' names {sorted(extra)[0]!r}, which is not a label of {base.name}")
    return tuple(labels), table
