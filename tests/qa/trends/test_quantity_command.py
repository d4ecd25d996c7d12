"""`flask --app qa quantity --as-of DAY --json`: for checking the rules, each person's
category, the rule in force on that day, their last formal session and whether they are
within it."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from qa.extensions import db
from qa.profiles import service as profiles
from tests.qa.profiles.test_profiles import _held


def _people(app, day: str) -> dict[str, dict[str, object]]:
    result = app.test_cli_runner().invoke(args=["quantity", "--as-of", day, "--json"])
    assert result.exit_code == 0, result.output
    return {person["staff_id"]: person for person in json.loads(result.output)}


def test_each_person_has_their_category_the_rule_and_whether_they_are_within_it(app, org):
    _held(org, "team_manager", date(2026, 10, 1))
    found = _people(app, "2026-11-23")
    assert found["T-team_manager"] == {
        "staff_id": "T-team_manager",
        "role": "team_manager",
        "category": "all_staff",
        "interval_days": 42,  # Coventry 5.1: no less than six-weekly
        "longest_gap_days": 61,  # Coventry 5.2: two months, 1 October to 1 December
        "yearly_minimum": 10,  # Coventry 5.1
        "last_formal_session": "2026-10-01",
        "within_rule": False,  # due by 12 November
        # and no session for more than two months before 1 October; one in the year, not ten
        "not_met": ["interval", "longest_gap", "yearly_minimum"],
    }
    on_time = _people(app, "2026-11-12")["T-team_manager"]
    assert on_time["not_met"] == ["longest_gap", "yearly_minimum"]
    assert "T-head_of_service" not in found or found["T-head_of_service"]["category"]


def test_the_rule_is_the_one_in_force_on_the_day_asked_about(app, org):
    _held(org, "team_manager", date(2026, 10, 1))
    app.config["FIXED_NOW"] = datetime(2026, 11, 1, 9, 0)
    profiles.use_profile("leicester", "Jo Head", "Leicester's guidance")
    before = _people(app, "2026-10-20")["T-team_manager"]
    after = _people(app, "2026-11-20")["T-team_manager"]
    assert (before["interval_days"], before["longest_gap_days"]) == (42, 61)
    assert (after["category"], after["interval_days"]) == ("team_managers", 28)
    assert (after["longest_gap_days"], after["yearly_minimum"]) == (None, None)  # not set


def test_a_day_that_is_not_a_date_is_refused(app, org):
    result = app.test_cli_runner().invoke(args=["quantity", "--as-of", "23/11/2026", "--json"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def _sessions(org, who: str, *days: date) -> None:
    for day in days:
        _held(org, who, day)


def _every(first: date, days: int, until: date) -> list[date]:
    found = []
    while first <= until:
        found.append(first)
        first += timedelta(days=days)
    return found


def test_within_rule_needs_the_longest_gap_kept_over_the_year(app, org):
    # Coventry 5.2: never more than two months; monthly since, so the interval is met today
    before = _every(date(2025, 12, 1), 28, date(2026, 6, 1))
    after = _every(date(2026, 8, 10), 28, date(2026, 11, 20))
    assert (after[0] - before[-1]).days > 62
    _sessions(org, "team_manager", *before, *after)
    found = _people(app, "2026-11-23")["T-team_manager"]
    assert found["within_rule"] is False
    assert found["not_met"] == ["longest_gap"]


def test_within_rule_needs_the_yearly_minimum(app, org):
    # every 42 days is within Coventry's six weeks and two months, but 9 sessions, not 10
    _sessions(org, "team_manager", *_every(date(2025, 12, 20), 42, date(2026, 11, 23)))
    found = _people(app, "2026-11-23")["T-team_manager"]
    assert found["within_rule"] is False
    assert found["not_met"] == ["yearly_minimum"]


def test_within_rule_when_interval_gap_and_minimum_are_all_met(app, org):
    _sessions(org, "team_manager", *_every(date(2025, 11, 30), 35, date(2026, 11, 23)))
    found = _people(app, "2026-11-23")["T-team_manager"]
    assert (found["within_rule"], found["not_met"]) == (True, [])


def test_everyone_with_a_line_manager_is_listed_with_a_file_or_not(app, org):
    head = org.people["head_of_service"]
    head.line_manager = org.people["head_south"]  # a head of service with a line manager
    db.session.commit()
    found = _people(app, "2026-11-23")
    assert found["T-head_of_service"]["category"] == "all_staff"
    assert found["T-head_of_service"]["last_formal_session"] is None
    assert found["T-head_of_service"]["within_rule"] is False  # nothing held since 2020
    lines = {staff.external_id for staff in org.people.values() if staff.line_manager}
    assert lines <= set(found)
