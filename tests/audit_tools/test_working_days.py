"""Working days skip weekends and England and Wales bank holidays."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_tools.frequency import (
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)
from audit_tools.working_days import long_date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),
        (date(2026, 12, 26), False),
        (date(2026, 12, 28), False),
        (date(2026, 4, 3), False),
        (date(2026, 4, 6), False),
        (date(2026, 5, 25), False),
        (date(2026, 8, 31), False),
        (date(2026, 11, 3), True),
        (date(2026, 11, 7), False),
    ],
    ids=[
        "Christmas Eve",
        "Christmas Day",
        "Boxing Day on a Saturday",
        "Boxing Day observed on Monday",
        "Good Friday",
        "Easter Monday",
        "Spring bank holiday Monday",
        "Summer bank holiday Monday",
        "an ordinary Tuesday",
        "a Saturday",
    ],
)
def test_bank_holidays_and_weekends_are_not_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_three_working_days_after_christmas_eve_skip_christmas_and_boxing_day_observed() -> None:
    assert add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 31)


def test_a_working_day_after_maundy_thursday_is_the_tuesday_after_easter() -> None:
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_a_working_day_after_the_friday_before_a_bank_holiday_monday_is_tuesday() -> None:
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_ten_working_days_span_two_weekends() -> None:
    assert add_working_days(date(2026, 11, 2), 10) == date(2026, 11, 16)


def test_zero_working_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_working_days(date(2026, 12, 26), 0) == date(2026, 12, 26)
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(date(2026, 12, 26), -1)


def test_working_days_between_counts_days_after_the_start_up_to_the_end() -> None:
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 2)) == 0
    assert working_days_between(date(2026, 11, 3), date(2026, 11, 2)) == 0


@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.integers(0, 40))
def test_counting_the_working_days_added_gives_back_the_number(day: date, count: int) -> None:
    later = add_working_days(day, count)
    assert working_days_between(day, later) == count
    assert count == 0 or is_working_day(later)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 5), 6, date(2026, 7, 5)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
    ],
)
def test_calendar_months_end_on_the_last_day_of_a_shorter_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_dates_are_written_for_pages_as_day_month_year() -> None:
    assert long_date(date(2026, 11, 3)) == "3 November 2026"
