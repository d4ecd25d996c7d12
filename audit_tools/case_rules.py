"""How often each child's (or adult's) case must be discussed in supervision, by its status.

A council profile's `case_discussions:` section says, for every case status, two intervals:
`after_allocation` (the first discussion after a case is allocated or transferred to a
worker) and `between` (each discussion after that), each in days or calendar months with
the section of the council's policy it comes from and the words quoted from it; where the
policy sets no number the interval says so (`silent: true` and a note). Every status is
listed in every profile, so a policy's silence is written down rather than guessed.

Where a status has no `after_allocation` of its own but has a `between`, the first
discussion is due within `between` of the allocation: the policy's rhythm counted from the
day the worker took the case. Each profile's note says so where that is the reading.

`case_gaps` judges one case: every stretch from an allocation, transfer or discussion to the
next discussion (or to a transfer away, the closure or the day asked about), each judged by
the status on its last day, as the policy applies to the child on that day. A discussion
counts for the worker who held the case on its date; after a transfer the new worker's first
discussion is due within `after_allocation` of the transfer.

Pure: no Flask, no database. qa/cases reads the records and calls this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from audit_tools._definition import SOURCE_PATTERN, FieldReader, quoted
from audit_tools.frequency_rules import Citation
from audit_tools.policy_sources import citation_words
from audit_tools.working_days import add_months

STATUSES: tuple[tuple[str, str], ...] = (
    ("child_protection", "Child protection plan"),
    ("child_in_need", "Child in need plan"),
    ("looked_after", "Looked after"),
    ("looked_after_permanence", "Looked after, permanency plan agreed"),
    ("early_help", "Early help or team around the child"),
    ("single_agency", "Single agency involvement"),
    ("youth_justice", "Youth justice"),
    ("care_leaver", "Care leaver in suitable accommodation"),
    ("care_leaver_unsuitable", "Care leaver in unsuitable accommodation"),
    ("adult", "Adult case"),
)
"""The statuses of an open case, in the order pages list them, with their plain names."""

CLOSED = "closed"
"""The status that closes a case: from its start the case is no longer judged."""

STATUS_KEYS: tuple[str, ...] = tuple(key for key, _ in STATUSES)
ALL_STATUSES: tuple[str, ...] = (*STATUS_KEYS, CLOSED)
STATUS_NAMES: dict[str, str] = {**dict(STATUSES), CLOSED: "Closed"}

_UNITS = ("days", "months")
_SILENT = Citation(source="", quote="")


@dataclass(frozen=True)
class CaseInterval:
    """A number of days or calendar months a policy sets, with its citation; or its silence
    (`amount` None) with a note saying what the policy does or does not say."""

    amount: int | None
    unit: str
    citation: Citation
    note: str = ""

    @property
    def silent(self) -> bool:
        return self.amount is None

    def due(self, since: date) -> date | None:
        """The last day in time for a discussion counted from `since`, or None if not set."""
        if self.amount is None:
            return None
        if self.unit == "months":
            return add_months(since, self.amount)
        return since + timedelta(days=self.amount)

    def words(self) -> str:
        """'28 days', '1 month', or 'not set'."""
        if self.amount is None:
            return "not set"
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


@dataclass(frozen=True)
class StatusRule:
    """The two intervals for one status."""

    status: str
    after_allocation: CaseInterval
    between: CaseInterval

    @property
    def title(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def first(self) -> CaseInterval:
        """The interval that applies from an allocation or transfer: `after_allocation`, or
        `between` counted from the allocation where the policy sets no separate one."""
        return self.between if self.after_allocation.silent else self.after_allocation

    @property
    def silent(self) -> bool:
        return self.between.silent and self.after_allocation.silent


@dataclass(frozen=True)
class CaseDiscussionRules:
    """Every status's rule in one council profile."""

    statuses: tuple[StatusRule, ...]

    def rule(self, status: str) -> StatusRule:
        for found in self.statuses:
            if found.status == status:
                return found
        raise KeyError(status)

    def citations(self) -> tuple[Citation, ...]:
        found: list[Citation] = []
        for rule in self.statuses:
            for interval in (rule.after_allocation, rule.between):
                if interval.citation.source:
                    found.append(interval.citation)
        return tuple(found)

    def intervals(self) -> tuple[CaseInterval, ...]:
        return tuple(
            interval for rule in self.statuses for interval in (rule.after_allocation, rule.between)
        )


