"""Working days in England: weekdays that are not England and Wales bank holidays.

Recording and signing deadlines are set in working days (Leicester, 000_3a84f6082ffc4311.txt,
4.2: "within 72 hours (three working days)"; Blackpool, 002_fc6309e5cdf09554.txt, 6: "no
later than 10 working days after the session"). Bank holidays come from the maintained
`holidays` library (subdivision "ENG"), never a hand-written list, so substitute days such
as Boxing Day observed on a Monday are included.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

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


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in `year`, including substitute days."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (`day` itself when `count` is 0).

    For example, 3 working days after Thursday 24 December 2026 is Thursday 31 December:
    Christmas Day, the weekend and Boxing Day (observed on Monday 28 December) are skipped.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    current = day
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start`, up to and including `end` (0 if none)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day if it is shorter.

    31 August plus 6 months is 28 (or 29) February: policies say "six months" and "two
    months", which are calendar months, not a fixed number of days.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def long_date(day: date) -> str:
    """A date as people read it on a page: "3 November 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
