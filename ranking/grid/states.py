"""Member-state overlays: each state's additions on top of a common grid.

A grid with `[states]` scores every candidate once on the common grid and then, for each
member state the candidate chose, adds that state's own points: for its official languages,
for experience in its shortage occupations, for a job offer there. The grid file says what
kinds of additions exist and their default points; each state's overlay (one TOML file per
state, or a dict an official submits) says which languages and occupations count for it,
may set its own points, and sets its eligibility minimum.

`[states.entry_waiver]` lets a state waive one common entry rule for the candidates with enough
years in occupations of its own list (`overlay_set`) that fall within some code groups (`within`):
the `eu` grid's answer to states listing elementary occupations (ISCO-08 major group 9) as
shortages, whose workers the common rule (EQF 4, or two years in groups 1-8) would keep out.
It applies at that state only: the candidate's common eligibility, and every other state, are
unchanged.

Only the states a candidate chose are scored (N × K, K the most choices), never N × 27.
Per-state rules are compiled into a bit mask per code (the states a language or occupation
counts for) and small points tables by state: a block looks its items' masks up once, and
each preference slot then tests one bit per item and gathers only from tables that stay in
the cache.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ranking.constants import NO_SCORE
from ranking.errors import GridError
from ranking.grid.evaluation import Evaluation, select
from ranking.grid.files import read_toml
from ranking.grid.lookup import Lookup
from ranking.grid.points import MAX_POINTS
from ranking.grid.quantities import Quantity, Registry, check_bounds, prefix_table, reduce_items

OVERLAY_KEYS = {"state", "name", "version", "description", "demo_data", "sources", "min_total", "points"}
STATE_KEYS = {"choices", "overlays", "section", "cap", "description", "entry_waiver"}
WAIVER_KEYS = {"description", "waives", "codes", "overlay_set", "within", "of", "min_years"}
ITEMS_MATCHING = {"kind", "description", "codes", "overlay_set", "of", "items", "bands", "points", "cap"}
STATE_MATCH = {"kind", "description", "state", "when", "points"}


@dataclass(frozen=True)
class StateFactor:
    """A per-state addition, compiled for every state at once."""

    name: str
    kind: str
    description: str
    spec: dict = field(repr=False)
    compute: Callable[[Evaluation, "Slot"], np.ndarray] = field(repr=False)
    maximum: int = 0


@dataclass(frozen=True)
class EntryWaiver:
    """At each state, who is let in although they fail the common rule `waives` (see the module).

    `applies(ev, slot, which)` answers for the rows `which` of the block only (always the same
    rows within one block: those failing the waived rule alone), `slot` cut to those rows."""

    waives: str
    description: str
    spec: dict = field(repr=False)
    applies: Callable[[Evaluation, "Slot", np.ndarray], np.ndarray] = field(repr=False)


@dataclass(frozen=True)
class Slot:
    """One preference slot of a block: the state each candidate chose there, in three forms.

    Per-state tables keep row 0 for "no state chosen here": it scores nothing and sets no
    minimum, so padding slots need no masking until the final total.
    """

    chosen: np.ndarray  # the input codes (-1: no state in this slot)
    row: np.ndarray  # intp, chosen + 1: the row of per-state tables
    bit: np.ndarray  # 1 << (chosen + 1) in the dtype of the state masks: the state's bit, set

    @classmethod
    def of(cls, chosen: np.ndarray, bit_dtype: np.dtype) -> "Slot":
        row = np.add(chosen, 1, dtype=np.intp)
        return cls(chosen, row, np.left_shift(bit_dtype.type(1), row, dtype=bit_dtype))

    def subset(self, which: np.ndarray) -> "Slot":
        """The same slot for the rows `which` of the block only."""
        return Slot(self.chosen[which], self.row[which], self.bit[which])


@dataclass(frozen=True)
class StatePart:
    """The per-state half of a grid: state codes, overlays, and the compiled additions."""

    source: str
    registry: Registry = field(repr=False)
    choices: Quantity
    section: str
    cap: int | None
    description: str
    factor_specs: dict = field(repr=False)
    overlays: dict[str, dict] = field(repr=False)
    factors: tuple[StateFactor, ...] = field(repr=False)
    minimum: np.ndarray = field(repr=False)
    waiver_spec: dict | None = field(default=None, repr=False)
    waiver: EntryWaiver | None = field(default=None, repr=False)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.choices.labels

    def replaced(self, overlays: dict[str, dict]) -> "StatePart":
        """A copy with some states' overlays replaced; every new overlay is validated first."""
        if not isinstance(overlays, dict):
            raise GridError(self.source, "overlays", "expected a mapping of state code to overlay")
        merged = dict(self.overlays)
        for code, overlay in overlays.items():
            merged[code] = validate(self, code, overlay, f"overlay {code}")
        return _compile(replace(self, overlays=merged))

    def allocate(self, scores, n: int) -> None:
        """Output arrays for N candidates × K preference slots.

        Stored slot-major (K, N) so that each slot's results are written contiguously, and
        handed out as (N, K) transposed views, the shape callers index by candidate.
        """
        k = self.choices.slots
        scores.states = np.full((k, n), -1, dtype=np.int8).T
        scores.state_totals = np.full((k, n), NO_SCORE, dtype=np.int32).T
        scores.state_failures = np.zeros((k, n), dtype=bool).T
        for name in [f.name for f in self.factors] + [self.section]:
            scores.state_breakdown[name] = np.zeros((k, n), dtype=np.int16).T

    def score_block(self, ev: Evaluation, total: np.ndarray, eligible: np.ndarray, scores, rows: slice,
                    waivable: np.ndarray | None = None) -> None:
        """Fill the per-state outputs of one block of candidates.

        `waivable`: who passes every common rule but the waiver's (None without a waiver); at a
        state whose waiver applies to them they count as eligible there."""
        breakdown = {name: array.T for name, array in scores.state_breakdown.items()}
        bit_dtype = mask_dtype(len(self.codes))
        # The waiver can change only the rows that fail the waived rule alone: a few per cent.
        waived = None
        if waivable is not None and self.waiver is not None:
            waived = np.flatnonzero(waivable & ~eligible)
        for k, chosen in enumerate(ev[self.choices.name]):
            scores.states.T[k, rows] = chosen
            slot = Slot.of(chosen, bit_dtype)
            subtotal = np.zeros(len(chosen), dtype=np.int32)
            for factor in self.factors:
                points = factor.compute(ev, slot)
                breakdown[factor.name][k, rows] = points
                subtotal += points
            if self.cap is not None:
                np.minimum(subtotal, self.cap, out=subtotal)
            breakdown[self.section][k, rows] = subtotal
            state_total = total + subtotal
            below = np.less(state_total, np.take(self.minimum, slot.row), out=scores.state_failures.T[k, rows])
            allowed = np.greater_equal(chosen, 0)
            if waived is not None and waived.size:
                admitted = eligible.copy()
                admitted[waived] = self.waiver.applies(ev, slot.subset(waived), waived)
                allowed &= admitted
            else:
                allowed &= eligible
            np.greater(allowed, below, out=allowed)  # and not below
            select(allowed, state_total, NO_SCORE, out=scores.state_totals.T[k, rows])

    def minimum_reason(self, state: int) -> str:
        """The reason shown to a candidate below a state's minimum."""
        code = self.codes[state]
        name = self.overlays[code].get("name", code)
        return f"Below the minimum of {int(self.minimum[state + 1])} points that {name} ({code}) sets for its invitations."


