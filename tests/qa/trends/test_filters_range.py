"""How far back the trends pages reach: the ten years a council keeps, and no further."""

from __future__ import annotations

from datetime import date

from qa.trends.filters import default_filters, filters_from_args


def test_a_ten_year_range_is_shown_as_asked(org):
    officer = org.people["qa_officer"]
    filters = filters_from_args(officer, {"start": "2016-11", "end": "2026-11"})
    assert (filters.start, filters.end) == (date(2016, 11, 1), date(2026, 11, 30))


def test_a_range_longer_than_ten_years_falls_back_to_the_last_twelve_months(org):
    officer = org.people["qa_officer"]
    filters = filters_from_args(officer, {"start": "2016-10", "end": "2026-11"})
    default = default_filters(officer)
    assert (filters.start, filters.end) == (default.start, default.end)
