"""The five shipped council profiles: each rule quoted from the section it cites, each
category held to its council's numbers on both sides of every boundary, and the loader
naming the field when a profile is wrong."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
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
from audit_tools.profile import (
    CouncilProfile,
    ProfileError,
    load_profile,
    parse_profile,
    profile_names,
)
from tests.audit_tools.policy_sections import section_texts

POLICIES = Path(__file__).parents[2] / "audit_tools" / "policies"  # as the service ships them
SHIPPED = ("blackpool", "coventry", "haringey", "havering", "leicester")


def normalise(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("**", "")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


@cache
def profile(name: str) -> CouncilProfile:
    return load_profile(name)


def person(name: str, category: str, asye_start: date | None = None) -> StaffFacts:
    """Someone who falls in `category` of the profile `name` (checked)."""
    rules = profile(name).frequency_rules()
    rule = rules.interval_rule(category)
    role = sorted(rule.roles)[0] if rule.roles else "practitioner"
    staff = StaffFacts(bool(rule.case_holding), True, asye_start, None, None, role)
    assert rules.category_rule(staff).category == category
    return staff


def test_the_five_councils_are_shipped() -> None:
    assert profile_names() == SHIPPED


def citations() -> list[tuple[str, str, str]]:
    found = []
    for name in SHIPPED:
        shipped = profile(name)
        cited = [rule.citation for rule in shipped.rules()] + [shipped.kinds_citation]
        found += [(name, c.source, c.quote) for c in cited if c.source]
    return found


@pytest.mark.parametrize(("name", "source", "quote"), citations())
def test_each_quotation_is_in_the_section_it_cites(name: str, source: str, quote: str) -> None:
    file_name, section = source.split(", ", 1)
    assert file_name == profile(name).policy_file
    text = (POLICIES / file_name).read_text(encoding="utf-8")
    sections = [normalise(found) for found in section_texts(text, section)]
    assert sections, f"{name}: no section {section} in {file_name}"
    assert any(normalise(quote) in found for found in sections), f"{name} {source}: {quote}"


def test_a_quotation_from_another_section_is_caught() -> None:
    text = (POLICIES / "003_2701f8fa2326f2b4.txt").read_text(encoding="utf-8")
    quote = "No staff member should go without a supervision session for more than two months."
    assert any(quote in found for found in section_texts(text, "5.2"))
    assert not any(quote in found for found in section_texts(text, "5.1"))


def test_every_rule_a_policy_is_silent_on_says_so_in_words() -> None:
    for name in SHIPPED:
        for rule in profile(name).rules():
            assert rule.silent == (rule.amount is None)
            if rule.silent:
                assert rule.note, name


# (profile, category, last session, last day the next one is in time)
INTERVALS = [
    ("coventry", "all_staff", date(2026, 1, 5), date(2026, 2, 16)),
    ("leicester", "case_holding", date(2026, 1, 5), date(2026, 2, 2)),
    ("leicester", "team_managers", date(2026, 1, 5), date(2026, 2, 2)),
    ("leicester", "without_cases", date(2026, 1, 5), date(2026, 3, 2)),
    ("leicester", "non_frontline", date(2026, 1, 5), date(2026, 3, 30)),
    ("havering", "all_staff", date(2026, 1, 31), date(2026, 2, 28)),
    ("blackpool", "all_staff", date(2026, 3, 15), date(2026, 4, 15)),
    ("haringey", "all_staff", date(2026, 4, 30), date(2026, 5, 30)),
]


@pytest.mark.parametrize(("name", "category", "last", "due"), INTERVALS)
def test_each_category_is_in_time_on_the_last_day_and_overdue_the_day_after(
    name: str, category: str, last: date, due: date
) -> None:
    rules = profile(name).frequency_rules()
    staff = person(name, category)
    assert quantity_status(rules, staff, last, due) == (True, 0)
    assert quantity_status(rules, staff, last, due + timedelta(days=1)) == (False, 1)


def sessions(*days: date) -> list[SessionFacts]:
    return [SessionFacts(day, day, day, day, "case") for day in days]


def test_coventry_allows_two_months_between_sessions_and_not_a_day_more() -> None:
    rules = profile("coventry").frequency_rules()
    staff = person("coventry", "all_staff")
    start, end = date(2026, 1, 10), date(2026, 3, 11)
    within = assess_sessions(rules, staff, sessions(start, date(2026, 3, 10)), start, end)
    over = assess_sessions(rules, staff, sessions(start, date(2026, 3, 11)), start, end)
    assert within.suggested["max_gap"] == "yes"
    assert over.suggested["max_gap"] == "no"


@pytest.mark.parametrize(
    ("name", "category"),
    [("leicester", "case_holding"), ("havering", "all_staff"), ("haringey", "all_staff")],
)
def test_a_policy_with_no_longest_gap_is_not_checked_for_one(name: str, category: str) -> None:
    rules = profile(name).frequency_rules()
    start, end = date(2026, 1, 10), date(2026, 3, 20)
    result = assess_sessions(rules, person(name, category), sessions(start), start, end)
    assert "max_gap" not in result.suggested
    assert result.reasons["max_gap"] == "The policy sets no maximum gap for this supervisee"


def test_coventry_expects_ten_sessions_a_year_even_when_six_weekly_would_need_fewer() -> None:
    rules = profile("coventry").frequency_rules()
    staff = person("coventry", "all_staff")
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    ten = [start + timedelta(days=36 * n) for n in range(1, 11)]
    nine = [start + timedelta(days=40 * n) for n in range(1, 10)]
    assert assess_sessions(rules, staff, sessions(*ten), start, end).suggested["frequency"] == (
        "yes"
    )
    short = assess_sessions(rules, staff, sessions(*nine), start, end)
    assert (short.sessions_expected, short.gaps_over_interval) == (10, 0)
    assert short.suggested["frequency"] == "partly"


@pytest.mark.parametrize("name", ["havering", "blackpool"])
def test_newly_qualified_staff_move_from_weekly_to_fortnightly_to_monthly(name: str) -> None:
    rules = profile(name).frequency_rules()
    asye = date(2026, 1, 5)
    staff = person(name, "all_staff", asye_start=asye)
    assert required_interval_days(rules, staff, date(2026, 2, 15)) == 7
    assert required_interval_days(rules, staff, date(2026, 2, 16)) == 14
    assert required_interval_days(rules, staff, date(2026, 7, 4)) == 14
    assert required_interval_days(rules, staff, date(2026, 7, 5)) == 31


@pytest.mark.parametrize(
    ("name", "category", "days"),
    [
        ("coventry", "all_staff", 42),
        ("leicester", "case_holding", 28),
        ("haringey", "all_staff", 28),
    ],
)
def test_where_a_policy_sets_no_asye_stages_the_category_rule_applies(
    name: str, category: str, days: int
) -> None:
    rules = profile(name).frequency_rules()
    staff = person(name, category, asye_start=date(2026, 2, 1))
    assert required_interval_days(rules, staff, date(2026, 2, 2)) == days


@pytest.mark.parametrize(
    ("name", "months"),
    [("coventry", 12), ("leicester", 12), ("havering", 12), ("blackpool", 3), ("haringey", 12)],
)
def test_the_agreement_is_reviewed_on_time_to_the_day(name: str, months: int) -> None:
    review = profile(name).frequency_rules().agreement_review.amount
    signed = date(2026, 1, 15)
    facts = AgreementFacts(signed, signed, None)
    due = add_months(signed, months)
    assert assess_agreement(facts, due, review)["agreement_reviewed"][0] == "yes"
    assert assess_agreement(facts, due + timedelta(days=1), review)["agreement_reviewed"][0] == (
        "no"
    )


@pytest.mark.parametrize("name", SHIPPED)
def test_a_team_manager_seen_every_seven_weeks_is_out_of_line(name: str) -> None:
    rules = profile(name).frequency_rules()
    manager = StaffFacts(False, True, None, None, None, "team_manager")
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    held = [start + timedelta(weeks=7 * n) for n in range(0, 4)]
    result = assess_sessions(rules, manager, sessions(*held), start, end)
    assert result.gaps_over_interval > 0
    assert result.suggested["frequency"] != "yes"


@pytest.mark.parametrize("name", SHIPPED)
def test_heads_of_service_are_not_exempt(name: str) -> None:
    rules = profile(name).frequency_rules()
    head = StaffFacts(False, False, None, None, None, "head_of_service")
    assert required_interval_days(rules, head, date(2026, 1, 5)) <= 56


def shipped_data(name: str) -> dict[str, object]:
    path = Path(__file__).parents[2] / "audit_tools" / "profiles" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def problems(data: dict[str, object]) -> tuple[str, ...]:
    with pytest.raises(ProfileError) as raised:
        parse_profile(data, "test.yaml")
    return raised.value.problems


def test_an_unknown_profile_is_refused_with_the_names_there_are() -> None:
    with pytest.raises(ProfileError, match="no council profile ‘york’ .*coventry"):
        load_profile("york")


def test_a_misspelt_field_and_a_missing_rule_are_named() -> None:
    data = shipped_data("coventry")
    data["retension"] = data.pop("retention")
    assert problems(data) == (
        "test.yaml: unknown field ‘retension’",
        "test.yaml: ‘retention’ is missing (say `silent: true` if the policy sets none)",
    )


def test_a_rule_without_its_quotation_or_with_another_councils_source_is_refused() -> None:
    data = shipped_data("coventry")
    categories = data["categories"]
    assert isinstance(categories, list)
    del categories[0]["interval"]["quote"]
    categories[0]["longest_gap"]["source"] = "000_3a84f6082ffc4311.txt, 3"
    assert problems(data) == (
        "test.yaml: category ‘all_staff’, interval: ‘quote’ is missing",
        "test.yaml: category ‘all_staff’, longest_gap: source ‘000_3a84f6082ffc4311.txt, 3’ "
        "must cite 003_2701f8fa2326f2b4.txt",
    )


def test_a_silent_rule_needs_words_and_no_number() -> None:
    data = shipped_data("coventry")
    data["recording"] = {"silent": True, "working_days": 3}
    assert problems(data) == (
        "test.yaml: recording: a silent rule needs a ‘note’ saying what the policy says",
        "test.yaml: recording: a silent rule has no ‘working_days’",
    )


def test_an_interval_in_two_units_or_none_is_refused() -> None:
    data = shipped_data("havering")
    categories = data["categories"]
    assert isinstance(categories, list)
    categories[0]["interval"]["days"] = 28
    assert problems(data) == (
        "test.yaml: category ‘all_staff’, interval: "
        "give one of ‘days’, ‘months’, or `silent: true`",
    )


def test_a_category_cannot_be_silent_about_its_interval() -> None:
    data = shipped_data("havering")
    categories = data["categories"]
    assert isinstance(categories, list)
    categories[0]["interval"] = {"silent": True, "note": "Nothing is said."}
    assert problems(data) == (
        "test.yaml: category ‘all_staff’: ‘interval’ cannot be silent: every category needs one",
    )
