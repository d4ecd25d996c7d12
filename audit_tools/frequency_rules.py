"""The frequency rules as data: how often each kind of staff must be supervised.

The service's rules come from the council profile in force on the day (audit_tools/profile.py
builds FrequencyRules from it; qa/profiles keeps its versions), each with the policy section
it comes from, so that a council changes a number in a new version of its profile rather
than the code. This module answers "how many days may pass between sessions for this person
on this day?". The older single rules file, audit_tools/definitions/frequency.yaml, is read
only by `load_frequency_rules` for the engine's own tests: nothing in the service reads it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path

from audit_tools._definition import (
    SOURCE_PATTERN,
    DefinitionError,
    FieldReader,
    quoted,
    read_definition,
    yaml_mapping,
)
from audit_tools.working_days import add_months

CATEGORIES = ("case_holding", "frontline", "non_frontline")
"""Staff categories with their own interval (Leicester, 000_3a84f6082ffc4311.txt, 3)."""

ASYE = "asye"
"""The category of a newly qualified social worker during the ASYE stages."""

_REFERENCE_DAY = date(2001, 1, 1)


class FrequencyRulesError(DefinitionError):
    """A frequency rules file that cannot be used; `problems` lists everything wrong."""


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: "file name, section" and the words quoted from it."""

    source: str
    quote: str


@dataclass(frozen=True)
class IntervalRule:
    """One staff category: who is in it, the longest time between their sessions (in days
    or calendar months), and the longest gap and yearly minimum that apply to them (None
    where the policy sets none). A person is in the first category whose conditions they
    meet; a condition left as None matches everyone."""

    category: str
    interval_days: int | None
    reason: str
    citation: Citation
    interval_months: int | None = None
    roles: frozenset[str] | None = None
    case_holding: bool | None = None
    frontline: bool | None = None
    longest_gap_months: int | None = None
    yearly_minimum: int | None = None

    def matches(self, staff: StaffFacts) -> bool:
        """Whether a member of staff meets every condition of this category."""
        return (
            (self.roles is None or staff.role in self.roles)
            and (self.case_holding is None or staff.case_holding == self.case_holding)
            and (self.frontline is None or staff.frontline == self.frontline)
        )

    def due_after(self, since: date) -> date:
        """The last day the next session may be held after one held on `since`."""
        if self.interval_months is not None:
            return add_months(since, self.interval_months)
        return since + timedelta(days=self.interval_days or 0)

    def describe(self) -> str:
        """The interval in words: "28 days", "1 month"."""
        if self.interval_months is not None:
            months = self.interval_months
            return f"{months} month" if months == 1 else f"{months} months"
        return f"{self.interval_days} days"


@dataclass(frozen=True)
class AsyeStage:
    """A stage of the ASYE, measured from its start, with its own interval."""

    interval_days: int
    reason: str
    until_weeks: int | None = None
    until_months: int | None = None

    def ends(self, asye_start: date) -> date:
        """The first day after this stage for someone whose ASYE began on `asye_start`."""
        if self.until_weeks is not None:
            return asye_start + timedelta(weeks=self.until_weeks)
        return add_months(asye_start, self.until_months or 0)


@dataclass(frozen=True)
class Limit:
    """A number with its unit fixed by where it is used, the staff it applies to, and why."""

    amount: int
    citation: Citation
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class StaffFacts:
    """What the frequency rules need to know about a supervisee (`role` as stored, such as
    "team_manager", matched against a category's roles)."""

    case_holding: bool
    frontline: bool
    asye_start: date | None
    start_date: date | None
    leaving_date: date | None
    role: str = ""
    fte: float | None = None  # full-time equivalent; None or 1 is full time


