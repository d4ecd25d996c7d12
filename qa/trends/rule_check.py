"""Each person's supervision rule on a day, for checking the rules from the command line.

For everyone in post on the day with a line manager or an open supervision file, managers
and heads of service included: their category and the rule of the council profile in force
on that day (interval, longest gap, yearly minimum), their last formal session, and whether
they are within the rule. Within the rule means all three are kept: the next session is not
yet overdue (the interval, or the ASYE stage's), no gap between formal sessions that ends in
the twelve months to the day is longer than the longest gap, and at least the yearly minimum
of formal sessions were held in those twelve months (in proportion for someone in post for
less than a year). A rule the profile leaves unset is not checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select

from audit_tools.frequency_rules import (
    FrequencyRules,
    StaffFacts,
    category_on,
    quantity_status,
    required_interval_days,
)
from audit_tools.working_days import add_months
from qa.audits.facts import facts_of
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile, SupervisionSession
from qa.profiles.service import frequency_rules_on
from sampling.periods import months_before

YEAR_MONTHS = 12
LOOK_BACK_MONTHS = 24  # sessions read: the year judged and the year before, for the first gap


@dataclass(frozen=True)
class RuleCheck:
    staff_id: str
    role: str
    category: str
    interval_days: int
    longest_gap_days: int | None  # None: the policy sets no longest gap
    yearly_minimum: int | None  # None: the policy sets no yearly minimum
    last_formal_session: date | None
    within_rule: bool
    not_met: tuple[str, ...] = field(default=())  # "interval", "longest_gap", "yearly_minimum"

    def as_json(self) -> dict[str, object]:
        last = self.last_formal_session
        return {
            "staff_id": self.staff_id,
            "role": self.role,
            "category": self.category,
            "interval_days": self.interval_days,
            "longest_gap_days": self.longest_gap_days,
            "yearly_minimum": self.yearly_minimum,
            "last_formal_session": last.isoformat() if last else None,
            "within_rule": self.within_rule,
            "not_met": list(self.not_met),
        }


def rule_checks(on: date) -> list[RuleCheck]:
    """Everyone in post on `on` with a line manager or an open file, by staff id, judged by
    the rules of the profile in force on `on`."""
    rules = frequency_rules_on(on)
    file_open = and_(
        SupervisionFile.opened_on <= on,
        or_(SupervisionFile.closed_on.is_(None), SupervisionFile.closed_on > on),
    )
    rows = db.session.execute(
        select(
            Staff.external_id,
            Staff.role,
            Staff.case_holding,
            Staff.asye_start,
            Staff.start_date,
            Staff.leaving_date,
            Staff.fte,
            SupervisionFile.id,
        )
        .outerjoin(SupervisionFile, SupervisionFile.supervisee_id == Staff.id)
        .where(
            or_(Staff.start_date.is_(None), Staff.start_date <= on),
            or_(Staff.leaving_date.is_(None), Staff.leaving_date > on),
            or_(Staff.line_manager_id.is_not(None), file_open),
        )
        .order_by(Staff.external_id, SupervisionFile.id)
    ).all()
    held = _held(rules, [row[-1] for row in rows if row[-1] is not None], on)
    last = _last(rules, on)
    found = []
    for staff_id, role, case_holding, asye_start, start, leaving, fte, file_id in rows:
        facts = facts_of(case_holding, role, asye_start, start, leaving, fte)
        days = held.get(file_id, []) if file_id is not None else []
        latest = last.get(file_id) if file_id is not None else None
        found.append(_check(rules, staff_id, facts, days, latest, on))
    return found


def _held(rules: FrequencyRules, file_ids: list[int], on: date) -> dict[int, list[date]]:
    """Each file's formal sessions over the look-back, by day, earliest first."""
    if not file_ids:
        return {}
    rows = db.session.execute(
        select(SupervisionSession.file_id, SupervisionSession.held_on)
        .where(
            SupervisionSession.file_id.in_(file_ids),
            SupervisionSession.kind.in_(rules.formal_kinds),
            SupervisionSession.held_on > months_before(on, LOOK_BACK_MONTHS),
            SupervisionSession.held_on <= on,
        )
        .distinct()
        .order_by(SupervisionSession.file_id, SupervisionSession.held_on)
    )
    found: dict[int, list[date]] = defaultdict(list)
    for file_id, day in rows:
        found[file_id].append(day)
    return found


def _last(rules: FrequencyRules, on: date) -> dict[int, date]:
    """Each file's latest formal session on or before `on`, however long ago."""
    rows = db.session.execute(
        select(SupervisionSession.file_id, func.max(SupervisionSession.held_on))
        .where(
            SupervisionSession.kind.in_(rules.formal_kinds),
            SupervisionSession.held_on <= on,
        )
        .group_by(SupervisionSession.file_id)
    )
    return {file_id: day for file_id, day in rows}


def not_met(
    rules: FrequencyRules, facts: StaffFacts, held: list[date], last: date | None, on: date
) -> tuple[str, ...]:
    """Which of the interval, the longest gap and the yearly minimum are not kept on `on`,
    given the formal sessions `held` (earliest first) and the latest one `last`."""
    found = []
    if not quantity_status(rules, facts, last, on)[0]:
        found.append("interval")
    rule = rules.category_rule(facts)
    start = months_before(on, YEAR_MONTHS)
    if facts.start_date is not None and facts.start_date > start:
        start = facts.start_date
    in_year = [day for day in held if start < day <= on]
    if rule.longest_gap_months is not None:
        before = [day for day in held if day <= start]
        anchors = [before[-1] if before else start, *in_year, on]
        months = rule.longest_gap_months
        if any(b > add_months(a, months) for a, b in zip(anchors, anchors[1:], strict=False)):
            found.append("longest_gap")
    if rule.yearly_minimum is not None:
        share = min((on - start).days, 365)
        if len(in_year) < rule.yearly_minimum * share // 365:
            found.append("yearly_minimum")
    return tuple(found)


def _check(
    rules: FrequencyRules,
    staff_id: str,
    facts: StaffFacts,
    held: list[date],
    last: date | None,
    on: date,
) -> RuleCheck:
    since = last or facts.start_date or on
    rule = rules.category_rule(facts)
    gap = rule.longest_gap_months
    missed = not_met(rules, facts, held, last, on)
    return RuleCheck(
        staff_id=staff_id,
        role=facts.role,
        category=category_on(rules, facts, on),
        interval_days=required_interval_days(rules, facts, since),
        longest_gap_days=(add_months(since, gap) - since).days if gap is not None else None,
        yearly_minimum=rule.yearly_minimum,
        last_formal_session=last,
        within_rule=not missed,
        not_met=missed,
    )