def compile_states(doc: dict, source: str, base_dir: Path, registry: Registry) -> StatePart:
    """Read `[states]`, `[state_factors]` and every state's overlay file."""
    spec = doc.get("states")
    if not isinstance(spec, dict) or not doc.get("state_factors"):
        raise GridError(source, "states", "a grid with member states needs both [states] and [state_factors]")
    unknown = set(spec) - STATE_KEYS
    if unknown:
        raise GridError(source, "states", f"unknown key {sorted(unknown)[0]!r}")
    choices = registry.get(spec.get("choices"), "states.choices")
    if not (choices.categorical and choices.slots):
        raise GridError(source, "states.choices", "must name a list input of state codes (an enum)")
    if len(choices.labels) > MAX_STATES:
        raise GridError(source, "states.choices", f"at most {MAX_STATES} member states (a state is one bit of an "
                                                  f"int64 mask), not {len(choices.labels)}")
    cap = spec.get("cap")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 0):
        raise GridError(source, "states.cap", "a cap is a whole number of points, 0 or more")
    folder = base_dir / str(spec.get("overlays", ""))
    part = StatePart(source, registry, choices, str(spec.get("section", "state")), cap,
                     str(spec.get("description", "")), dict(doc["state_factors"]), {}, (), np.zeros(0),
                     _check_waiver(registry, spec.get("entry_waiver"), source))
    for name, factor_spec in part.factor_specs.items():
        _check_factor_spec(part, name, factor_spec)
    overlays = {}
    for code in choices.labels:
        path = folder / f"{code}.toml"
        if not path.exists():
            raise GridError(source, "states.overlays", f"no overlay for {code}: expected {path}")
        overlays[code] = validate(part, code, read_toml(path), str(path))
    return _compile(replace(part, overlays=overlays))


