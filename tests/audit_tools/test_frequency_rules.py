"""The frequency rules: intervals by staff type, the ASYE stages and the quantity figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from audit_tools.frequency import (
    FrequencyRulesError,
    StaffFacts,
    interval_reason,
    load_frequency_rules,
    quantity_status,
    required_interval_days,
)

RULES = load_frequency_rules()
ASYE_START = date(2026, 1, 5)


def staff(
    case_holding: bool = True,
    frontline: bool = True,
    asye_start: date | None = None,
    start_date: date | None = None,
    leaving_date: date | None = None,
) -> StaffFacts:
    return StaffFacts(case_holding, frontline, asye_start, start_date, leaving_date)


def test_the_default_rules_hold_the_policy_numbers() -> None:
    assert [(rule.category, rule.interval_days) for rule in RULES.intervals] == [
        ("case_holding", 28),
        ("frontline", 56),
        ("non_frontline", 84),
    ]
    assert [stage.interval_days for stage in RULES.asye_stages] == [7, 14]
    assert RULES.maximum_gap.amount == 2
    assert RULES.minimum_per_year.amount == 10
    assert RULES.recording.amount == 3
    assert RULES.signing.amount == 10
    assert RULES.agreement_review.amount == 12
    assert RULES.formal_kinds == ("case", "personal")


@pytest.mark.parametrize(
    ("facts", "days"),
    [
        (staff(case_holding=True, frontline=True), 28),
        (staff(case_holding=True, frontline=False), 28),
        (staff(case_holding=False, frontline=True), 56),
        (staff(case_holding=False, frontline=False), 84),
    ],
    ids=["case-holding", "case-holding line manager", "other frontline", "not frontline"],
)
def test_the_interval_depends_on_the_staff_type(facts: StaffFacts, days: int) -> None:
    assert required_interval_days(RULES, facts, date(2026, 3, 1)) == days


@pytest.mark.parametrize(
    ("on", "days"),
    [
        (date(2026, 1, 4), 28),
        (date(2026, 1, 5), 7),
        (date(2026, 2, 15), 7),
        (date(2026, 2, 16), 14),
        (date(2026, 7, 4), 14),
        (date(2026, 7, 5), 28),
    ],
    ids=[
        "before the ASYE",
        "first day of the ASYE",
        "last day of week six",
        "first day of week seven",
        "last day before six months",
        "six months in",
    ],
)
def test_a_newly_qualified_worker_is_supervised_weekly_then_fortnightly(
    on: date, days: int
) -> None:
    assert required_interval_days(RULES, staff(asye_start=ASYE_START), on) == days


def test_the_interval_reason_says_why_and_cites_the_policy() -> None:
    asye = staff(asye_start=ASYE_START)
    weekly = interval_reason(RULES, asye, date(2026, 1, 10))
    assert weekly.startswith("Every 7 days: newly qualified social workers are supervised weekly")
    assert "001_20b868241c344233.txt, 5" in weekly
    usual = interval_reason(RULES, staff(case_holding=False, frontline=False), date(2026, 1, 10))
    assert usual.startswith("Every 84 days:") and "000_3a84f6082ffc4311.txt, 3" in usual


def test_quantity_status_is_within_up_to_the_due_day_then_counts_days_overdue() -> None:
    facts = staff()
    assert quantity_status(RULES, facts, date(2026, 1, 1), date(2026, 1, 29)) == (True, 0)
    assert quantity_status(RULES, facts, date(2026, 1, 1), date(2026, 2, 3)) == (False, 5)


def test_quantity_status_without_a_session_counts_from_the_start_date() -> None:
    facts = staff(start_date=date(2026, 1, 1))
    assert quantity_status(RULES, facts, None, date(2026, 1, 20)) == (True, 0)
    assert quantity_status(RULES, facts, None, date(2026, 2, 1)) == (False, 3)
    assert quantity_status(RULES, staff(), None, date(2026, 2, 1)) == (False, 0)


def test_quantity_status_of_a_leaver_is_judged_on_their_leaving_date() -> None:
    leaver = staff(leaving_date=date(2026, 1, 20))
    assert quantity_status(RULES, leaver, date(2026, 1, 1), date(2026, 6, 1)) == (True, 0)


def test_quantity_status_follows_the_asye_interval() -> None:
    asye = staff(asye_start=ASYE_START)
    assert quantity_status(RULES, asye, date(2026, 1, 5), date(2026, 1, 13)) == (False, 1)


def default_rules_data() -> dict[str, object]:
    path = Path(__file__).parents[2] / "audit_tools" / "definitions" / "frequency.yaml"
    data: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_a_rules_file_may_be_given_by_path(tmp_path: Path) -> None:
    data = default_rules_data()
    data["version"] = 2
    path = tmp_path / "council-frequency.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_frequency_rules(path).version == 2


def test_every_problem_in_a_rules_file_is_reported(tmp_path: Path) -> None:
    data = default_rules_data()
    data.pop("signing")
    intervals = data["intervals"]
    assert isinstance(intervals, list)
    intervals[0]["interval_days"] = 0
    intervals.pop()
    path = tmp_path / "frequency.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FrequencyRulesError) as caught:
        load_frequency_rules(path)
    assert set(caught.value.problems) == {
        "frequency.yaml: ‘signing’ is missing",
        "frequency.yaml: intervals item 1: ‘interval_days’ must be at least 1 (it is 0)",
        "frequency.yaml: intervals: category ‘non_frontline’ must appear exactly once",
    }


def test_asye_stages_that_do_not_move_forward_are_refused(tmp_path: Path) -> None:
    data = default_rules_data()
    asye = data["asye"]
    assert isinstance(asye, dict)
    asye["stages"].reverse()
    path = tmp_path / "frequency.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FrequencyRulesError, match="each stage must end later than the one before"):
        load_frequency_rules(path)


def test_a_rules_file_with_a_yaml_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "frequency.yaml"
    path.write_text("id: x\nintervals: [\n", encoding="utf-8")
    with pytest.raises(FrequencyRulesError, match=r"frequency\.yaml: line 3: not valid YAML"):
        load_frequency_rules(path)
