"""Each shipped council profile, each of its staff categories, on both sides of every
boundary its policy sets: the interval, the longest gap, the yearly minimum, each ASYE stage
and the agreement review. The numbers are read from the profile files themselves, so these
tests follow a profile when its numbers change and cannot drift from it."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from itertools import product
from pathlib import Path

import pytest
import yaml

from audit_tools.agreement import AgreementFacts, assess_agreement
from audit_tools.frequency import (
    SessionFacts,
    StaffFacts,
    add_months,
    assess_sessions,
    quantity_status,
    required_interval_days,
)
from audit_tools.frequency_rules import FrequencyRules
from audit_tools.profile import ASSUMED_AGREEMENT_REVIEW_MONTHS, load_profile, profile_names
from qa.roles import Role
from qa.trends.rule_check import not_met

FOLDER = Path(__file__).parents[2] / "audit_tools" / "profiles"
LAST = date(2026, 1, 15)  # the last session before each boundary


@cache
def raw(name: str) -> dict:
    """The profile file as written, not as the service reads it."""
    return yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))


@cache
def rules(name: str) -> FrequencyRules:
    return load_profile(name).frequency_rules()


def someone_in(name: str, position: int, asye_start: date | None = None) -> StaffFacts:
    """A member of staff whom the profile puts in its category at `position`."""
    category = raw(name)["categories"][position]
    roles = [role.value for role in Role] if category["roles"] == "all" else category["roles"]
    for role, holds in product(roles, (category.get("case_holding", False), True, False)):
        staff = StaffFacts(holds, True, asye_start, date(2020, 1, 6), None, role)
        if rules(name).category_rule(staff).category == category["key"]:
            return staff
    raise AssertionError(f"{name}: nobody falls in {category['key']}")


def categories() -> list[tuple[str, int]]:
    return [(name, at) for name in profile_names() for at in range(len(raw(name)["categories"]))]


def with_rule(field: str) -> list[tuple[str, int]]:
    """The categories whose policy sets a number for `field`."""
    return [
        (name, at)
        for name, at in categories()
        if not raw(name)["categories"][at][field].get("silent")
    ]


def last_day_in_time(interval: dict, since: date) -> date:
    if "days" in interval:
        return since + timedelta(days=interval["days"])
    return add_months(since, interval["months"])


@pytest.mark.parametrize(("name", "at"), categories())
def test_the_interval_is_kept_on_its_last_day_and_broken_the_day_after(name: str, at: int):
    due = last_day_in_time(raw(name)["categories"][at]["interval"], LAST)
    staff = someone_in(name, at)
    assert quantity_status(rules(name), staff, LAST, due) == (True, 0)
    assert quantity_status(rules(name), staff, LAST, due + timedelta(days=1)) == (False, 1)
    assert "interval" not in not_met(rules(name), staff, [LAST], LAST, due)
    assert "interval" in not_met(rules(name), staff, [LAST], LAST, due + timedelta(days=1))


def formal(*days: date) -> list[SessionFacts]:
    return [SessionFacts(day, day, day, day, "case") for day in days]


@pytest.mark.parametrize(("name", "at"), with_rule("longest_gap"))
def test_the_longest_gap_is_kept_to_the_day_and_broken_the_day_after(name: str, at: int):
    months = raw(name)["categories"][at]["longest_gap"]["months"]
    staff = someone_in(name, at)
    limit = add_months(LAST, months)
    kept = assess_sessions(rules(name), staff, formal(LAST, limit), LAST, limit)
    over = limit + timedelta(days=1)
    broken = assess_sessions(rules(name), staff, formal(LAST, over), LAST, over)
    assert kept.suggested["max_gap"] == "yes"
    assert broken.suggested["max_gap"] == "no"
    before = [LAST - timedelta(days=28 * n) for n in range(14, 0, -1)]  # monthly till then
    assert "longest_gap" not in not_met(rules(name), staff, [*before, LAST, limit], limit, limit)
    assert "longest_gap" in not_met(rules(name), staff, [*before, LAST, over], over, over)


@pytest.mark.parametrize(("name", "at"), with_rule("yearly_minimum"))
def test_the_yearly_minimum_is_met_by_that_many_sessions_and_not_one_fewer(name: str, at: int):
    minimum = raw(name)["categories"][at]["yearly_minimum"]["sessions"]
    staff = someone_in(name, at)
    on = date(2026, 12, 31)
    held = [on - timedelta(days=30 * n) for n in range(minimum)][::-1]
    assert "yearly_minimum" not in not_met(rules(name), staff, held, held[-1], on)
    assert "yearly_minimum" in not_met(rules(name), staff, held[1:], held[-1], on)


@pytest.mark.parametrize(
    ("name", "at"),
    [
        (name, at)
        for name, at in categories()
        if raw(name)["categories"][at]["yearly_minimum"].get("silent")
    ],
)
def test_where_the_policy_sets_no_yearly_minimum_none_is_checked(name: str, at: int):
    staff = someone_in(name, at)
    on = date(2026, 12, 31)
    assert "yearly_minimum" not in not_met(rules(name), staff, [on], on, on)


def asye_cases() -> list[tuple[str, int, int]]:
    """(profile, category, stage) for every ASYE stage of every category."""
    return [
        (name, at, stage)
        for name, at in categories()
        for stage in range(len(raw(name)["asye"].get("stages", [])))
    ]


@pytest.mark.parametrize(("name", "at", "stage"), asye_cases())
def test_each_asye_stage_holds_to_its_last_day_and_the_next_rule_after(
    name: str, at: int, stage: int
):
    stages = raw(name)["asye"]["stages"]
    began = date(2026, 1, 5)
    staff = someone_in(name, at, asye_start=began)
    this = stages[stage]
    ends = (
        began + timedelta(weeks=this["until_weeks"])
        if "until_weeks" in this
        else add_months(began, this["until_months"])
    )
    assert (
        required_interval_days(rules(name), staff, ends - timedelta(days=1))
        == (this["interval_days"])
    )
    after = required_interval_days(rules(name), staff, ends)
    if stage + 1 < len(stages):
        assert after == stages[stage + 1]["interval_days"]
    else:
        category = raw(name)["categories"][at]["interval"]
        assert after == (last_day_in_time(category, ends) - ends).days


@pytest.mark.parametrize("name", [n for n in profile_names() if raw(n)["asye"].get("silent")])
def test_where_the_policy_sets_no_asye_stages_a_new_social_worker_has_their_category_rule(
    name: str,
):
    began = date(2026, 1, 5)
    for at, category in enumerate(raw(name)["categories"]):
        staff = someone_in(name, at, asye_start=began)
        day = began + timedelta(days=1)
        assert (
            required_interval_days(rules(name), staff, day)
            == (last_day_in_time(category["interval"], day) - day).days
        )


@pytest.mark.parametrize("name", profile_names())
def test_the_agreement_review_is_in_time_to_the_day_of_the_policys_period(name: str):
    review = raw(name)["agreement_review"]
    months = ASSUMED_AGREEMENT_REVIEW_MONTHS if review.get("silent") else review["months"]
    signed = date(2026, 1, 15)
    facts = AgreementFacts(signed, signed, None)
    period = rules(name).agreement_review.amount
    due = add_months(signed, months)
    assert assess_agreement(facts, due, period)["agreement_reviewed"][0] == "yes"
    late = assess_agreement(facts, due + timedelta(days=1), period)
    assert late["agreement_reviewed"][0] == "no"


@pytest.mark.parametrize("name", profile_names())
def test_a_team_manager_seen_every_seven_weeks_is_out_of_line(name: str):
    """Coventry 5.1 (no less than six-weekly), Leicester 3.1 (every four weeks), Havering,
    Blackpool and Haringey (monthly): seven weeks is too long under every one."""
    manager = StaffFacts(False, True, None, date(2020, 1, 6), None, "team_manager")
    on = date(2026, 11, 23)
    held = [on - timedelta(weeks=7 * n) for n in range(8)][::-1]
    assert "interval" in not_met(rules(name), manager, held, held[-1], on + timedelta(weeks=7))
    result = assess_sessions(rules(name), manager, formal(*held), held[0], on)
    assert result.gaps_over_interval == len(held) - 1


@pytest.mark.parametrize("name", profile_names())
def test_heads_of_service_are_held_to_a_rule(name: str):
    head = StaffFacts(False, False, None, date(2020, 1, 6), None, "head_of_service")
    assert rules(name).category_rule(head) is not None
    assert "interval" in not_met(rules(name), head, [], None, date(2026, 11, 23))
