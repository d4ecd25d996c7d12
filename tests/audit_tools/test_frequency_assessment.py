"""Assessing hand-made session histories and agreements against the frequency rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit_tools.frequency import (
    AgreementFacts,
    FrequencyAssessment,
    SessionFacts,
    StaffFacts,
    assess_agreement,
    assess_sessions,
    load_frequency_rules,
)

RULES = load_frequency_rules()
CASE_HOLDING = StaffFacts(True, True, None, None, None)
START, END = date(2026, 1, 1), date(2026, 6, 30)
FOUR_WEEKLY = [date(2026, 1, 20) + timedelta(days=28 * n) for n in range(6)]


def held(
    day: date, kind: str = "case", recorded: int | None = 1, signed: int | None = 2
) -> SessionFacts:
    """A session recorded and signed the given number of calendar days after it was held."""
    recorded_on = None if recorded is None else day + timedelta(days=recorded)
    signed_on = None if signed is None else day + timedelta(days=signed)
    return SessionFacts(day, recorded_on, signed_on, signed_on, kind)


def assess(
    days: list[date], staff: StaffFacts = CASE_HOLDING, start: date = START, end: date = END
) -> FrequencyAssessment:
    """Assess sessions held on `days`, each recorded the next day and signed the day after."""
    return assess_sessions(RULES, staff, [held(day) for day in days], start, end)


def test_four_weekly_sessions_recorded_and_signed_on_time_suggest_yes_throughout() -> None:
    result = assess(FOUR_WEEKLY)
    assert (result.sessions_held, result.sessions_expected) == (6, 6)
    assert (result.longest_gap_days, result.gaps_over_interval) == (28, 0)
    assert not result.max_gap_exceeded
    assert (result.late_recorded, result.late_signed, result.unsigned) == (0, 0, 0)
    assert dict(result.suggested) == {
        "frequency": "yes",
        "max_gap": "yes",
        "recorded_on_time": "yes",
        "signed_on_time": "yes",
    }
    assert result.reasons["frequency"] == (
        "6 of 6 sessions were held within 28 days of the one before; "
        "6 were expected between 1 January 2026 and 30 June 2026"
    )


def test_a_missed_session_makes_one_gap_too_long_and_suggests_partly() -> None:
    result = assess([day for day in FOUR_WEEKLY if day != date(2026, 4, 14)])
    assert result.gaps_over_interval == 1
    assert result.longest_gap_days == 56
    assert not result.max_gap_exceeded
    assert result.suggested["frequency"] == "partly"
    assert result.reasons["frequency"].startswith(
        "4 of 5 sessions were held within 28 days of the one before"
    )
    assert result.suggested["max_gap"] == "yes"


def test_more_than_two_months_without_a_session_suggests_no_for_the_maximum_gap() -> None:
    result = assess([date(2026, 1, 10), date(2026, 3, 11), date(2026, 4, 1)], end=date(2026, 4, 20))
    assert result.max_gap_exceeded
    assert result.suggested["max_gap"] == "no"
    assert result.reasons["max_gap"] == (
        "The gap of 60 days from 10 January 2026 to 11 March 2026 "
        "was more than 2 months without a session"
    )


def test_the_gap_named_as_too_long_is_the_one_over_two_calendar_months_not_the_longest() -> None:
    days = [date(2026, 7, 1), date(2026, 8, 31), date(2026, 10, 15), date(2026, 12, 1)]
    result = assess([*days, date(2026, 12, 31)], start=date(2026, 7, 1), end=date(2027, 3, 1))
    assert result.longest_gap_days == 61
    assert result.reasons["max_gap"] == (
        "The gap of 60 days from 31 December 2026 to 1 March 2027 "
        "was more than 2 months without a session"
    )


def test_a_gap_of_exactly_two_calendar_months_is_allowed() -> None:
    result = assess([date(2026, 1, 10), date(2026, 3, 10)], end=date(2026, 3, 20))
    assert not result.max_gap_exceeded


def test_the_gap_from_the_last_session_to_the_window_end_counts() -> None:
    result = assess(FOUR_WEEKLY[:3], end=date(2026, 6, 30))
    assert result.max_gap_exceeded
    assert result.suggested["frequency"] == "partly"
    assert result.reasons["frequency"].endswith("the next session was overdue on 30 June 2026")


def test_no_sessions_at_all_suggest_no() -> None:
    result = assess([])
    assert dict(result.suggested) == {"frequency": "no", "max_gap": "no"}
    assert result.reasons["frequency"] == (
        "No session was held between 1 January 2026 and 30 June 2026; 6 were expected"
    )
    assert result.reasons["recorded_on_time"] == (
        "No session was held, so there is no record to check"
    )


def test_the_maximum_gap_does_not_apply_to_staff_who_are_not_frontline() -> None:
    office = StaffFacts(False, False, None, None, None)
    result = assess([date(2026, 2, 1), date(2026, 4, 20)], staff=office)
    assert "max_gap" not in result.suggested
    assert result.reasons["max_gap"] == (
        "The maximum gap of 2 months does not apply to this supervisee"
    )
    assert result.suggested["frequency"] == "yes"


def test_a_newly_qualified_worker_is_held_to_weekly_then_fortnightly_sessions() -> None:
    asye = StaffFacts(True, True, date(2026, 1, 5), date(2026, 1, 5), None)
    weekly = [date(2026, 1, 5) + timedelta(days=7 * n) for n in range(1, 7)]
    fortnightly = [weekly[-1] + timedelta(days=14 * n) for n in range(1, 5)]
    on_time = assess(weekly + fortnightly, staff=asye, end=date(2026, 4, 20))
    assert on_time.gaps_over_interval == 0
    assert on_time.suggested["frequency"] == "yes"
    assert on_time.reasons["frequency"].startswith(
        "10 of 10 sessions were held within the required interval"
    )
    fortnightly_from_the_start = [date(2026, 1, 5) + timedelta(days=14 * n) for n in range(1, 8)]
    late = assess(fortnightly_from_the_start, staff=asye, end=date(2026, 4, 20))
    assert late.gaps_over_interval == 3
    assert late.sessions_expected == 10
    assert late.suggested["frequency"] == "partly"


def test_the_window_is_narrowed_to_the_staff_members_start_and_leaving_dates() -> None:
    joiner = StaffFacts(True, True, None, date(2026, 5, 1), date(2026, 6, 10))
    result = assess([date(2026, 5, 20)], staff=joiner)
    assert result.sessions_expected == 1
    assert result.gaps_over_interval == 0
    assert result.suggested["frequency"] == "yes"
    assert result.reasons["frequency"].endswith("between 1 May 2026 and 10 June 2026")


def test_group_and_ad_hoc_sessions_do_not_count_and_unknown_kinds_are_refused() -> None:
    sessions = [held(day, kind="group") for day in FOUR_WEEKLY]
    result = assess_sessions(RULES, CASE_HOLDING, sessions, START, END)
    assert result.sessions_held == 0
    with pytest.raises(ValueError, match="unknown session kind 'peer'"):
        assess_sessions(RULES, CASE_HOLDING, [held(START, kind="peer")], START, END)


def test_two_sessions_on_one_day_count_once() -> None:
    sessions = [held(day, kind) for day in FOUR_WEEKLY for kind in ("case", "personal")]
    assert assess_sessions(RULES, CASE_HOLDING, sessions, START, END).sessions_held == 6


def test_someone_not_in_post_during_the_window_gets_no_suggestions() -> None:
    leaver = StaffFacts(True, True, None, None, date(2025, 12, 1))
    result = assess([], staff=leaver)
    assert dict(result.suggested) == {}
    assert result.reasons["frequency"] == (
        "The supervisee was not in post between 1 January 2026 and 30 June 2026"
    )


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="must not end before it starts"):
        assess([], start=END, end=START)


def test_no_session_due_in_a_short_window_gives_no_frequency_suggestion() -> None:
    result = assess([], start=date(2026, 1, 1), end=date(2026, 1, 20))
    assert "frequency" not in result.suggested
    assert (
        result.reasons["frequency"]
        == "No session was due between 1 January 2026 and 20 January 2026"
    )


def test_recording_within_three_working_days_skips_christmas() -> None:
    christmas_eve = date(2026, 12, 24)
    on_time = SessionFacts(christmas_eve, date(2026, 12, 31), None, None, "case")
    late = SessionFacts(date(2026, 12, 23), date(2026, 12, 31), None, None, "case")
    result = assess_sessions(
        RULES, CASE_HOLDING, [on_time, late], date(2026, 12, 1), date(2027, 1, 31)
    )
    assert result.late_recorded == 1
    assert result.suggested["recorded_on_time"] == "partly"
    assert result.reasons["recorded_on_time"] == (
        "1 of 2 sessions were recorded within 3 working days"
    )


def test_a_record_with_no_date_is_late_once_its_deadline_has_passed_and_pending_before() -> None:
    session = held(date(2026, 6, 25), recorded=None)
    pending = assess_sessions(RULES, CASE_HOLDING, [session], START, date(2026, 6, 30))
    assert pending.late_recorded == 0 and "recorded_on_time" not in pending.suggested
    assert pending.reasons["recorded_on_time"] == "No record was due by 30 June 2026"
    overdue = assess_sessions(RULES, CASE_HOLDING, [session], START, date(2026, 7, 1))
    assert overdue.late_recorded == 1
    assert overdue.suggested["recorded_on_time"] == "no"
    assert overdue.reasons["recorded_on_time"].endswith("1 with no date recorded")


def test_signing_counts_late_and_missing_signatures_separately() -> None:
    on_time = held(FOUR_WEEKLY[0], signed=14)
    late = held(FOUR_WEEKLY[1], signed=15)
    half_signed = SessionFacts(FOUR_WEEKLY[2], FOUR_WEEKLY[2], FOUR_WEEKLY[2], None, "case")
    result = assess_sessions(RULES, CASE_HOLDING, [on_time, late, half_signed], START, END)
    assert (result.late_signed, result.unsigned) == (1, 1)
    assert result.suggested["signed_on_time"] == "partly"
    assert result.reasons["signed_on_time"] == (
        "1 of 3 records were signed by both within 10 working days; "
        "1 signed late; 1 not signed by both"
    )


def test_without_an_agreement_every_agreement_question_suggests_no() -> None:
    suggestions = assess_agreement(None, date(2026, 6, 30))
    assert {key: answer for key, (answer, _) in suggestions.items()} == {
        "agreement_on_file": "no",
        "agreement_signed": "no",
        "agreement_reviewed": "no",
    }


def test_an_agreement_signed_by_both_and_not_yet_due_for_review_suggests_yes() -> None:
    agreement = AgreementFacts(date(2026, 1, 10), date(2026, 1, 12), date(2027, 1, 10))
    suggestions = assess_agreement(agreement, date(2026, 6, 30))
    assert {key: answer for key, (answer, _) in suggestions.items()} == {
        "agreement_on_file": "yes",
        "agreement_signed": "yes",
        "agreement_reviewed": "yes",
    }
    assert suggestions["agreement_reviewed"][1] == (
        "The agreement is next due for review on 10 January 2027"
    )


@pytest.mark.parametrize(
    ("agreement", "answer", "reason"),
    [
        (
            AgreementFacts(date(2026, 1, 10), None, None),
            "partly",
            "Signed by the supervisor on 10 January 2026 but not the supervisee",
        ),
        (
            AgreementFacts(None, date(2026, 1, 10), None),
            "partly",
            "Signed by the supervisee on 10 January 2026 but not the supervisor",
        ),
        (
            AgreementFacts(None, None, date(2027, 1, 1)),
            "no",
            "Not signed by the supervisor or the supervisee",
        ),
    ],
)
def test_an_agreement_signed_by_one_party_suggests_partly(
    agreement: AgreementFacts, answer: str, reason: str
) -> None:
    assert assess_agreement(agreement, date(2026, 6, 30))["agreement_signed"] == (answer, reason)


@pytest.mark.parametrize(
    ("agreement", "answer"),
    [
        (AgreementFacts(date(2025, 5, 1), date(2025, 5, 1), None), "no"),
        (AgreementFacts(date(2025, 7, 1), date(2025, 7, 1), None), "yes"),
        (AgreementFacts(date(2025, 5, 1), date(2025, 5, 1), date(2026, 8, 1)), "yes"),
        (AgreementFacts(date(2026, 6, 1), date(2026, 6, 1), date(2026, 6, 29)), "no"),
        (AgreementFacts(None, None, None), "no"),
    ],
    ids=[
        "signed over 12 months ago",
        "signed within 12 months",
        "recorded review date still ahead",
        "recorded review date passed despite a recent signature",
        "no dates at all",
    ],
)
def test_an_agreement_counts_as_reviewed_only_within_twelve_months(
    agreement: AgreementFacts, answer: str
) -> None:
    assert assess_agreement(agreement, date(2026, 6, 30))["agreement_reviewed"][0] == answer