def parse_case_discussions(
    reader: FieldReader, section: object, policy_file: str
) -> CaseDiscussionRules:
    """Read a profile's `case_discussions:` section, recording every problem in `reader`."""
    place = "case_discussions"
    if section is None:
        reader.problem("", "‘case_discussions’ is missing (list every status, silent or not)")
        return _all_silent()
    checked = reader.mapping(section, place)
    if checked is None:
        return _all_silent()
    reader.check_fields(checked, {"statuses"}, place)
    statuses = checked.get("statuses")
    listed = reader.mapping(statuses, f"{place}, statuses") if statuses is not None else None
    if listed is None:
        if statuses is None:
            reader.problem(place, "‘statuses’ is missing")
        return _all_silent()
    for key in listed:
        if key not in STATUS_KEYS:
            known = ", ".join(STATUS_KEYS)
            reader.problem(f"{place}, statuses", f"unknown status {quoted(key)} (use {known})")
    rules = []
    for status in STATUS_KEYS:
        where = f"{place}, status {quoted(status)}"
        if status not in listed:
            reader.problem(
                f"{place}, statuses",
                f"status {quoted(status)} is missing (say what the policy sets)",
            )
            rules.append(_silent_rule(status))
            continue
        item = reader.mapping(listed[status], where)
        if item is None:
            rules.append(_silent_rule(status))
            continue
        reader.check_fields(item, {"after_allocation", "between"}, where)
        rules.append(
            StatusRule(
                status=status,
                after_allocation=_interval(reader, item, "after_allocation", where, policy_file),
                between=_interval(reader, item, "between", where, policy_file),
            )
        )
    return CaseDiscussionRules(tuple(rules))


def _interval(
    reader: FieldReader, data: Mapping[str, object], field: str, where: str, policy_file: str
) -> CaseInterval:
    place = f"{where}, {field}"
    if field not in data:
        reader.problem(where, f"{quoted(field)} is missing (say `silent: true` if not set)")
        return CaseInterval(None, "days", _SILENT)
    checked = reader.mapping(data[field], place)
    if checked is None:
        return CaseInterval(None, "days", _SILENT)
    reader.check_fields(checked, {*_UNITS, "silent", "note", "source", "quote"}, place)
    note = " ".join(reader.text(checked, "note", place, default="").split())
    silent = reader.flag(checked, "silent", place, default=False)
    given = [unit for unit in _UNITS if unit in checked]
    if silent:
        if not note:
            reader.problem(place, "a silent interval needs a ‘note’ saying what the policy says")
        if given:
            reader.problem(place, f"a silent interval has no {quoted(given[0])}")
        return CaseInterval(None, "days", _citation(reader, checked, place, policy_file), note)
    if len(given) != 1:
        reader.problem(place, "give one of ‘days’, ‘months’, or `silent: true`")
        return CaseInterval(None, "days", _citation(reader, checked, place, policy_file), note)
    amount = reader.positive_integer(checked, given[0], place)
    citation = _citation(reader, checked, place, policy_file)
    if not citation.source:
        reader.problem(place, "an interval the policy sets needs its ‘source’ and ‘quote’")
    return CaseInterval(amount, given[0], citation, note)


def _citation(
    reader: FieldReader, data: Mapping[str, object], where: str, policy_file: str
) -> Citation:
    if "source" not in data and "quote" not in data:
        return _SILENT
    source = reader.text(data, "source", where)
    if source and not SOURCE_PATTERN.match(source):
        reader.problem(where, f"source {quoted(source)} must be a file name and a section")
    elif source and policy_file and not source.startswith(f"{policy_file}, "):
        reader.problem(where, f"source {quoted(source)} must cite {policy_file}")
    quote = " ".join(reader.text(data, "quote", where).split())
    return Citation(source=source, quote=quote)


def _silent_rule(status: str) -> StatusRule:
    silent = CaseInterval(None, "days", _SILENT)
    return StatusRule(status, silent, silent)