@dataclass(frozen=True)
class FrequencyRules:
    """The rules in force. Units: maximum_gap and agreement_review in calendar months,
    minimum_per_year in sessions, recording and signing in working days after the session.
    The engine reads the longest gap and yearly minimum from each category; the two Limits
    keep the citations of the rules file they came from. A council profile (profile.py)
    builds these rules too; where its policy sets no deadline, recording or signing is None.
    """

    id: str
    version: int
    title: str
    intervals: tuple[IntervalRule, ...]
    asye_stages: tuple[AsyeStage, ...]
    asye_citation: Citation
    maximum_gap: Limit | None
    minimum_per_year: Limit | None
    recording: Limit | None
    signing: Limit | None
    agreement_review: Limit
    formal_kinds: tuple[str, ...]
    other_kinds: tuple[str, ...]
    kinds_citation: Citation
    part_time_pro_rata: bool = False
    """A part-time worker's interval is stretched to the same amount of their work."""
    session_minutes: int | None = None
    """The shortest a formal session should last, where the policy says."""
    agreement_made_weeks: int | None = None
    """The weeks allowed to make the supervision agreement once a file opens, where set."""

    @cached_property
    def _by_category(self) -> dict[str, IntervalRule]:
        found: dict[str, IntervalRule] = {}
        for rule in self.intervals:
            found.setdefault(rule.category, rule)
        return found

    def category_rule(self, staff: StaffFacts) -> IntervalRule:
        """The first category whose conditions the member of staff meets."""
        for rule in self.intervals:
            if rule.matches(staff):
                return rule
        raise KeyError(f"no staff category matches the role {staff.role!r}")

    def interval_rule(self, category: str) -> IntervalRule:
        """The interval rule for a staff category (looked up often: the quantity figures ask
        for every member of staff at every month end)."""
        try:
            return self._by_category[category]
        except KeyError:
            raise KeyError(f"no interval rule for {category!r}") from None


def staff_category(rules: FrequencyRules, staff: StaffFacts) -> str:
    """The staff's usual category: the first whose conditions they meet."""
    return rules.category_rule(staff).category


def asye_stage(rules: FrequencyRules, staff: StaffFacts, on: date) -> AsyeStage | None:
    """The ASYE stage the person is in on `on`, or None outside the ASYE stages."""
    if staff.asye_start is None or on < staff.asye_start:
        return None
    for stage in rules.asye_stages:
        if on < stage.ends(staff.asye_start):
            return stage
    return None


def category_on(rules: FrequencyRules, staff: StaffFacts, on: date) -> str:
    """The category whose rules apply on `on`: "asye" during the ASYE stages."""
    return ASYE if asye_stage(rules, staff, on) is not None else staff_category(rules, staff)


def due_after(rules: FrequencyRules, staff: StaffFacts, since: date) -> date:
    """The last day the next session may be held after one held on `since`: for someone
    part time, where the rules pro-rate, the interval divided by their full-time equivalent
    (a monthly session every two months at 0.5), rounded up to whole days."""
    stage = asye_stage(rules, staff, since)
    if stage is not None:
        return since + timedelta(days=stage.interval_days)
    due = rules.category_rule(staff).due_after(since)
    if pro_rata(rules, staff):
        assert staff.fte is not None
        return since + timedelta(days=math.ceil((due - since).days / staff.fte))
    return due


def pro_rata(rules: FrequencyRules, staff: StaffFacts) -> bool:
    """Whether this person's interval is stretched for working part time."""
    return rules.part_time_pro_rata and staff.fte is not None and 0 < staff.fte < 1


def interval_words(rules: FrequencyRules, staff: StaffFacts, on: date) -> str:
    """The interval that applies after a session on `on`, in words ("28 days", "1 month")."""
    stage = asye_stage(rules, staff, on)
    if stage is not None:
        return f"{stage.interval_days} days"
    if pro_rata(rules, staff):
        return f"{required_interval_days(rules, staff, on)} days"
    return rules.category_rule(staff).describe()


def required_interval_days(rules: FrequencyRules, staff: StaffFacts, on: date) -> int:
    """The most days that may pass after a session held on `on` before the next is due."""
    return (due_after(rules, staff, on) - on).days


def interval_reason(rules: FrequencyRules, staff: StaffFacts, on: date) -> str:
    """Why that interval applies, in plain English with the policy it comes from."""
    stage = asye_stage(rules, staff, on)
    if stage is not None:
        reason, source = stage.reason, rules.asye_citation.source
    else:
        rule = rules.category_rule(staff)
        reason, source = rule.reason, rule.citation.source
    every = interval_words(rules, staff, on).removeprefix("1 ")
    if stage is None and pro_rata(rules, staff):
        full_time = rules.category_rule(staff).describe().removeprefix("1 ")
        reason += f"; every {full_time} of their work, as they work {staff.fte:g} of full time"
    return f"Every {every}: {reason[:1].lower()}{reason[1:]} ({source})."


