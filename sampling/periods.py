"""Audit periods: months, quarters, half-years, years and single days, written as "2026-11",
"2026-Q4", "2026-H2", "2026" and "2026-11-23".

The Coventry policy (003_2701f8fa2326f2b4.txt, section 9.2-9.4) sets three cadences: a file
each month from one team manager's workload, a file each quarter from each service manager's
workload, and a random sample every six months. A council may also audit once a year, or
once only ("ad hoc", for a thematic audit), when the period is the day of the draw. Each
selection run belongs to one period.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import NamedTuple

CADENCES = ("monthly", "quarterly", "six-monthly", "annual", "ad-hoc")
# A one-off (ad hoc) policy is drawn by hand, never by the daily scheduler.
SCHEDULED_CADENCES = ("monthly", "quarterly", "six-monthly", "annual")

_MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "six-monthly": 6, "annual": 12}
_PERIOD_ERROR = "Enter a period like 2026-11, 2026-Q4 or 2026-H2"
_PATTERNS = (
    ("ad-hoc", re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")),
    ("monthly", re.compile(r"([0-9]{4})-([0-9]{2})")),
    ("quarterly", re.compile(r"([0-9]{4})-Q([0-9])")),
    ("six-monthly", re.compile(r"([0-9]{4})-H([0-9])")),
    ("annual", re.compile(r"([0-9]{4})")),
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
    number: int  # month, quarter or half; 1 for a year; the day of the year for ad hoc

    @property
    def key(self) -> str:
        """The period written as a key: "2026-11", "2026-Q4", "2026-H2", "2026", "2026-11-23"."""
        if self.cadence == "monthly":
            return f"{self.year:04d}-{self.number:02d}"
        if self.cadence == "annual":
            return f"{self.year:04d}"
        if self.cadence == "ad-hoc":
            return _day_of(self.year, self.number).isoformat()
        letter = "Q" if self.cadence == "quarterly" else "H"
        return f"{self.year:04d}-{letter}{self.number}"


def check_cadence(cadence: str) -> None:
    """Raise ValueError unless the cadence is one of CADENCES."""
    if cadence not in CADENCES:
        raise ValueError(f"Cadence {cadence!r} is not one of: {', '.join(CADENCES)}")


def period_key(cadence: str, day: date) -> str:
    """Return the key of the period of this cadence that contains ``day``."""
    check_cadence(cadence)
    if cadence == "ad-hoc":
        return day.isoformat()
    number = (day.month - 1) // _MONTHS_PER_PERIOD[cadence] + 1
    return Period(cadence, day.year, number).key


def _day_of(year: int, number: int) -> date:
    return date.fromordinal(date(year, 1, 1).toordinal() + number - 1)


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
        year = int(match.group(1))
        if cadence == "ad-hoc":
            try:
                day = date(year, int(match.group(2)), int(match.group(3)))
            except ValueError:
                raise ValueError(_PERIOD_ERROR) from None
            return Period(cadence, year, day.timetuple().tm_yday)
        number = int(match.group(2)) if cadence != "annual" else 1
        if year < 1 or not 1 <= number <= 12 // _MONTHS_PER_PERIOD[cadence]:
            raise ValueError(_PERIOD_ERROR)
        return Period(cadence, year, number)
    raise ValueError(_PERIOD_ERROR)


def period_bounds(key: str) -> tuple[date, date]:
    """Return the first and last day of the period, both inclusive."""
    period = parse_period(key)
    if period.cadence == "ad-hoc":
        day = _day_of(period.year, period.number)
        return day, day
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
    if period.cadence == "ad-hoc":
        try:
            return date.fromordinal(date.fromisoformat(period.key).toordinal() + step).isoformat()
        except (OverflowError, ValueError):
            raise ValueError(
                f"There is no period {'before' if step < 0 else 'after'} {key}"
            ) from None
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