def validate_overlay_for(part: StatePart, overlay: Any) -> dict:
    """Validate an overlay submitted on its own (its `state` key says which state)."""
    code = overlay.get("state") if isinstance(overlay, dict) else None
    return validate(part, code, overlay, f"overlay {code}")


def validate(part: StatePart, code: Any, overlay: Any, source: str) -> dict:
    """Check one overlay against the grid; return it as plain data or raise GridError."""
    if not isinstance(overlay, dict):
        raise GridError(source, "", "an overlay is a table")
    if code not in part.codes:
        raise GridError(source, "state", f"{code!r} is not a member state of this grid ({', '.join(part.codes)})")
    sets = {s["overlay_set"]: s for s in part.factor_specs.values() if s.get("kind") == "items_matching"}
    unknown = set(overlay) - OVERLAY_KEYS - set(sets)
    if unknown:
        raise GridError(source, sorted(unknown)[0], f"unknown key; allowed: {', '.join(sorted(OVERLAY_KEYS | set(sets)))}")
    if overlay.get("state") != code:
        raise GridError(source, "state", f"must be {code!r}")
    if not isinstance(overlay.get("version"), str) or not overlay["version"]:
        raise GridError(source, "version", "every overlay has a version (a non-empty string)")
    minimum = overlay.get("min_total", 0)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= MAX_POINTS:
        raise GridError(source, "min_total", f"must be a whole number from 0 to {MAX_POINTS}")
    for key, factor_spec in sets.items():
        _set_table(part, factor_spec, overlay.get(key, []), source, key)
    overrides = overlay.get("points", {})
    if not isinstance(overrides, dict):
        raise GridError(source, "points", "a table of factor name to points")
    for name, points in overrides.items():
        if name not in part.factor_specs:
            raise GridError(source, f"points.{name}", f"not a state factor ({', '.join(part.factor_specs)})")
        _check_override(part, name, points, source)
    return overlay


def _check_override(part: StatePart, name: str, points: Any, source: str) -> None:
    """A state may re-weight an addition, never beyond what the common grid gives for it.

    Each entry is bounded by the largest entry of the grid's own table; and where nothing
    matches (no year in a shortage occupation) nothing is given, so a state cannot hand
    points to everyone who merely chooses it.
    """
    spec = part.factor_specs[name]
    where = f"points.{name}"
    table = _points_table(part, spec, points, source, where)
    most = int(_points_table(part, spec, spec["points"], part.source, where).max())
    if int(table.max()) > most:
        raise GridError(source, where, f"at most {most} points per entry, the common grid's largest for {name}")
    if spec["kind"] == "items_matching" and not _of(part, spec, where)[0].categorical:
        low, _, _ = _aggregate_range(part, spec, where)
        if table[-low] != 0:
            raise GridError(source, where, "the first band (nothing matching) must give 0 points")


