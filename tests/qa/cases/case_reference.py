"""The case discussion figures as the service worked them out before the database judged
them: each case's history read back, its latest discussion on or before each month end from
one grouped statement, and each case judged in Python by `audit_tools.case_rules.open_case`.
Kept beside the tests only, so that they can show the SQL gives the same figures
(tests/qa/cases/test_case_discussions_sql.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, case, func, select

from audit_tools.case_rules import (
    STATUS_NAMES,
    CaseDiscussionRules,
    CaseFacts,
    OpenCase,
    open_case,
)
from qa.access import staff_scope
from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.cases.service import CaseLine, MonthShare, _month_ends, _names, _unit, _Worker
from qa.extensions import db
from qa.org.models import Staff
from qa.profiles.service import in_force_on
from qa.trends.filters import Filters
from qa.trends.scope import unit_clause
from sampling.periods import period_key


class Figures(NamedTuple):
    cases: list[CaseLine]
    over_time: list[MonthShare]


def reference_case_discussions(user: Staff, on: date, filters: Filters | None = None) -> Figures:
    """Every open case held on `on` by the staff the person may see, in the unit asked for,
    and the share within their interval at each of the last 12 month ends."""
    unit = _unit(user, filters, on)
    workers_query = select(Staff.id, Staff.name, Staff.team_id, Staff.service_area_id).where(
        staff_scope(user)
    )
    if unit is not None:
        workers_query = workers_query.where(unit_clause(unit))
    workers = {
        staff_id: _Worker(name, team_id, area_id)
        for staff_id, name, team_id, area_id in db.session.execute(workers_query)
    }
    month_ends = _month_ends(on)
    facts, last = _cases(workers_query, month_ends)
    rules_by_day = {day: in_force_on(day).profile for day in month_ends}
    profile = rules_by_day[on]
    team_names, area_names = _names(workers.values())
    lines: list[CaseLine] = []
    for found in _open_cases(profile.case_discussions, facts, last, month_ends, on, workers):
        worker = workers[int(found.worker)]
        lines.append(
            CaseLine(
                reference=found.reference,
                worker=worker.name,
                team=team_names.get(worker.team_id, "Not in a team"),
                area=area_names.get(worker.area_id, "Not in a service area"),
                status=STATUS_NAMES.get(found.status, found.status),
                allocated_on=found.allocated_on,
                last_discussion=found.last_discussion,
                interval=found.interval,
                due=found.due,
                within=found.within,
                days_over=found.days_over,
            )
        )
    lines.sort(key=lambda line: (line.worker, line.reference))
    over_time = []
    for day in month_ends:
        judged = [
            found.within
            for found in _open_cases(
                rules_by_day[day].case_discussions, facts, last, month_ends, day, workers
            )
            if found.within is not None
        ]
        over_time.append(MonthShare(period_key("monthly", day), sum(judged), len(judged)))
    return Figures(lines, over_time)


def _cases(
    workers_query: Select[int, str, int | None, int | None], days: Sequence[date]
) -> tuple[dict[int, CaseFacts], dict[int, list[date | None]]]:
    """The histories of every case ever held by the chosen workers, and each case's latest
    discussion on or before each of `days` (grouped in the database)."""
    chosen = workers_query.with_only_columns(Staff.id).scalar_subquery()
    case_ids = (
        select(CaseAllocation.case_id)
        .where(CaseAllocation.worker_id.in_(chosen), CaseAllocation.allocated_on <= max(days))
        .distinct()
        .scalar_subquery()
    )
    allocations: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for case_id, worker_id, allocated_on in db.session.execute(
        select(CaseAllocation.case_id, CaseAllocation.worker_id, CaseAllocation.allocated_on).where(
            CaseAllocation.case_id.in_(case_ids)
        )
    ):
        allocations[case_id].append((allocated_on, str(worker_id)))
    statuses: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for case_id, status, starts_on in db.session.execute(
        select(CaseStatus.case_id, CaseStatus.status, CaseStatus.starts_on).where(
            CaseStatus.case_id.in_(case_ids)
        )
    ):
        statuses[case_id].append((starts_on, status))
    references = {
        case_id: reference
        for case_id, reference in db.session.execute(
            select(Case.id, Case.reference).where(Case.id.in_(case_ids))
        )
    }
    latest = [
        func.max(case((CaseDiscussion.held_on <= day, CaseDiscussion.held_on))) for day in days
    ]
    last = {
        case_id: list(held)
        for case_id, *held in db.session.execute(
            select(CaseDiscussion.case_id, *latest)
            .where(CaseDiscussion.case_id.in_(case_ids), CaseDiscussion.held_on <= max(days))
            .group_by(CaseDiscussion.case_id)
        )
    }
    facts = {
        case_id: CaseFacts(reference, allocations[case_id], statuses[case_id], ())
        for case_id, reference in references.items()
    }
    return facts, last


def _open_cases(
    rules: CaseDiscussionRules,
    facts: dict[int, CaseFacts],
    last: dict[int, list[date | None]],
    days: Sequence[date],
    day: date,
    workers: dict[int, _Worker],
) -> Iterable[OpenCase]:
    """Each case open on `day` and held then by one of `workers`, judged on that day. Only
    the latest discussion matters for the stretch that is still open."""
    column = list(days).index(day)
    for case_id, known in facts.items():
        held = last.get(case_id, [None] * len(days))[column]
        found = open_case(
            rules,
            CaseFacts(
                known.reference, known.allocations, known.statuses, () if held is None else (held,)
            ),
            day,
        )
        if found is not None and int(found.worker) in workers:
            yield found