def quantity_status(
    rules: FrequencyRules, staff: StaffFacts, last_session_on: date | None, on: date
) -> tuple[bool, int]:
    """(within the required interval?, days overdue) on `on`, for the quantity figures.

    A leaver is judged on their leaving date. With no session on record the first one is
    due one interval after the start date; with no start date either, the person counts as
    not within the interval, 0 days overdue (there is no date to count from).
    """
    if staff.leaving_date is not None and staff.leaving_date < on:
        on = staff.leaving_date
    since = last_session_on or staff.start_date
    if since is None:
        return False, 0
    due = due_after(rules, staff, since)
    if on <= due:
        return True, 0
    return False, (on - due).days


def load_frequency_rules(path: str | os.PathLike[str] | None = None) -> FrequencyRules:
    """Read a frequency rules file: definitions/frequency.yaml unless `path` is given. For the
    engine's tests only: the service reads its rules from the council profile in force."""
    if path is None:
        entry = resources.files("audit_tools").joinpath("definitions", "frequency.yaml")
        text, source = entry.read_text(encoding="utf-8"), "frequency.yaml"
    else:
        file = Path(path)
        text, source = read_definition(file, FrequencyRulesError), file.name
    return parse_frequency_rules(yaml_mapping(text, source, FrequencyRulesError), source)


def parse_frequency_rules(data: Mapping[str, object], source: str) -> FrequencyRules:
    """Check parsed rules data and build FrequencyRules, or raise FrequencyRulesError."""
    reader = FieldReader(source)
    fields = {"id", "version", "title", "intervals", "asye", "maximum_gap", "minimum_per_year"}
    fields |= {"recording", "signing", "agreement_review", "session_kinds"}
    reader.check_fields(data, fields, "")
    asye = _section(reader, data, "asye")
    stages, asye_citation = parse_asye(reader, asye) if asye is not None else ((), _NO_CITATION)
    kinds = _section(reader, data, "session_kinds")
    formal, other, kinds_citation = parse_kinds(reader, kinds) if kinds is not None else _NO_KINDS
    maximum_gap = _limit(reader, data, "maximum_gap", "months")
    minimum_per_year = _limit(reader, data, "minimum_per_year", "sessions")
    rules = FrequencyRules(
        id=reader.text(data, "id", ""),
        version=reader.positive_integer(data, "version", ""),
        title=reader.text(data, "title", ""),
        intervals=_with_limits(_intervals(reader, data), maximum_gap, minimum_per_year),
        asye_stages=stages,
        asye_citation=asye_citation,
        maximum_gap=maximum_gap,
        minimum_per_year=minimum_per_year,
        recording=_limit(reader, data, "recording", "working_days"),
        signing=_limit(reader, data, "signing", "working_days"),
        agreement_review=_limit(reader, data, "agreement_review", "months"),
        formal_kinds=formal,
        other_kinds=other,
        kinds_citation=kinds_citation,
    )
    if reader.problems:
        raise FrequencyRulesError(reader.problems)
    return rules


_CONDITIONS: dict[str, tuple[bool | None, bool | None]] = {
    "case_holding": (True, None),
    "frontline": (None, True),
}


def _with_limits(
    intervals: tuple[IntervalRule, ...], gap: Limit, minimum: Limit
) -> tuple[IntervalRule, ...]:
    """The fixed categories of a rules file in the order people are sorted into them, each
    with its conditions (case-holding, frontline) and the limits listing it in `applies_to`."""
    order = {category: place for place, category in enumerate(CATEGORIES)}
    return tuple(
        replace(
            rule,
            case_holding=_CONDITIONS.get(rule.category, (None, None))[0],
            frontline=_CONDITIONS.get(rule.category, (None, None))[1],
            longest_gap_months=gap.amount if rule.category in gap.applies_to else None,
            yearly_minimum=minimum.amount if rule.category in minimum.applies_to else None,
        )
        for rule in sorted(intervals, key=lambda rule: order.get(rule.category, len(order)))
    )


def _section(
    reader: FieldReader, data: Mapping[str, object], field: str
) -> Mapping[str, object] | None:
    """A required mapping field; None (with the problem recorded) when absent or wrong."""
    if field not in data:
        reader.problem("", f"{quoted(field)} is missing")
        return None
    return reader.mapping(data[field], field)


_NO_CITATION = Citation(source="", quote="")
_NO_KINDS: tuple[tuple[str, ...], tuple[str, ...], Citation] = ((), (), _NO_CITATION)