def _check_factor_spec(part: StatePart, name: str, spec: Any) -> None:
    where = f"state_factors.{name}"
    if not isinstance(spec, dict) or spec.get("kind") not in ("items_matching", "state_match"):
        raise GridError(part.source, where, "'kind' must be items_matching or state_match")
    allowed = ITEMS_MATCHING if spec["kind"] == "items_matching" else STATE_MATCH
    unknown = set(spec) - allowed
    if unknown:
        raise GridError(part.source, where, f"unknown key {sorted(unknown)[0]!r}")
    if spec["kind"] == "items_matching":
        codes = part.registry.get(spec.get("codes"), f"{where}.codes")
        if not codes.slots or not (codes.categorical or codes.code_digits):
            raise GridError(part.source, where, "'codes' must be an enum or code field of a list")
        if not isinstance(spec.get("overlay_set"), str):
            raise GridError(part.source, where, "'overlay_set' names the overlay key listing what matches")
        if spec.get("items") not in ("max", "sum"):
            raise GridError(part.source, where, "'items' must be max or sum")
        for quantity in _of(part, spec, where):
            if quantity.slots != codes.slots:
                raise GridError(part.source, where, f"{quantity.name} is not a field of the same list as 'codes'")
    else:
        state = part.registry.get(spec.get("state"), f"{where}.state")
        if state.labels != part.codes:
            raise GridError(part.source, where, "'state' must be a column of the grid's state codes")
        part.registry.condition(spec.get("when"), f"{where}.when")
    _points_table(part, spec, spec.get("points"), part.source, f"{where}.points")


def _of(part: StatePart, spec: dict, where: str) -> list[Quantity]:
    names = spec.get("of")
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not names:
        raise GridError(part.source, where, "'of' names the list fields to score")
    quantities = [part.registry.get(n, f"{where}.of") for n in names]
    if len({(q.categorical, q.labels) for q in quantities}) != 1:
        raise GridError(part.source, where, "the fields in 'of' must be of one kind")
    return quantities


def _aggregate_range(part: StatePart, spec: dict, where: str) -> tuple[int, int, Quantity]:
    first = _of(part, spec, where)[0]
    low, high = min(first.low, 0), first.high
    if spec["items"] == "sum":
        high *= first.slots
    return low, high, first


def _set_table(part: StatePart, spec: dict, values: Any, source: str, where: str) -> np.ndarray:
    """Bool table over the codes of `spec['codes']` (shifted so the absent code is index 0)."""
    codes = part.registry.get(spec["codes"], "codes")
    if codes.code_digits:
        return prefix_table(values, codes.code_digits, source, where)
    if not isinstance(values, list):
        raise GridError(source, where, f"a list of {codes.name} labels")
    table = np.zeros(codes.size, dtype=bool)
    for i, label in enumerate(values):
        if label not in codes.labels:
            raise GridError(source, f"{where}[{i}]", f"{label!r} is not one of {', '.join(codes.labels)}")
        table[codes.code(label, source, where) - codes.low] = True
    return table


def _points_table(part: StatePart, spec: dict, points: Any, source: str, where: str) -> np.ndarray:
    """Points over the aggregated value's codes (items_matching) or a single value (state_match)."""
    def value(v: Any, at: str) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_POINTS:
            raise GridError(source, at, f"points must be whole numbers from 0 to {MAX_POINTS}, not {v!r}")
        return v

    if spec["kind"] == "state_match":
        return np.array([value(points, where)])
    low, high, first = _aggregate_range(part, spec, where)
    domain = np.arange(low, high + 1)
    if first.categorical:
        if not isinstance(points, dict) or set(points) != set(first.labels):
            raise GridError(source, where, f"points by label: one entry for each of {', '.join(first.labels)}")
        table = np.zeros(len(domain), dtype=np.int64)
        for label, v in points.items():
            table[first.code(label, source, where) - low] = value(v, f"{where}.{label}")
        return table
    bounds = spec.get("bands")
    if not isinstance(bounds, list) or not all(isinstance(b, int) for b in bounds) or not bounds:
        raise GridError(part.source, where, "a numeric field needs 'bands' (lower bounds)")
    check_bounds(bounds, Quantity("aggregate", False, low, high), source, where)
    if not isinstance(points, list) or len(points) != len(bounds):
        raise GridError(source, where, f"a list of {len(bounds)} points, one per band of {bounds}")
    per_band = np.array([value(v, f"{where}[{i}]") for i, v in enumerate(points)])
    return per_band[np.searchsorted(np.asarray(bounds), domain, side="right") - 1]


