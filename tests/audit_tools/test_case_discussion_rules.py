"""How often each case must be discussed, by its status, in the five council profiles: each
interval quoted from the section it cites, every status's rule held on both sides of its
boundary, a status change between two discussions, a transfer to a new worker, and the
loader naming the field when the section is wrong."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest

from audit_tools._definition import FieldReader
from audit_tools.case_rules import (
    STATUS_KEYS,
    CaseDiscussionRules,
    CaseFacts,
    case_gaps,
    open_case,
    parse_case_discussions,
    worker_cases_in_period,
)
from audit_tools.profile import CouncilProfile, load_profile
from tests.audit_tools.policy_sections import section_texts

POLICIES = Path(__file__).parents[2] / "audit_tools" / "policies"
SHIPPED = ("blackpool", "coventry", "haringey", "havering", "leicester")


def normalise(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("**", "")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


@cache
def profile(name: str) -> CouncilProfile:
    return load_profile(name)


def rules(name: str) -> CaseDiscussionRules:
    return profile(name).case_discussions


def citations() -> list[tuple[str, str, str]]:
    return [
        (name, citation.source, citation.quote)
        for name in SHIPPED
        for citation in rules(name).citations()
    ]


@pytest.mark.parametrize(("name", "source", "quote"), citations())
def test_each_quotation_is_in_the_section_it_cites(name: str, source: str, quote: str) -> None:
    file_name, section = source.split(", ", 1)
    assert file_name == profile(name).policy_file
    text = (POLICIES / file_name).read_text(encoding="utf-8")
    sections = [normalise(found) for found in section_texts(text, section)]
    assert sections, f"{name}: no section {section} in {file_name}"
    assert any(normalise(quote) in found for found in sections), f"{name} {source}: {quote}"


def test_the_three_policies_that_set_case_discussions_cite_their_sections() -> None:
    assert {c.source for c in rules("leicester").citations()} == {"000_3a84f6082ffc4311.txt, 3.1"}
    assert {c.source for c in rules("havering").citations()} == {"001_20b868241c344233.txt, 9"}
    assert {c.source for c in rules("haringey").citations()} == {"004_fde0c66ff807e5b0.txt, 6.2"}
    assert rules("coventry").citations() == rules("blackpool").citations() == ()


def test_every_status_is_in_every_profile_and_each_silence_says_so() -> None:
    for name in SHIPPED:
        assert tuple(rule.status for rule in rules(name).statuses) == STATUS_KEYS
        for interval in rules(name).intervals():
            if interval.silent:
                assert interval.note, name
            else:
                assert interval.citation.source and interval.citation.quote, name


# (profile, status, first discussion due after allocation, interval between discussions)
EXPECTED = {
    "leicester": {
        "child_protection": ("28 days", "28 days"),
        "child_in_need": ("28 days", "28 days"),
        "looked_after": ("28 days", "28 days"),
        "looked_after_permanence": ("28 days", "56 days"),
        "early_help": ("28 days", "28 days"),
        "single_agency": ("14 days", "28 days"),
        "youth_justice": ("28 days", "28 days"),
        "care_leaver": ("28 days", "56 days"),
        "care_leaver_unsuitable": ("28 days", "28 days"),
        "adult": ("not set", "not set"),
    },
    "havering": {status: ("1 month", "1 month") for status in STATUS_KEYS},
    "haringey": {status: ("3 months", "3 months") for status in STATUS_KEYS},
    "coventry": {status: ("not set", "not set") for status in STATUS_KEYS},
    "blackpool": {status: ("not set", "not set") for status in STATUS_KEYS},
}


def test_each_profile_sets_what_its_policy_says_for_each_status() -> None:
    for name, statuses in EXPECTED.items():
        for status, (first, between) in statuses.items():
            rule = rules(name).rule(status)
            assert (rule.first.words(), rule.between.words()) == (first, between), (name, status)


def boundaries() -> list[tuple[str, str, str, date, date]]:
    """(profile, status, which interval, from, last day in time) for every interval set."""
    found = []
    for name, statuses in EXPECTED.items():
        for status, (first, between) in statuses.items():
            for which, words in (("first", first), ("between", between)):
                if words == "not set":
                    continue
                amount, unit = words.split()
                since = date(2026, 1, 31)
                if unit.startswith("month"):
                    last = {1: date(2026, 2, 28), 3: date(2026, 4, 30)}[int(amount)]
                else:
                    last = since + timedelta(days=int(amount))
                found.append((name, status, which, since, last))
    return found


def case(status: str, allocated: date, *discussions: date) -> CaseFacts:
    return CaseFacts("C1", [(allocated, "W1")], [(allocated, status)], list(discussions))


@pytest.mark.parametrize(("name", "status", "which", "since", "last"), boundaries())
def test_each_status_rule_is_met_on_its_last_day_and_missed_the_day_after(
    name: str, status: str, which: str, since: date, last: date
) -> None:
    earlier: tuple[date, ...]
    if which == "first":
        allocated, earlier = since, ()
    else:
        allocated, earlier = since - timedelta(days=7), (since,)
    on_time = open_case(rules(name), case(status, allocated, *earlier), last)
    late = open_case(rules(name), case(status, allocated, *earlier), last + timedelta(days=1))
    assert on_time is not None and late is not None
    assert (on_time.due, on_time.within, on_time.days_over) == (last, True, 0)
    assert (late.due, late.within, late.days_over) == (last, False, 1)
    assert on_time.last_discussion == (None if which == "first" else since)
    # A discussion on the last day is in time; one the day after is late.
    gaps = case_gaps(rules(name), case(status, allocated, *earlier, last), last)
    assert gaps[-1].ended_by_discussion and gaps[-1].within is True
    day_after = last + timedelta(days=1)
    gaps = case_gaps(rules(name), case(status, allocated, *earlier, day_after), day_after)
    assert gaps[-1].ended_by_discussion and gaps[-1].within is False


@pytest.mark.parametrize(
    ("name", "status"),
    [("leicester", "adult"), ("coventry", "child_protection"), ("blackpool", "looked_after")],
)
def test_a_status_the_policy_sets_nothing_for_is_not_judged(name: str, status: str) -> None:
    found = open_case(rules(name), case(status, date(2025, 1, 1)), date(2026, 11, 23))
    assert found is not None
    assert (found.due, found.within, found.days_over) == (None, None, 0)
    assert found.interval.note


def test_leicester_single_agency_is_due_within_two_weeks_of_allocation_then_four() -> None:
    leicester = rules("leicester")
    allocated = date(2026, 3, 2)
    first = open_case(leicester, case("single_agency", allocated), date(2026, 3, 16))
    assert first is not None and (first.due, first.within) == (date(2026, 3, 16), True)
    late = open_case(leicester, case("single_agency", allocated), date(2026, 3, 17))
    assert late is not None and late.within is False
    then = open_case(
        leicester, case("single_agency", allocated, date(2026, 3, 10)), date(2026, 4, 7)
    )
    assert then is not None and (then.due, then.within) == (date(2026, 4, 7), True)


def test_a_status_change_between_two_discussions_judges_the_second_by_the_new_status() -> None:
    leicester = rules("leicester")
    # Looked after, four-weekly until the permanency plan is agreed on 20 January.
    history = [(date(2026, 1, 1), "looked_after"), (date(2026, 1, 20), "looked_after_permanence")]
    kept = CaseFacts(
        "C1", [(date(2026, 1, 1), "W1")], history, [date(2026, 1, 5), date(2026, 3, 2)]
    )
    gaps = case_gaps(leicester, kept, date(2026, 3, 2))
    assert [(gap.status, gap.due, gap.within) for gap in gaps] == [
        ("looked_after", date(2026, 1, 29), True),
        ("looked_after_permanence", date(2026, 3, 2), True),
    ]
    # Without the plan agreed, the same second discussion is 28 days late.
    unchanged = CaseFacts(
        "C1", [(date(2026, 1, 1), "W1")], history[:1], [date(2026, 1, 5), date(2026, 3, 2)]
    )
    gaps = case_gaps(leicester, unchanged, date(2026, 3, 2))
    assert (gaps[-1].status, gaps[-1].due, gaps[-1].within) == (
        "looked_after",
        date(2026, 2, 2),
        False,
    )
    assert gaps[-1].days_over == 28
    # A child put on a child protection plan is held to four weeks from the last discussion.
    stricter = CaseFacts(
        "C1",
        [(date(2026, 1, 1), "W1")],
        [(date(2026, 1, 1), "care_leaver"), (date(2026, 2, 10), "child_protection")],
        [date(2026, 1, 5)],
    )
    before = open_case(leicester, stricter, date(2026, 2, 9))
    assert before is not None and (before.status, before.within) == ("care_leaver", True)
    now = open_case(leicester, stricter, date(2026, 2, 10))
    assert now is not None and (now.status, now.within, now.days_over) == (
        "child_protection",
        False,
        8,
    )


def test_a_transfer_gives_the_new_worker_the_first_discussion_interval_from_the_transfer() -> None:
    leicester = rules("leicester")
    moved = CaseFacts(
        "C1",
        [(date(2026, 1, 1), "W1"), (date(2026, 2, 1), "W2")],
        [(date(2026, 1, 1), "child_protection")],
        [date(2026, 1, 10)],
    )
    in_time = open_case(leicester, moved, date(2026, 3, 1))
    assert in_time is not None
    assert (in_time.worker, in_time.allocated_on, in_time.last_discussion) == (
        "W2",
        date(2026, 2, 1),
        None,
    )
    assert (in_time.due, in_time.within) == (date(2026, 3, 1), True)
    late = open_case(leicester, moved, date(2026, 3, 2))
    assert late is not None and late.within is False and late.days_over == 1
    gaps = case_gaps(leicester, moved, date(2026, 3, 2))
    assert [(gap.worker, gap.since, gap.until, gap.within) for gap in gaps] == [
        ("W1", date(2026, 1, 1), date(2026, 1, 10), True),
        ("W1", date(2026, 1, 10), date(2026, 1, 31), True),
        ("W2", date(2026, 2, 1), date(2026, 3, 2), False),
    ]


def test_the_worker_who_handed_over_a_case_late_is_still_late_for_it() -> None:
    leicester = rules("leicester")
    moved = CaseFacts(
        "C1",
        [(date(2026, 1, 1), "W1"), (date(2026, 3, 1), "W2")],
        [(date(2026, 1, 1), "child_in_need")],
        [],
    )
    cases = worker_cases_in_period(leicester, [moved], "W1", date(2026, 2, 1), date(2026, 4, 30))
    assert [(found.reference, found.within) for found in cases] == [("C1", False)]
    assert cases[0].late[0].until == date(2026, 2, 28)
    assert (
        worker_cases_in_period(leicester, [moved], "W3", date(2026, 1, 1), date(2026, 4, 30)) == []
    )


def test_a_closed_case_is_no_longer_judged() -> None:
    leicester = rules("leicester")
    closed = CaseFacts(
        "C1",
        [(date(2026, 1, 1), "W1")],
        [(date(2026, 1, 1), "child_in_need"), (date(2026, 1, 20), "closed")],
        [],
    )
    assert open_case(leicester, closed, date(2026, 1, 19)) is not None
    assert open_case(leicester, closed, date(2026, 1, 20)) is None
    gaps = case_gaps(leicester, closed, date(2026, 6, 1))
    assert [(gap.until, gap.within) for gap in gaps] == [(date(2026, 1, 19), True)]


def test_havering_counts_calendar_months_and_haringey_three() -> None:
    havering, haringey = rules("havering"), rules("haringey")
    monthly = case("child_in_need", date(2026, 1, 10), date(2026, 1, 31))
    assert open_case(havering, monthly, date(2026, 2, 28)).within is True  # type: ignore[union-attr]
    assert open_case(havering, monthly, date(2026, 3, 1)).within is False  # type: ignore[union-attr]
    quarterly = case("adult", date(2026, 1, 10), date(2026, 1, 31))
    assert open_case(haringey, quarterly, date(2026, 4, 30)).within is True  # type: ignore[union-attr]
    assert open_case(haringey, quarterly, date(2026, 5, 1)).within is False  # type: ignore[union-attr]


def parse(section: object) -> list[str]:
    reader = FieldReader("test.yaml")
    parse_case_discussions(reader, section, "000_3a84f6082ffc4311.txt")
    return reader.problems


def silent_statuses() -> dict[str, object]:
    silent = {"silent": True, "note": "Not set."}
    return {status: {"after_allocation": silent, "between": silent} for status in STATUS_KEYS}


def test_a_complete_silent_section_reads_without_problems() -> None:
    assert parse({"statuses": silent_statuses()}) == []


def test_the_loader_names_each_wrong_field() -> None:
    statuses = silent_statuses()
    del statuses["adult"]
    statuses["foster_care"] = statuses["child_in_need"]
    statuses["child_in_need"] = {
        "after_allocation": {"days": 28},
        "between": {"silent": True, "days": 3, "note": "x"},
    }
    statuses["child_protection"] = {
        "after_allocation": {"days": 28, "source": "001_20b868241c344233.txt, 9", "quote": "x"},
        "between": {"weeks": 4},
    }
    problems = parse({"statuses": statuses})
    assert (
        "test.yaml: case_discussions, statuses: "
        "status ‘adult’ is missing (say what the policy sets)" in problems
    )
    assert any("unknown status ‘foster_care’" in problem for problem in problems)
    assert any(
        "‘child_in_need’, after_allocation: an interval the policy sets needs" in p
        for p in problems
    )
    assert any("‘child_in_need’, between: a silent interval has no ‘days’" in p for p in problems)
    assert any("must cite 000_3a84f6082ffc4311.txt" in p for p in problems)
    assert any("‘child_protection’, between: unknown field ‘weeks’" in p for p in problems)
    assert parse(None) == [
        "test.yaml: ‘case_discussions’ is missing (list every status, silent or not)"
    ]
