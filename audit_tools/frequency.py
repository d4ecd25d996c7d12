"""How often supervision happened, set against the policies, to pre-fill audit answers.

The app turns imported sessions and agreements into plain facts; this module says whether
they meet the frequency rules (those of the council profile the audit keeps) and suggests an
answer, with a plain-English reason, for each question that has a `prefill` key. The auditor
confirms or changes the suggestion: it is evidence, not a verdict. Councils must monitor the
quantity of supervision as well as its quality (Coventry, 003_2701f8fa2326f2b4.txt, 2.13).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from audit_tools.agreement import AgreementFacts, assess_agreement
from audit_tools.frequency_rules import (
    ASYE,
    CATEGORIES,
    AsyeStage,
    Citation,
    FrequencyRules,
    FrequencyRulesError,
    IntervalRule,
    Limit,
    StaffFacts,
    asye_stage,
    category_on,
    due_after,
    interval_reason,
    interval_words,
    load_frequency_rules,
    parse_frequency_rules,
    quantity_status,
    required_interval_days,
    staff_category,
)
from audit_tools.working_days import (
    add_months,
    add_working_days,
    is_working_day,
    long_date,
    working_days_between,
)

__all__ = [
    "ASYE",
    "CATEGORIES",
    "AgreementFacts",
    "AsyeStage",
    "Citation",
    "FrequencyAssessment",
    "FrequencyRules",
    "FrequencyRulesError",
    "IntervalRule",
    "Limit",
    "SessionFacts",
    "StaffFacts",
    "add_months",
    "add_working_days",
    "asye_stage",
    "assess_agreement",
    "assess_sessions",
    "category_on",
    "due_after",
    "interval_reason",
    "interval_words",
    "is_working_day",
    "load_frequency_rules",
    "parse_frequency_rules",
    "quantity_status",
    "required_interval_days",
    "staff_category",
    "working_days_between",
]


@dataclass(frozen=True)
class SessionFacts:
    """One supervision session as imported: when it was held, recorded and signed."""

    held_on: date
    recorded_on: date | None
    signed_by_supervisor_on: date | None
    signed_by_supervisee_on: date | None
    kind: str
    length_minutes: int | None = None


@dataclass(frozen=True)
class FrequencyAssessment:
    """What the sessions in a window show against the frequency rules.

    Sessions held on the same day count once in `sessions_held`. `late_recorded` includes
    records with no recorded date once their deadline has passed; `unsigned` counts records
    not signed by both parties once their signing deadline has passed. `suggested` maps a
    prefill key to "yes", "partly" or "no" (all, some or none of what was checked met the
    rule); a key is left out when there was nothing to judge, but `reasons` always says why.
    """

    window_start: date
    window_end: date
    sessions_held: int
    sessions_expected: int
    longest_gap_days: int
    gaps_over_interval: int
    max_gap_exceeded: bool
    late_recorded: int
    late_signed: int
    unsigned: int
    suggested: Mapping[str, str]
    reasons: Mapping[str, str]


def _share(good: int, total: int) -> str:
    """All good -> "yes", none -> "no", some -> "partly"."""
    if good == total:
        return "yes"
    return "no" if good == 0 else "partly"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _nothing_due(sessions: list[SessionFacts], as_of: date) -> str:
    if not sessions:
        return "No session was held, so there is no record to check"
    return f"No record was due by {long_date(as_of)}"


@dataclass
class _Gaps:
    """The gaps between sessions in the period, measured from its start to its end."""

    on_time: int = 0
    over_interval: int = 0
    longest: int = 0
    max_gap_months: int | None = None
    over_max: tuple[date, date] | None = None
    intervals: set[str] = field(default_factory=set)
    overdue_at_end: bool = False


def _measure_gaps(
    rules: FrequencyRules, staff: StaffFacts, days: list[date], start: date, end: date
) -> _Gaps:
    gaps = _Gaps()
    anchor = start
    for day in days:
        if not _add_gap(gaps, rules, staff, anchor, day):
            gaps.on_time += 1
        anchor = day
    gaps.overdue_at_end = _add_gap(gaps, rules, staff, anchor, end)
    return gaps


def _add_gap(
    gaps: _Gaps, rules: FrequencyRules, staff: StaffFacts, since: date, until: date
) -> bool:
    """Record the gap from `since` to `until`; True when it is longer than the interval.

    The longest gap is the person's category's (the ASYE stages change only the interval)."""
    gaps.intervals.add(interval_words(rules, staff, since))
    length = (until - since).days
    gaps.longest = max(gaps.longest, length)
    months = rules.category_rule(staff).longest_gap_months
    if months is not None:
        gaps.max_gap_months = months
        worst = gaps.over_max
        if until > add_months(since, months) and (
            worst is None or length > (worst[1] - worst[0]).days
        ):
            gaps.over_max = (since, until)
    if until > due_after(rules, staff, since):
        gaps.over_interval += 1
        return True
    return False


def _expected(rules: FrequencyRules, staff: StaffFacts, start: date, end: date) -> int:
    """Sessions due before the end, stepping one interval at a time, and at least the
    pro-rata yearly minimum where that applies."""
    count = 0
    due = due_after(rules, staff, start)
    while due < end:
        count += 1
        due = due_after(rules, staff, due)
    minimum = rules.category_rule(staff).yearly_minimum
    if minimum is not None:
        count = max(count, minimum * (end - start).days // 365)
    return count


def assess_sessions(
    rules: FrequencyRules,
    staff: StaffFacts,
    sessions: Iterable[SessionFacts],
    window_start: date,
    window_end: date,
) -> FrequencyAssessment:
    """Assess the formal sessions held from `window_start` to `window_end` (inclusive).

    The period is narrowed to the staff member's start and leaving dates. Each gap runs from
    the period start or the previous session to the next session, and finally to the period
    end; the interval for a gap is the one required on the day it began, so the ASYE stages
    change it over time. Records are judged as of `window_end`: one not yet due is pending.
    Raises ValueError for a window that ends before it starts or an unknown session kind.
    """
    if window_end < window_start:
        raise ValueError("the window must not end before it starts")
    start = max(window_start, staff.start_date or window_start)
    end = min(window_end, staff.leaving_date or window_end)
    if end < start:
        return _not_in_post(window_start, window_end)
    known = set(rules.formal_kinds) | set(rules.other_kinds)
    formal: list[SessionFacts] = []
    for session in sessions:
        if session.kind not in known:
            raise ValueError(f"unknown session kind {session.kind!r} (use {sorted(known)})")
        if session.kind in rules.formal_kinds and start <= session.held_on <= end:
            formal.append(session)
    days = sorted({session.held_on for session in formal})
    gaps = _measure_gaps(rules, staff, days, start, end)
    expected = _expected(rules, staff, start, end)
    suggested: dict[str, str] = {}
    reasons: dict[str, str] = {}
    _frequency(gaps, len(days), expected, (start, end), suggested, reasons)
    _lengths(rules, formal, reasons)
    _max_gap(rules, gaps, suggested, reasons)
    late_recorded = _recording(rules, formal, window_end, suggested, reasons)
    late_signed, unsigned = _signing(rules, formal, window_end, suggested, reasons)
    return FrequencyAssessment(
        window_start=window_start,
        window_end=window_end,
        sessions_held=len(days),
        sessions_expected=expected,
        longest_gap_days=gaps.longest,
        gaps_over_interval=gaps.over_interval,
        max_gap_exceeded=gaps.over_max is not None,
        late_recorded=late_recorded,
        late_signed=late_signed,
        unsigned=unsigned,
        suggested=MappingProxyType(suggested),
        reasons=MappingProxyType(reasons),
    )


def _not_in_post(window_start: date, window_end: date) -> FrequencyAssessment:
    """The assessment for someone who started after, or left before, the window."""
    reason = (
        f"The supervisee was not in post between {long_date(window_start)} "
        f"and {long_date(window_end)}"
    )
    return FrequencyAssessment(
        window_start=window_start,
        window_end=window_end,
        sessions_held=0,
        sessions_expected=0,
        longest_gap_days=0,
        gaps_over_interval=0,
        max_gap_exceeded=False,
        late_recorded=0,
        late_signed=0,
        unsigned=0,
        suggested=MappingProxyType({}),
        reasons=MappingProxyType(
            {key: reason for key in ("frequency", "max_gap", "recorded_on_time", "signed_on_time")}
        ),
    )


def _frequency(
    gaps: _Gaps,
    held: int,
    expected: int,
    period: tuple[date, date],
    suggested: dict[str, str],
    reasons: dict[str, str],
) -> None:
    between = f"between {long_date(period[0])} and {long_date(period[1])}"
    if held == 0 and expected == 0:
        reasons["frequency"] = f"No session was due {between}"
        return
    if held == 0:
        suggested["frequency"] = "no"
        reasons["frequency"] = (
            f"No session was held {between}; {expected} {_were(expected)} expected"
        )
        return
    within = (
        f"within {next(iter(gaps.intervals))}"
        if len(gaps.intervals) == 1
        else "within the required interval"
    )
    reason = (
        f"{gaps.on_time} of {_plural(held, 'session')} {_were(held)} "
        f"held {within} of the one before; {expected} {_were(expected)} expected {between}"
    )
    if gaps.overdue_at_end:
        reason += f"; the next session was overdue on {long_date(period[1])}"
    if gaps.over_interval == 0 and held >= expected:
        suggested["frequency"] = "yes"
    else:
        suggested["frequency"] = "no" if gaps.on_time == 0 else "partly"
    reasons["frequency"] = reason


def _lengths(rules: FrequencyRules, sessions: list[SessionFacts], reasons: dict[str, str]) -> None:
    """Say how many sessions were shorter than the policy's length, where it sets one: the
    auditor weighs it; the suggested answer is about how often, so it stays as it is."""
    if rules.session_minutes is None or "frequency" not in reasons:
        return
    timed = [s.length_minutes for s in sessions if s.length_minutes is not None]
    if not timed:
        return
    short = sum(1 for minutes in timed if minutes < rules.session_minutes)
    reasons["frequency"] += (
        f"; {short} of the {_plural(len(timed), 'session')} with a recorded length "
        f"{_were(short)} shorter than the {rules.session_minutes} minutes the policy sets"
    )


def _max_gap(
    rules: FrequencyRules, gaps: _Gaps, suggested: dict[str, str], reasons: dict[str, str]
) -> None:
    if gaps.max_gap_months is None:
        reasons["max_gap"] = (
            "The policy sets no maximum gap for this supervisee"
            if rules.maximum_gap is None
            else f"The maximum gap of {_plural(rules.maximum_gap.amount, 'month')} does not "
            "apply to this supervisee"
        )
        return
    months = _plural(gaps.max_gap_months, "month")
    if gaps.over_max is not None:
        since, until = gaps.over_max
        suggested["max_gap"] = "no"
        reasons["max_gap"] = (
            f"The gap of {(until - since).days} days from {long_date(since)} to "
            f"{long_date(until)} was more than {months} without a session"
        )
        return
    suggested["max_gap"] = "yes"
    reasons["max_gap"] = f"The longest gap was {gaps.longest} days; none was over {months}"


def _recording(
    rules: FrequencyRules,
    sessions: list[SessionFacts],
    as_of: date,
    suggested: dict[str, str],
    reasons: dict[str, str],
) -> int:
    on_time = late = missing = 0
    if rules.recording is None:
        reasons["recorded_on_time"] = "The policy sets no deadline for writing the record"
        return 0
    limit = rules.recording.amount
    for session in sessions:
        deadline = add_working_days(session.held_on, limit)
        if session.recorded_on is None:
            if as_of > deadline:
                missing += 1
        elif session.recorded_on > deadline:
            late += 1
        else:
            on_time += 1
    checked = on_time + late + missing
    if checked == 0:
        reasons["recorded_on_time"] = _nothing_due(sessions, as_of)
        return 0
    reason = (
        f"{on_time} of {_plural(checked, 'session')} {_were(checked)} recorded within "
        f"{limit} working days"
    )
    if missing:
        reason += f"; {missing} with no date recorded"
    suggested["recorded_on_time"] = _share(on_time, checked)
    reasons["recorded_on_time"] = reason
    return late + missing


def _signing(
    rules: FrequencyRules,
    sessions: list[SessionFacts],
    as_of: date,
    suggested: dict[str, str],
    reasons: dict[str, str],
) -> tuple[int, int]:
    on_time = late = unsigned = 0
    if rules.signing is None:
        reasons["signed_on_time"] = "The policy sets no deadline for signing the record"
        return 0, 0
    limit = rules.signing.amount
    for session in sessions:
        deadline = add_working_days(session.held_on, limit)
        signed = (session.signed_by_supervisor_on, session.signed_by_supervisee_on)
        if signed[0] is None or signed[1] is None:
            if as_of > deadline:
                unsigned += 1
        elif max(signed[0], signed[1]) > deadline:
            late += 1
        else:
            on_time += 1
    checked = on_time + late + unsigned
    if checked == 0:
        reasons["signed_on_time"] = _nothing_due(sessions, as_of)
        return 0, 0
    reason = (
        f"{on_time} of {_plural(checked, 'record')} {_were(checked)} signed by both within "
        f"{limit} working days"
    )
    if late:
        reason += f"; {late} signed late"
    if unsigned:
        reason += f"; {unsigned} not signed by both"
    suggested["signed_on_time"] = _share(on_time, checked)
    reasons["signed_on_time"] = reason
    return late, unsigned