def _compile(part: StatePart) -> StatePart:
    """Build the per-state tables from the overlays now in `part`.

    Every table gets a leading row for "no state" (a padding slot), which scores nothing.
    """
    codes = part.codes
    factors = []
    for name, spec in part.factor_specs.items():
        where = f"state_factors.{name}"
        tables = [np.zeros_like(_points_table(part, spec, spec["points"], part.source, where))]
        for code in codes:
            override = part.overlays[code].get("points", {}).get(name, spec["points"])
            tables.append(_points_table(part, spec, override, part.source, where))
        points = np.stack(tables).astype(np.int16)  # (1 + S, width)
        if spec["kind"] == "items_matching":
            sets = [_set_table(part, spec, part.overlays[c].get(spec["overlay_set"], []), part.source, where)
                    for c in codes]
            sets = np.stack([np.zeros_like(sets[0])] + sets)
            compute = _items_matching(part, spec, sets, points, where)
        else:
            compute = _state_match(part, spec, points[:, 0], where)
        maximum = int(points.max()) if spec.get("cap") is None else min(int(points.max()), int(spec["cap"]))
        factors.append(StateFactor(name, spec["kind"], str(spec.get("description", "")), spec, compute, maximum))
    minimum = np.array([0] + [part.overlays[c].get("min_total", 0) for c in codes], dtype=np.int32)
    waiver = _compile_waiver(part) if part.waiver_spec else None
    return replace(part, factors=tuple(factors), minimum=minimum, waiver=waiver)


def _check_waiver(registry: Registry, spec: Any, source: str) -> dict | None:
    where = "states.entry_waiver"
    if spec is None:
        return None
    if not isinstance(spec, dict) or set(spec) - WAIVER_KEYS or not {"waives", "codes", "overlay_set", "within",
                                                                      "of", "min_years"} <= set(spec):
        raise GridError(source, where, f"an entry waiver has: {', '.join(sorted(WAIVER_KEYS))}")
    codes, years = registry.get(spec["codes"], f"{where}.codes"), registry.get(spec["of"], f"{where}.of")
    if not codes.code_digits or codes.group != years.group:
        raise GridError(source, where, "'codes' must be a code column of the same list as 'of'")
    prefix_table(spec["within"], codes.code_digits, source, f"{where}.within")  # checks the prefixes
    if isinstance(spec["min_years"], bool) or not isinstance(spec["min_years"], int) or spec["min_years"] < 1:
        raise GridError(source, f"{where}.min_years", "a whole number of years, 1 or more")
    return dict(spec)