def silent_rules() -> CaseDiscussionRules:
    """Every status not set: what a profile without the section would say."""
    return _all_silent()


def _all_silent() -> CaseDiscussionRules:
    return CaseDiscussionRules(tuple(_silent_rule(status) for status in STATUS_KEYS))


# --- Judging a case ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """One case as recorded: who held it from when, its statuses from when, its
    discussions' dates. Sequences need not be sorted; dates are inclusive."""

    reference: str
    allocations: Sequence[tuple[date, str]]
    """(allocated on, worker): the first allocation, then each transfer."""
    statuses: Sequence[tuple[date, str]]
    """(starts on, status); `closed` closes the case."""
    discussions: Sequence[date]

    def status_on(self, day: date) -> str | None:
        found = None
        for starts, status in sorted(self.statuses):
            if starts <= day:
                found = status
        return found

    def worker_on(self, day: date) -> str | None:
        found = None
        for starts, worker in sorted(self.allocations):
            if starts <= day:
                found = worker
        return found

    def closed_on(self) -> date | None:
        """The day the case closed (its latest status is `closed`), or None while open."""
        ordered = sorted(self.statuses)
        if ordered and ordered[-1][1] == CLOSED:
            return ordered[-1][0]
        return None


@dataclass(frozen=True)
class Gap:
    """From an allocation, transfer or discussion (`since`) to a discussion or the end of
    what is known (`until`), held by `worker`, judged by the status on `until`."""

    worker: str
    since: date
    from_allocation: bool
    until: date
    ended_by_discussion: bool
    status: str
    interval: CaseInterval
    due: date | None

    @property
    def judged(self) -> bool:
        return self.due is not None

    @property
    def within(self) -> bool | None:
        """True when in time, False when late, None where the policy sets no interval."""
        if self.due is None:
            return None
        return self.until <= self.due

    @property
    def days_over(self) -> int:
        if self.due is None or self.until <= self.due:
            return 0
        return (self.until - self.due).days


def case_gaps(rules: CaseDiscussionRules, case: CaseFacts, until: date) -> list[Gap]:
    """Every stretch of the case up to `until` (inclusive), oldest first.

    A stretch held by a worker ends at their next discussion of the case, at the day before
    a transfer away or the closure, or at `until`. Discussions on `until` count."""
    allocations = sorted(case.allocations)
    closed = case.closed_on()
    end_of_case = until if closed is None else min(until, closed - timedelta(days=1))
    discussions = sorted(set(case.discussions))
    found: list[Gap] = []
    for position, (allocated, worker) in enumerate(allocations):
        if allocated > end_of_case:
            break
        following = allocations[position + 1][0] if position + 1 < len(allocations) else None
        held_until = (
            end_of_case if following is None else min(end_of_case, following - timedelta(days=1))
        )
        if held_until < allocated:
            continue
        since, from_allocation = allocated, True
        for day in discussions:
            if allocated <= day <= held_until:
                found.append(_gap(rules, case, worker, since, from_allocation, day, True))
                since, from_allocation = day, False
        if from_allocation or since != held_until:
            found.append(_gap(rules, case, worker, since, from_allocation, held_until, False))
    return found


def _gap(
    rules: CaseDiscussionRules,
    case: CaseFacts,
    worker: str,
    since: date,
    from_allocation: bool,
    until: date,
    by_discussion: bool,
) -> Gap:
    status = case.status_on(until) or case.status_on(since) or ""
    if status in STATUS_KEYS:
        rule = rules.rule(status)
        interval = rule.first if from_allocation else rule.between
    else:
        interval = CaseInterval(None, "days", _SILENT)
    return Gap(
        worker=worker,
        since=since,
        from_allocation=from_allocation,
        until=until,
        ended_by_discussion=by_discussion,
        status=status,
        interval=interval,
        due=interval.due(since),
    )


@dataclass(frozen=True)
class OpenCase:
    """An open case on a day: who holds it, its status, its last discussion by that worker,
    the interval that applies, the last day in time and whether it is within it."""

    reference: str
    worker: str
    status: str
    allocated_on: date
    last_discussion: date | None
    interval: CaseInterval
    due: date | None
    within: bool | None
    days_over: int