def parse_kinds(
    reader: FieldReader, kinds: Mapping[str, object]
) -> tuple[tuple[str, ...], tuple[str, ...], Citation]:
    """The session kinds that count as formal supervision, and those that do not."""
    reader.check_fields(kinds, {"formal", "other", "source", "quote"}, "session_kinds")
    formal = reader.texts(kinds, "formal", "session_kinds")
    other = reader.texts(kinds, "other", "session_kinds")
    if not formal:
        reader.problem("session_kinds", f"{quoted('formal')} must list at least one kind")
    for kind in sorted(set(formal) & set(other)):
        reader.problem("session_kinds", f"kind {quoted(kind)} is both formal and other")
    return formal, other, parse_citation(reader, kinds, "session_kinds")


def parse_citation(reader: FieldReader, data: Mapping[str, object], where: str) -> Citation:
    source = reader.text(data, "source", where)
    if source and not SOURCE_PATTERN.match(source):
        reader.problem(where, f"source {quoted(source)} must be a file name and a section")
    return Citation(source=source, quote=" ".join(reader.text(data, "quote", where).split()))


def _intervals(reader: FieldReader, data: Mapping[str, object]) -> tuple[IntervalRule, ...]:
    rules: list[IntervalRule] = []
    for position, item in enumerate(reader.items(data, "intervals", ""), start=1):
        where = f"intervals item {position}"
        reader.check_fields(item, {"category", "interval_days", "reason", "source", "quote"}, where)
        category = reader.text(item, "category", where)
        if category and category not in CATEGORIES:
            reader.problem(where, f"unknown category {quoted(category)} ({', '.join(CATEGORIES)})")
        rules.append(
            IntervalRule(
                category=category,
                interval_days=reader.positive_integer(item, "interval_days", where),
                reason=reader.text(item, "reason", where),
                citation=parse_citation(reader, item, where),
            )
        )
    found = [rule.category for rule in rules]
    for category in CATEGORIES:
        if found.count(category) != 1:
            reader.problem("intervals", f"category {quoted(category)} must appear exactly once")
    return tuple(rules)


def parse_asye(
    reader: FieldReader, asye: Mapping[str, object]
) -> tuple[tuple[AsyeStage, ...], Citation]:
    """The ASYE stages, in order, and the policy they come from."""
    reader.check_fields(asye, {"stages", "source", "quote"}, "asye")
    stages: list[AsyeStage] = []
    for position, item in enumerate(reader.items(asye, "stages", "asye"), start=1):
        where = f"asye stage {position}"
        allowed = {"until_weeks", "until_months", "interval_days", "reason"}
        reader.check_fields(item, allowed, where)
        if ("until_weeks" in item) == ("until_months" in item):
            reader.problem(where, "give exactly one of ‘until_weeks’ and ‘until_months’")
        stages.append(
            AsyeStage(
                interval_days=reader.positive_integer(item, "interval_days", where),
                reason=" ".join(reader.text(item, "reason", where).split()),
                until_weeks=_optional_count(reader, item, "until_weeks", where),
                until_months=_optional_count(reader, item, "until_months", where),
            )
        )
    ends = [stage.ends(_REFERENCE_DAY) for stage in stages]
    if any(later <= earlier for earlier, later in zip(ends, ends[1:], strict=False)):
        reader.problem("asye", "each stage must end later than the one before")
    return tuple(stages), parse_citation(reader, asye, "asye")


def _optional_count(
    reader: FieldReader, item: Mapping[str, object], field: str, where: str
) -> int | None:
    """A whole number of at least 1 when the field is given, otherwise None."""
    return reader.positive_integer(item, field, where) if field in item else None


def _limit(reader: FieldReader, data: Mapping[str, object], field: str, unit: str) -> Limit:
    section = _section(reader, data, field)
    if section is None:
        return Limit(amount=1, citation=_NO_CITATION)
    reader.check_fields(section, {unit, "applies_to", "source", "quote"}, field)
    applies_to = reader.texts(section, "applies_to", field)
    for category in applies_to:
        if category not in (*CATEGORIES, ASYE):
            reader.problem(field, f"unknown category {quoted(category)} in ‘applies_to’")
    return Limit(
        amount=reader.positive_integer(section, unit, field),
        citation=parse_citation(reader, section, field),
        applies_to=applies_to,
    )