def _compile_waiver(part: StatePart) -> EntryWaiver:
    """Per state, the codes of its list within the waiver's groups; applies where their years reach the minimum."""
    spec, where = part.waiver_spec, "states.entry_waiver"
    codes = part.registry.get(spec["codes"], where)
    years = part.registry.get(spec["of"], where)
    within = tuple(spec["within"])
    sets = [_set_table(part, spec, [p for p in part.overlays[c].get(spec["overlay_set"], [])
                                    if any(p.startswith(w) or w.startswith(p) for w in within)], part.source, where)
            & prefix_table(list(within), codes.code_digits, part.source, where) for c in part.codes]
    masks = state_masks(np.stack([np.zeros_like(sets[0])] + sets))
    code_low = -1
    minimum = int(spec["min_years"])

    key = f"{where}:masks"

    def item_masks(ev: Evaluation, which: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per experience item, the rows `which`'s masks of states and years (once per block)."""
        found = ev.values.get(key)
        if found is None:
            found = [(np.take(masks, np.subtract(code[which], code_low, dtype=np.intp)), value[which])
                     for code, value in zip(ev[codes.name], ev[years.name])]
            ev.values[key] = found
        return found

    def applies(ev: Evaluation, slot: Slot, which: np.ndarray) -> np.ndarray:
        """Whether the waiver admits the rows `which` of the block at the state of `slot` (their part)."""
        held = np.zeros(len(which), dtype=np.int32)
        for mask, value in item_masks(ev, which):
            held += counted(mask, slot) * value
        return held >= minimum

    return EntryWaiver(str(spec["waives"]), str(spec.get("description", "")), spec, applies)


MAX_STATES = 62  # a state's bit in an int64 mask; bit 0 is "no state" (a padding slot)


def mask_dtype(states: int) -> np.dtype:
    """The narrowest dtype of a mask with a bit per state and bit 0 for "no state".

    Shifting and masking int32 costs half what int64 does, and the EU's 27 states fit.
    """
    return np.dtype(np.int32 if states < 31 else np.int64)


def state_masks(sets: np.ndarray) -> np.ndarray:
    """Per code, the mask of the states it counts for: bit s set where sets[s, code].

    `sets` is (1 + S, codes) bool with row 0 (no state) all False. With the masks of a
    block's codes looked up once, a preference slot tests one bit per item, `mask & (1 <<
    state) != 0`, instead of gathering from a (state, code) table per slot: the table of ISCO codes
    by state is 280 KB and the language table by state, code and levels 3.6 MB, both beyond
    the L2 cache, while shifting and masking run at the speed of memory.
    """
    dtype = mask_dtype(len(sets) - 1)
    bits = np.left_shift(np.ones(1, dtype=dtype), np.arange(len(sets), dtype=dtype))
    return np.bitwise_or.reduce(np.where(sets, bits[:, None], dtype.type(0)), axis=0)


def counted(mask: np.ndarray, slot: Slot) -> np.ndarray:
    """True where the slot's state has its bit set in the mask (bool: a product by it is a select)."""
    bit = np.bitwise_and(mask, slot.bit)
    return np.not_equal(bit, 0)


def _items_matching(part: StatePart, spec: dict, sets: np.ndarray, points: np.ndarray, where: str):
    codes = part.registry.get(spec["codes"], where)
    quantities = _of(part, spec, where)
    if quantities[0].categorical:
        return _scored_items(part, spec, codes, quantities, sets, points, where)
    code_low = codes.low if not codes.code_digits else -1
    masks = state_masks(sets)
    low, _, _ = _aggregate_range(part, spec, where)
    of_names = [q.name for q in quantities]
    how = spec["items"]
    lookup = Lookup(points, len(of_names), low, spec.get("cap"))
    # Each state's points when no item matches (0 unless a table gives points for nothing).
    nothing = lookup([np.zeros(len(points), dtype=np.int16)] * len(of_names), np.arange(len(points), dtype=np.intp))
    key = f"{where}:item_masks"

    def item_masks(ev: Evaluation) -> tuple[list[np.ndarray], np.ndarray | None]:
        found = ev.values.get(key)
        if found is None:
            found = [np.take(masks, np.subtract(code, code_low, dtype=np.intp)) for code in ev[codes.name]]
            found = (found, functools.reduce(np.bitwise_or, found) if found else None)
            ev.values[key] = found
        return found

    def compute(ev: Evaluation, slot: Slot) -> np.ndarray:
        per_item, union = item_masks(ev)
        out = np.take(nothing, slot.row) if nothing.any() else np.zeros(len(slot.chosen), dtype=np.int16)
        which, sub = matching_rows(union, slot)
        if sub is None:
            return out
        matches = [counted(mask[which], sub) for mask in per_item]
        aggregates = []
        for name in of_names:
            kept = [np.multiply(match, value[which], dtype=value.dtype) for match, value in zip(matches, ev[name])]
            aggregates.append(reduce_items(kept, how, ev, np.int16))
        out[which] = lookup(aggregates, sub.row)
        return out

    return compute


DENSE_SHARE = 0.5  # above this share of a block's rows matching, a state addition works on whole arrays


def matching_rows(union: np.ndarray | None, slot: Slot) -> tuple[np.ndarray | slice, Slot | None]:
    """Where an addition can give points at the slot's state: (rows, the slot cut to them).

    `union` is the OR of the block's item masks: a row whose union lacks the state's bit has
    no item that counts there, so its points are those for nothing. Few rows match (a
    candidate's languages are official in a few of the states they choose, their occupations
    short in fewer), so the items of those rows alone are gathered and scored; when most rows
    match, the whole block is scored instead (rows = every row, the slot itself). (rows,
    None) when no row matches.
    """
    if union is None:
        return slice(0, 0), None
    hit = counted(union, slot)
    rows = np.flatnonzero(hit)
    if not rows.size:
        return rows, None
    if rows.size > DENSE_SHARE * len(hit):
        return slice(None), slot
    return rows, slot.subset(rows)


SCORED_ITEMS_LIMIT = 1 << 23  # entries (16 MiB of int16): beyond this, split the factor


def _scored_items(part: StatePart, spec: dict, codes: Quantity, quantities: list[Quantity], sets: np.ndarray,
                  points: np.ndarray, where: str):
    """Items scored by label (a language's four skills), kept where the item's code is the state's.

    States are grouped by their points table (one group unless an overlay re-weights the
    factor). Per block, each item's points under each group (one gather in a small table over
    the combinations of labels) and its code's mask of states are computed once; a
    preference slot then keeps an item's points where the state's bit is set in the mask
    restricted to the state's group.
    """
    states, _ = sets.shape
    width = quantities[0].size
    k = len(quantities)
    combos = width**k
    if states * combos > SCORED_ITEMS_LIMIT:
        raise GridError(part.source, where, f"{states * combos} table entries: too many combinations")
    offset = quantities[0].low - min(quantities[0].low, 0)  # points rows start at the aggregate's low
    rows, group_of = np.unique(points[1:, offset:offset + width], axis=0, return_inverse=True)
    per_item = np.zeros((len(rows),) + (width,) * k, dtype=np.int64)  # the items' points by group and labels
    for j in range(k):
        shape = [len(rows)] + [1] * k
        shape[1 + j] = width
        per_item = per_item + rows.reshape(shape)
    tables = per_item.reshape(len(rows), combos).astype(np.int16)
    masks = state_masks(sets)
    members = [state_masks(np.concatenate([[False], group_of.reshape(-1) == g])[:, None])[0] for g in range(len(rows))]
    code_low, low = codes.low, quantities[0].low
    names = [q.name for q in quantities]
    key = f"{where}:items"
    how, cap = spec["items"], spec.get("cap")

    def items(ev: Evaluation) -> tuple[list[np.ndarray], np.ndarray | None]:
        """Per item of the block, its code's mask of states; and their union (None without items)."""
        found = ev.values.get(key)
        if found is None:
            found = [np.take(masks, np.subtract(code, code_low, dtype=np.intp)) for code in ev[codes.name]]
            found = (found, functools.reduce(np.bitwise_or, found) if found else None)
            ev.values[key] = found
        return found

    def item_points(ev: Evaluation, j: int, which: np.ndarray | slice) -> list[np.ndarray]:
        """Item j's points under each group, for the rows `which` only."""
        combo = np.zeros(len(ev[names[0]][j][which]), dtype=np.int32)  # < SCORED_ITEMS_LIMIT
        for name in names:
            combo *= width
            combo += ev[name][j][which]
        combo -= low * sum(width**p for p in range(k))
        return [np.take(table, combo) for table in tables]

    def compute(ev: Evaluation, slot: Slot) -> np.ndarray:
        per_item, union = items(ev)
        out = np.zeros(len(slot.chosen), dtype=np.int16)  # no item kept: no points, whatever the table
        which, sub = matching_rows(union, slot)
        if sub is None:
            return out
        kept = []
        for j, mask in enumerate(per_item):
            mask = mask[which]
            points = item_points(ev, j, which)
            item = np.multiply(counted(mask & members[0] if len(members) > 1 else mask, sub), points[0])
            for member, group_points in zip(members[1:], points[1:]):
                item += np.multiply(counted(mask & member, sub), group_points)
            kept.append(item)
        best = reduce_items(kept, how, ev, np.int16)
        out[which] = best if cap is None else np.minimum(best, cap)
        return out

    return compute


def _state_match(part: StatePart, spec: dict, points: np.ndarray, where: str):
    """Points at one state per candidate (a job offer's): found once per block, matched per slot.

    Per block, the state that matches (`column` where `when` holds, else a code no slot
    holds) and its points; a preference slot then compares codes, one byte per candidate.
    """
    column = spec["state"]
    condition = part.registry.condition(spec["when"], "state_factors.when")
    key = f"{where}:match"

    def match(ev: Evaluation, dtype) -> tuple[np.ndarray, np.ndarray]:
        found = ev.values.get(key)
        if found is None:
            code = ev[column]
            found = (select(condition(ev), code.astype(dtype, copy=False), dtype.type(-2)),
                     np.take(points, np.add(code, 1, dtype=np.intp)))
            ev.values[key] = found
        return found

    def compute(ev: Evaluation, slot: Slot) -> np.ndarray:
        state, state_points = match(ev, slot.chosen.dtype)
        return np.multiply(slot.chosen == state, state_points)

    return compute
