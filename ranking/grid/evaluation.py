"""One block of candidates being scored: quantities computed once, lists as per-slot arrays.

A list input arrives as an (N, M) column, but numpy reduces over a short last axis slowly
(tens of nanoseconds per row): so a block hands list quantities out as a Python list of
contiguous 1-D arrays, one per slot, trimmed to the slots any candidate in the block uses.
Per-item work is then elementwise, and reducing over items is a chain of `np.maximum` or
`np.add` — a few operations over the block, whatever the block's size.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ranking.grid.quantities import Registry

AS_OF = "__as_of__"  # the YYYYMMDD code of the date ages are computed at


def select(mask: np.ndarray, a: Any, b: Any = 0, out: np.ndarray | None = None) -> np.ndarray:
    """`np.where(mask, a, b)` for integers, in the same dtype, with no branch per element.

    On a mask that is true at random (a condition over candidates), `np.where` mispredicts a
    branch on about half the elements and costs 5-8 ns each; arithmetic with the 0/1 mask
    costs well under 1 ns. With b = 0 this is a product by the mask; otherwise a bitwise
    select, `a ^ ((a ^ b) & (mask - 1))` (mask - 1 is all ones where the mask is false),
    which cannot overflow whatever a and b are (NO_SCORE included). `out`, when given, must
    have that dtype and not overlap `a`.

    >>> select(np.array([True, False]), np.array([5, 7], dtype=np.int16), -1)
    array([ 5, -1], dtype=int16)
    """
    dtype = np.result_type(a, b)
    if isinstance(b, (int, np.integer)) and b == 0:
        return np.multiply(mask, a, dtype=dtype, out=out)
    chosen = np.subtract(mask, 1, dtype=dtype, out=out)  # all ones where the mask is false
    chosen &= np.bitwise_xor(a, b, dtype=dtype)
    chosen ^= a
    return chosen


class Evaluation:
    """Quantities of one block of candidates, each computed once and only when asked for."""

    def __init__(self, registry: "Registry", columns: dict[str, np.ndarray], as_of: int, rows: int):
        self.registry = registry
        self.columns = columns
        self.rows = rows
        self.values: dict[str, Any] = {AS_OF: as_of}
        self._used: dict[str, int] = {}

    def __getitem__(self, name: str) -> Any:
        """A plain quantity as a (rows,) array; a list quantity as a list of (rows,) arrays."""
        value = self.values.get(name)
        if value is None:
            quantity = self.registry.quantities[name]
            value = quantity.compute(self) if quantity.compute is not None else self._read(quantity)
            self.values[name] = value
        return value

    def fork(self) -> "Evaluation":
        """The same block with its quantities so far, whose later ones are kept apart: the
        states' part of another overlay keeps its own per-block tables under the same names."""
        other = Evaluation(self.registry, self.columns, self.values[AS_OF], self.rows)
        other.values, other._used = dict(self.values), dict(self._used)
        return other

    def zeros(self, dtype=np.int16) -> np.ndarray:
        return np.zeros(self.rows, dtype=dtype)

    def _read(self, quantity) -> Any:
        array = self.columns[quantity.name]
        if not quantity.slots:
            return array
        used = self.used_slots(quantity.group)
        return [np.ascontiguousarray(array[:, j]) for j in range(used)]

    def used_slots(self, group: str) -> int:
        """How many slots of a list any candidate of the block fills (lists fill from the left)."""
        used = self._used.get(group)
        if used is None:
            key, absent = self.registry.list_keys[group]
            array = self.columns[key]
            used = array.shape[1]
            while used and not (array[:, used - 1] != absent).any():
                used -= 1
            self._used[group] = used
        return used
