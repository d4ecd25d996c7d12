"""Audit periods: months, quarters and half-years, written as "2026-11", "2026-Q4", "2026-H2".

The Coventry policy (003_2701f8fa2326f2b4.txt, section 9.2-9.4) sets three cadences: a file
each month from one team manager's workload, a file each quarter from each service manager's
workload, and a random sample every six months. Each selection run belongs to one period.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import NamedTuple

CADENCES = ("monthly", "quarterly", "six-monthly")

_MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "six-monthly": 6}
_PERIOD_ERROR = "Enter a period like 2026-11, 2026-Q4 or 2026-H2"
_PATTERNS = (
    ("monthly", re.compile(r"([0-9]{4})-([0-9]{2})")),
    ("quarterly", re.compile(r"([0-9]{4})-Q([0-9])")),
    ("six-monthly", re.compile(r"([0-9]{4})-H([0-9])")),
)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Period(NamedTuple):
    """A parsed period: its cadence, year and number within the year (month, quarter, half)."""

    cadence: str
    year: int
    number: int

    @property
    def key(self) -> str:
        """The period written as a key, such as "2026-11", "2026-Q4" or "2026-H2"."""
        if self.cadence == "monthly":
            return f"{self.year:04d}-{self.number:02d}"
        letter = "Q" if self.cadence == "quarterly" else "H"
        return f"{self.year:04d}-{letter}{self.number}"


def check_cadence(cadence: str) -> None:
    """Raise ValueError unless the cadence is one of monthly, quarterly or six-monthly."""
    if cadence not in CADENCES:
        raise ValueError(f"Cadence {cadence!r} is not one of: {', '.join(CADENCES)}")


def period_key(cadence: str, day: date) -> str:
    """Return the key of the period of this cadence that contains ``day``."""
    check_cadence(cadence)
    number = (day.month - 1) // _MONTHS_PER_PERIOD[cadence] + 1
    return Period(cadence, day.year, number).key


def parse_period(key: str) -> Period:
    """Read a period key, accepting lower-case q or h and surrounding spaces.

    Raises ValueError "Enter a period like 2026-11, 2026-Q4 or 2026-H2" for anything else.
    """
    if not isinstance(key, str):
        raise ValueError(_PERIOD_ERROR)
    text = key.strip().upper()
    for cadence, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, number = int(match.group(1)), int(match.group(2))
        if year < 1 or not 1 <= number <= 12 // _MONTHS_PER_PERIOD[cadence]:
            raise ValueError(_PERIOD_ERROR)
        return Period(cadence, year, number)
    raise ValueError(_PERIOD_ERROR)


def period_bounds(key: str) -> tuple[date, date]:
    """Return the first and last day of the period, both inclusive."""
    period = parse_period(key)
    months = _MONTHS_PER_PERIOD[period.cadence]
    first_month = (period.number - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(period.year, last_month)[1]
    return date(period.year, first_month, 1), date(period.year, last_month, last_day)


def previous_period(key: str) -> str:
    """Return the key of the period before this one, with the same cadence."""
    return _shift(key, -1)


def next_period(key: str) -> str:
    """Return the key of the period after this one, with the same cadence."""
    return _shift(key, 1)


def long_date(day: date) -> str:
    """Write a date as people read it on a page: "3 November 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, or the month's last day if shorter."""
    return _add_months(day, -months)


def _shift(key: str, step: int) -> str:
    period = parse_period(key)
    per_year = 12 // _MONTHS_PER_PERIOD[period.cadence]
    index = period.year * per_year + period.number - 1 + step
    year, number = divmod(index, per_year)
    if not 1 <= year <= 9999:
        raise ValueError(f"There is no period {'before' if step < 0 else 'after'} {key}")
    return Period(period.cadence, year, number + 1).key


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"{long_date(day)} moved by {months} months is out of range")
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))
