"""`flask --app qa quantity --as-of DAY --json`: for checking the rules, each person's
category, the rule in force on that day, their last formal session and whether they are
within it."""

from __future__ import annotations

import json
from datetime import date, datetime

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
    }
    assert _people(app, "2026-11-12")["T-team_manager"]["within_rule"] is True
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
