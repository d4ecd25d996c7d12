"""A supervision file audit's cases: the supervisee's cases in the period audited, whether
each was discussed within the interval its status requires, and the answer that suggests to
"Were the supervisee's cases discussed as often as the policy requires?", which the auditor
confirms or changes with a reason, as the frequency answers work.

The rules are the case discussion rules of the council profile the audit keeps (the one in
force when it was drawn).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from audit_tools.case_rules import (
    STATUS_NAMES,
    CaseDiscussionRules,
    CaseFacts,
    PeriodCase,
    suggest_answer,
    worker_cases_in_period,
)
from audit_tools.working_days import long_date
from qa.audits.models import Audit
from qa.cases.models import CaseAllocation, CaseDiscussion, CaseStatus
from qa.extensions import db
from qa.profiles.service import in_force_on, profile_version, shipped_profile

PREFILL = "case_discussions"


@dataclass(frozen=True)
class AuditCase:
    reference: str
    statuses: str
    discussions: int
    verdict: str


@dataclass(frozen=True)
class AuditCases:
    start: date
    end: date
    policy: str
    cases: list[AuditCase]
    suggestion: tuple[str, str] | None


def _rules(audit: Audit) -> tuple[str, CaseDiscussionRules]:
    if audit.profile_name and audit.profile_version is not None:
        profile = profile_version(audit.profile_name, audit.profile_version)
    elif audit.profile_name:
        profile = shipped_profile(audit.profile_name)
    else:
        profile = in_force_on(audit.created_at.date()).profile
    return profile.policy, profile.case_discussions


def period_cases(
    worker_id: int, rules: CaseDiscussionRules, start: date, end: date
) -> list[PeriodCase]:
    """The cases `worker_id` held at some time from `start` to `end`, judged."""
    case_ids = (
        select(CaseAllocation.case_id)
        .where(CaseAllocation.worker_id == worker_id, CaseAllocation.allocated_on <= end)
        .distinct()
        .scalar_subquery()
    )
    allocations: dict[int, list[tuple[date, str]]] = defaultdict(list)
    references: dict[int, str] = {}
    for allocation in db.session.scalars(
        select(CaseAllocation).where(CaseAllocation.case_id.in_(case_ids))
    ):
        allocations[allocation.case_id].append((allocation.allocated_on, str(allocation.worker_id)))
        references[allocation.case_id] = allocation.case.reference
    statuses: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for case_id, status, starts_on in db.session.execute(
        select(CaseStatus.case_id, CaseStatus.status, CaseStatus.starts_on).where(
            CaseStatus.case_id.in_(case_ids)
        )
    ):
        statuses[case_id].append((starts_on, status))
    discussions: dict[int, list[date]] = defaultdict(list)
    for case_id, held_on in db.session.execute(
        select(CaseDiscussion.case_id, CaseDiscussion.held_on).where(
            CaseDiscussion.case_id.in_(case_ids), CaseDiscussion.held_on <= end
        )
    ):
        discussions[case_id].append(held_on)
    facts = [
        CaseFacts(reference, allocations[case_id], statuses[case_id], discussions[case_id])
        for case_id, reference in references.items()
    ]
    return worker_cases_in_period(rules, facts, str(worker_id), start, end)


def audit_cases(audit: Audit) -> AuditCases | None:
    """The supervisee's cases for the period audited, or None before the audit starts."""
    if audit.window_start is None or audit.window_end is None:
        return None
    policy, rules = _rules(audit)
    found = period_cases(audit.file.supervisee_id, rules, audit.window_start, audit.window_end)
    shown = [
        AuditCase(
            reference=case.reference,
            statuses=", ".join(STATUS_NAMES.get(s, s) for s in case.statuses),
            discussions=len(case.discussions),
            verdict=_verdict(case),
        )
        for case in found
    ]
    return AuditCases(audit.window_start, audit.window_end, policy, shown, suggest_answer(found))


def _verdict(case: PeriodCase) -> str:
    if case.within is None:
        return "Not judged: the policy sets no interval for its status"
    if case.within:
        return "Discussed within its interval"
    worst = max(case.late, key=lambda gap: gap.days_over)
    due = long_date(worst.due) if worst.due else "its due day"
    return f"Late: {worst.days_over} days past {due}"


def case_suggestions(audit: Audit) -> dict[str, tuple[str, str]]:
    """The suggested answer for the question that asks about case discussions, if any."""
    found = audit_cases(audit)
    if found is None or found.suggestion is None:
        return {}
    return {PREFILL: found.suggestion}
