"""RFC 3339 timestamps as exact instants, for ordering first submissions.

`datetime.fromisoformat` would round fractions beyond microseconds and cannot hold a leap second
(23:59:60), and two submissions a nanosecond apart must not tie. So a timestamp is read into
whole seconds since the epoch plus its fraction as written, and the instants are compared as
integers once all fractions are padded to the same number of digits.
"""
from __future__ import annotations

import re

from ranking.constants import EPOCH

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Instant:
    """Seconds since EPOCH (1970-01-01T00:00:00Z) and the digits of the fraction of a second."""

    __slots__ = ("seconds", "fraction")

    def __init__(self, seconds: int, fraction: str):
        self.seconds = seconds
        self.fraction = fraction.rstrip("0")


def parse(text: str) -> Instant:
    """The instant an RFC 3339 date-time names; ValueError saying what is wrong otherwise."""
    match = _TIMESTAMP.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp such as 2026-01-01T10:00:00Z: {text!r}")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        raise ValueError(f"no such date: {text!r}")
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        raise ValueError(f"no such time of day: {text!r}")
    offset = 0
    if match.group(9):
        offset_hours, offset_minutes = int(match.group(10)), int(match.group(11))
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError(f"no such UTC offset: {text!r}")
        offset = (offset_hours * 60 + offset_minutes) * 60 * (1 if match.group(9) == "+" else -1)
    seconds = (_day_number(year, month, day) - _EPOCH_DAY) * 86400 + hour * 3600 + minute * 60 + second - offset
    return Instant(seconds, match.group(7) or "")


def ordinals(instants: list[Instant]) -> list[int]:
    """Integers in the same order as the instants (equal instants, equal integers)."""
    digits = max((len(i.fraction) for i in instants), default=0)
    return [i.seconds * 10**digits + int(i.fraction.ljust(digits, "0") or 0) for i in instants]


def _days_in_month(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]


def _day_number(year: int, month: int, day: int) -> int:
    # Days since 0000-03-01 in the proleptic Gregorian calendar: valid for every four-digit year
    # including 0000, which `datetime.date` cannot hold.
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era


_EPOCH_DAY = _day_number(EPOCH.year, EPOCH.month, EPOCH.day)