def open_case(rules: CaseDiscussionRules, case: CaseFacts, day: date) -> OpenCase | None:
    """The case as it stands on `day`, or None if it is closed or not yet allocated then."""
    closed = case.closed_on()
    if closed is not None and closed <= day:
        return None
    worker = case.worker_on(day)
    if worker is None:
        return None
    gaps = case_gaps(rules, case, day)
    last = gaps[-1]
    if last.ended_by_discussion:
        # A discussion on `day` itself: the case is in time, and the next is due from it.
        rule = rules.rule(last.status) if last.status in STATUS_KEYS else None
        interval = rule.between if rule else CaseInterval(None, "days", _SILENT)
        current = Gap(worker, day, False, day, False, last.status, interval, interval.due(day))
    else:
        current = last
    allocated = max(starts for starts, _ in case.allocations if starts <= day)
    return OpenCase(
        reference=case.reference,
        worker=worker,
        status=current.status,
        allocated_on=allocated,
        last_discussion=None if current.from_allocation else current.since,
        interval=current.interval,
        due=current.due,
        within=current.within,
        days_over=current.days_over,
    )


@dataclass(frozen=True)
class PeriodCase:
    """One case a worker held during a period, and whether every stretch of it that ended
    in the period was within its interval."""

    reference: str
    statuses: tuple[str, ...]
    discussions: tuple[date, ...]
    late: tuple[Gap, ...]
    judged: bool
    citations: tuple[Citation, ...] = ()
    """The rules the case was judged by, each once."""

    @property
    def within(self) -> bool | None:
        if not self.judged:
            return None
        return not self.late


def worker_cases_in_period(
    rules: CaseDiscussionRules, cases: Sequence[CaseFacts], worker: str, start: date, end: date
) -> list[PeriodCase]:
    """The cases `worker` held at some time from `start` to `end` (inclusive), each judged by
    its stretches held by them that ended in the period; a case still open at `end` is
    judged on `end`."""
    found = []
    for case in sorted(cases, key=lambda item: item.reference):
        gaps = [
            gap
            for gap in case_gaps(rules, case, end)
            if gap.worker == worker and gap.until >= start
        ]
        if not gaps:
            continue
        statuses = tuple(dict.fromkeys(gap.status for gap in gaps))
        found.append(
            PeriodCase(
                reference=case.reference,
                statuses=statuses,
                discussions=tuple(
                    gap.until for gap in gaps if gap.ended_by_discussion and gap.until >= start
                ),
                late=tuple(gap for gap in gaps if gap.within is False),
                judged=any(gap.judged for gap in gaps),
                citations=tuple(dict.fromkeys(gap.interval.citation for gap in gaps if gap.judged)),
            )
        )
    return found


def suggest_answer(cases: Sequence[PeriodCase]) -> tuple[str, str] | None:
    """The suggested answer to "Were the supervisee's cases discussed as often as the policy
    requires?" ("yes", "partly" or "no") with the reason and the words of the rules applied;
    None where no case was judged (none held, or the policy sets no interval for them)."""
    judged = [case for case in cases if case.within is not None]
    if not judged:
        return None
    late = [case for case in judged if not case.within]
    answer = "yes" if not late else "no" if len(late) == len(judged) else "partly"
    held = "case" if len(judged) == 1 else "cases"
    reason = (
        f"{len(judged) - len(late)} of {len(judged)} {held} the supervisee held in the audit "
        "period were discussed within the interval their status requires"
    )
    if late:
        details = [
            f"{case.reference} ({max(gap.days_over for gap in case.late)} days late at most)"
            for case in late
        ]
        reason += "; late: " + ", ".join(details)
    by_source: dict[str, list[str]] = {}
    for citation in dict.fromkeys(c for case in judged for c in case.citations):
        by_source.setdefault(citation.source, []).append(f"“{citation.quote}”")
    quotes = []
    for source, said in by_source.items():
        file_name, _, section = source.partition(", ")
        quotes.append(f"{citation_words(file_name, section)}: {'; '.join(said)}.")
    return answer, reason + ". " + " ".join(quotes)
