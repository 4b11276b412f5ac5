"""Charts drawn on the server as SVG: no script, no outside service, nothing for the CSP to refuse.

These functions only compute geometry (in the SVG's own units; the SVG scales to its container,
so one drawing serves a 360-px phone and a desktop); `templates/macros/charts.html` draws it with
presentation attributes and classes, never style attributes. Every chart is shown with its data
as a table, which is also what screen readers are pointed to.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

WIDTH = 320
ROW = 26
LABEL_WIDTH = 84
VALUE_WIDTH = 92


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: not published (drawn as a stub with `note` beside it)
    note: str
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(rows: list[tuple[str, int | None, str]]) -> BarChart:
    """Horizontal bars, one per row (label, value, note shown when the value is None); long labels
    fit a 360-px phone better beside horizontal bars than under columns."""
    top = max([value for _, value, _ in rows if value is not None] or [1])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = tuple(Bar(label, value, note, index * ROW, (value / top * span) if value else 0)
                 for index, (label, value, note) in enumerate(rows))
    return BarChart(WIDTH, max(len(rows), 1) * ROW, LABEL_WIDTH, ROW - 6, bars)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    bottom: int
    points: tuple[Point, ...]
    path: str
    ticks: tuple[tuple[float, int], ...]  # (y, score) for the horizontal grid lines


def nice_step(span: float, count: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` intervals over `span`."""
    raw = max(span / count, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def line_chart(series: list[tuple[datetime, int, str]], height: int = 140) -> LineChart:
    """Scores over time (moment, score, label), oldest first; evenly spaced when the times bunch up."""
    left, right, top, bottom = 44, 14, 10, height - 26
    values = [score for _, score, _ in series] or [0]
    step = nice_step(max(values) - min(values) or 10)
    low = (min(values) // step) * step
    high = max(low + step, -(-max(values) // step) * step)
    times = [moment.timestamp() for moment, _, _ in series]
    first, last = (min(times), max(times)) if times else (0, 1)

    def x(index: int, moment: float) -> float:
        if len(series) == 1:
            return (left + WIDTH - right) / 2
        share = (moment - first) / (last - first) if last > first else index / (len(series) - 1)
        return left + share * (WIDTH - left - right)

    def y(score: int) -> float:
        return bottom - (score - low) / (high - low) * (bottom - top)

    points = tuple(Point(round(x(i, t), 1), round(y(score), 1), score, label)
                   for i, ((_, score, label), t) in enumerate(zip(series, times)))
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    ticks = tuple((round(y(score), 1), score) for score in range(int(low), int(high) + 1, step))
    return LineChart(WIDTH, height, left, bottom, points, path, ticks)
