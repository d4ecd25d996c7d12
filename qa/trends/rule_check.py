"""Each person's supervision rule on a day, for checking the rules from the command line.

For everyone in post with an open supervision file on the day, managers and heads of
service included: their category and the rule of the council profile in force on that day
(interval, longest gap, yearly minimum), their last formal session, and whether they are
within the required interval, as the quantity page judges it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

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
        }


def rule_checks(on: date) -> list[RuleCheck]:
    """Everyone in post with an open file on `on`, by staff id, judged by the rules of the
    profile in force on `on`."""
    rules = frequency_rules_on(on)
    last = (
        select(SupervisionSession.file_id, func.max(SupervisionSession.held_on).label("held"))
        .where(
            SupervisionSession.kind.in_(rules.formal_kinds),
            SupervisionSession.held_on <= on,
        )
        .group_by(SupervisionSession.file_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Staff.external_id,
            Staff.role,
            Staff.case_holding,
            Staff.asye_start,
            Staff.start_date,
            Staff.leaving_date,
            last.c.held,
        )
        .join(SupervisionFile, SupervisionFile.supervisee_id == Staff.id)
        .outerjoin(last, last.c.file_id == SupervisionFile.id)
        .where(
            or_(Staff.start_date.is_(None), Staff.start_date <= on),
            or_(Staff.leaving_date.is_(None), Staff.leaving_date > on),
            SupervisionFile.opened_on <= on,
            or_(SupervisionFile.closed_on.is_(None), SupervisionFile.closed_on > on),
        )
        .order_by(Staff.external_id, SupervisionFile.id)
    )
    found = []
    for staff_id, role, case_holding, asye_start, start, leaving, held in rows:
        facts = facts_of(case_holding, role, asye_start, start, leaving)
        found.append(_check(rules, staff_id, facts, held, on))
    return found


def _check(
    rules: FrequencyRules, staff_id: str, facts: StaffFacts, held: date | None, on: date
) -> RuleCheck:
    since = held or facts.start_date or on
    rule = rules.category_rule(facts)
    gap = rule.longest_gap_months
    return RuleCheck(
        staff_id=staff_id,
        role=facts.role,
        category=category_on(rules, facts, on),
        interval_days=required_interval_days(rules, facts, since),
        longest_gap_days=(add_months(since, gap) - since).days if gap is not None else None,
        yearly_minimum=rule.yearly_minimum,
        last_formal_session=held,
        within_rule=quantity_status(rules, facts, held, on)[0],
    )
