"""Table lookups fused across inputs: one gather where a grid adds up several.

A factor `of` four language abilities, each looked up in the same row of points and added,
could be four gathers and three additions per candidate. When the product of the inputs'
code ranges is small, the sums are precomputed into one table over every combination of the
four codes (and the factor's cap folded in), and each candidate costs a few integer
multiply-adds to form the index and a single gather. The gather is the expensive step; the
arithmetic is cheap and stays in the cache.
"""
from __future__ import annotations

import numpy as np

FUSE_LIMIT = 1 << 17  # entries: 256 KiB of int16, comfortably inside the L2 cache


class Lookup:
    """Points of k codes looked up in one row of `rows` (selected per candidate) and added."""

    def __init__(self, rows: np.ndarray, k: int, low: int, caps: np.ndarray | int | None = None):
        combos, width = rows.shape
        self.k, self.width, self.low = k, width, low
        self.fused = k == 1 or combos * width**k <= FUSE_LIMIT
        if self.fused:
            table = np.zeros((combos,) + (width,) * k, dtype=np.int64)
            for j in range(k):
                shape = [combos] + [1] * k
                shape[1 + j] = width
                table = table + rows.reshape(shape)
            if caps is not None:
                table = np.minimum(table, np.reshape(caps, (-1,) + (1,) * k))
            self.stride = width**k
            self.shift = -low * sum(width**j for j in range(k))
            self.capped = caps is not None
        else:
            table, self.stride, self.shift, self.capped = rows, width, -low, False
        self.table = table.reshape(-1).astype(np.int16)
        self.caps = caps

    def __call__(self, codes: list[np.ndarray], row: np.ndarray | int) -> np.ndarray:
        """Points for one set of k code arrays (any integer dtype) and the table rows they read."""
        if self.fused and self.k == 1 and not isinstance(row, int):
            # A row per candidate (a state's table): the index in int32, half the bytes of intp.
            index = np.multiply(row, self.stride, dtype=np.int32)
            index += codes[0]
            if self.shift:
                index += self.shift
            return np.take(self.table, index)
        base = self.shift if isinstance(row, int) and row == 0 else row * self.stride + self.shift
        if self.fused:
            if self.k == 1:
                return np.take(self.table, np.add(codes[0], base, dtype=np.intp))
            index = np.multiply(codes[0], self.width, dtype=np.int32)  # < FUSE_LIMIT: half the bytes of intp
            for position in range(1, self.k):
                index += codes[position]
                if position < self.k - 1:
                    index *= self.width
            index += base
            return np.take(self.table, index)
        points = np.take(self.table, np.add(codes[0], base, dtype=np.intp))
        for code in codes[1:]:
            points = points + np.take(self.table, np.add(code, base, dtype=np.intp))
        if self.caps is not None:
            points = np.minimum(points, self.caps if np.ndim(self.caps) == 0 else self.caps[row])
        return points
