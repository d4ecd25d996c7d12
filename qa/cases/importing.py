"""Applying the case files: all or nothing, and idempotent.

A cases file adds to each case's history (allocations and statuses) and never silently
changes it: a row that says the case was allocated to someone else on a day already stored,
or had another status from a day already stored, is refused, as is a case left with no
status on the day it was first allocated. A case discussions file adds discussions (one per
case, supervisee and day; the supervisor may be corrected), each checked against the stored
case: not before it was first allocated, not after it closed, and by the worker holding the
case that day. Any problem and nothing is written (the caller rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit_tools.case_rules import CLOSED, STATUS_NAMES
from qa.extensions import db
from qa.org.models import Staff
from qa.org.parsing_rules import Problem

from .models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from .parsing import CaseRecord, DiscussionRecord

if TYPE_CHECKING:
    from qa.org.importing import ImportReport


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _cases(references: set[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    listed = sorted(references)
    for start in range(0, len(listed), 5000):
        chunk = listed[start : start + 5000]
        for case in db.session.scalars(
            select(Case)
            .where(Case.reference.in_(chunk))
            .options(selectinload(Case.allocations), selectinload(Case.statuses))
        ):
            found[case.reference] = case
    return found


def apply_cases(
    records: Sequence[CaseRecord],
    report: ImportReport,
    today: date,  # noqa: ARG001 (every kind's apply function takes the same arguments)
    columns: frozenset[str] = frozenset(),  # noqa: ARG001
) -> None:
    """Add each row's allocation and status to its case, creating the case if it is new."""
    staff = {person.external_id: person for person in db.session.scalars(select(Staff))}
    cases = _cases({row.reference for row in records})
    allocations: dict[str, dict[date, int]] = {
        ref: {item.allocated_on: item.worker_id for item in case.allocations}
        for ref, case in cases.items()
    }
    statuses: dict[str, dict[date, str]] = {
        ref: {item.starts_on: item.status for item in case.statuses} for ref, case in cases.items()
    }
    names = {person.id: person.external_id for person in staff.values()}
    for row in records:
        case = cases.get(row.reference)
        if case is None:
            case = cases[row.reference] = Case(reference=row.reference)
            db.session.add(case)
            allocations[row.reference], statuses[row.reference] = {}, {}
            report.created += 1
            new_case = True
        else:
            new_case = False
        worker = staff[row.worker_id]
        held = allocations[row.reference].get(row.allocated_on)
        added = False
        if held is None:
            allocations[row.reference][row.allocated_on] = worker.id
            db.session.add(CaseAllocation(case=case, worker=worker, allocated_on=row.allocated_on))
            added = True
        elif held != worker.id:
            report.problems.append(
                Problem(
                    row.row,
                    "worker_id",
                    row.worker_id,
                    f"case {row.reference} is already recorded as allocated to {names[held]} on "
                    f"{_day(row.allocated_on)}; the file cannot change a case's history, so "
                    "check the worker and the date",
                )
            )
        status = statuses[row.reference].get(row.status_from)
        if status is None:
            statuses[row.reference][row.status_from] = row.status
            db.session.add(CaseStatus(case=case, status=row.status, starts_on=row.status_from))
            added = True
        elif status != row.status:
            report.problems.append(
                Problem(
                    row.row,
                    "status",
                    STATUS_NAMES[row.status],
                    f"case {row.reference} is already recorded as {STATUS_NAMES[status]} from "
                    f"{_day(row.status_from)}; the file cannot change a case's history, so "
                    "check the status and its date",
                )
            )
        if not new_case:
            if added:
                report.updated += 1
            else:
                report.unchanged += 1
    _check_histories(records, allocations, statuses, report)
    db.session.flush()


def _check_histories(
    records: Sequence[CaseRecord],
    allocations: dict[str, dict[date, int]],
    statuses: dict[str, dict[date, str]],
    report: ImportReport,
) -> None:
    """Each case needs a status on the day it was first allocated."""
    first_rows: dict[str, int] = {}
    for row in records:
        first_rows.setdefault(row.reference, row.row)
    for reference, number in first_rows.items():
        first = min(allocations[reference])
        if not any(starts <= first for starts in statuses[reference]):
            report.problems.append(
                Problem(
                    number,
                    "status_from",
                    "",
                    f"case {reference} was first allocated on {_day(first)} but has no status "
                    "from that day; add a row with its status when it was allocated",
                )
            )
        elif statuses[reference][min(statuses[reference])] == CLOSED:
            report.problems.append(
                Problem(
                    number,
                    "status",
                    STATUS_NAMES[CLOSED],
                    f"case {reference} is closed from its first status; add the status it "
                    "had while open",
                )
            )


def apply_case_discussions(
    records: Sequence[DiscussionRecord],
    report: ImportReport,
    today: date,  # noqa: ARG001 (every kind's apply function takes the same arguments)
    columns: frozenset[str] = frozenset(),  # noqa: ARG001
) -> None:
    """Add each discussion, checked against the stored case; correct a supervisor."""
    staff = {person.external_id: person for person in db.session.scalars(select(Staff))}
    names = {person.id: person.external_id for person in staff.values()}
    cases = _cases({row.reference for row in records})
    existing = {
        (item.case_id, item.held_on, item.supervisee_id): item
        for item in db.session.scalars(
            select(CaseDiscussion).where(
                CaseDiscussion.case_id.in_([case.id for case in cases.values()])
            )
        )
    }
    seen: dict[tuple[int, date, int], int] = {}
    for row in records:
        case = cases.get(row.reference)
        if case is None:
            report.problems.append(
                Problem(
                    row.row,
                    "case_reference",
                    row.reference,
                    f"there is no case {row.reference}; import it in a cases file first, or "
                    "correct the reference",
                )
            )
            continue
        supervisee, supervisor = staff[row.supervisee_id], staff[row.supervisor_id]
        problem = _against_case(case, row, supervisee.id, names)
        if problem is not None:
            report.problems.append(problem)
            continue
        key = (case.id, row.discussed_on, supervisee.id)
        if (earlier := seen.setdefault(key, row.row)) != row.row:
            report.problems.append(
                Problem(
                    row.row,
                    "discussed_on",
                    _day(row.discussed_on),
                    f"this discussion (same case, supervisee and date) is also on row {earlier}; "
                    "delete one of them",
                )
            )
            continue
        found = existing.get(key)
        if found is None:
            db.session.add(
                CaseDiscussion(
                    case=case,
                    supervisee=supervisee,
                    supervisor=supervisor,
                    held_on=row.discussed_on,
                )
            )
            report.created += 1
        elif found.supervisor_id != supervisor.id:
            found.supervisor = supervisor
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()


def _against_case(
    case: Case, row: DiscussionRecord, supervisee: int, names: dict[int, str]
) -> Problem | None:
    """Why the discussion cannot be of this case on that day, or None."""
    allocations = sorted((item.allocated_on, item.worker_id) for item in case.allocations)
    statuses = sorted((item.starts_on, item.status) for item in case.statuses)
    on = row.discussed_on
    if on < allocations[0][0]:
        return Problem(
            row.row,
            "discussed_on",
            _day(on),
            f"case {row.reference} was first allocated on {_day(allocations[0][0])}; a "
            "discussion cannot come before the case was allocated, so check the date and the "
            "case reference",
        )
    current = [status for starts, status in statuses if starts <= on]
    if current and current[-1] == CLOSED:
        closed = max(starts for starts, status in statuses if starts <= on and status == CLOSED)
        return Problem(
            row.row,
            "discussed_on",
            _day(on),
            f"case {row.reference} was closed on {_day(closed)}; a discussion cannot come "
            "after the case closed, so check the date and the case reference",
        )
    holder = [worker for starts, worker in allocations if starts <= on][-1]
    if holder != supervisee:
        return Problem(
            row.row,
            "supervisee_id",
            names[supervisee],
            f"on {_day(on)} case {row.reference} was allocated to {names[holder]}; a "
            "discussion counts for the worker who holds the case, so check the supervisee "
            "and the date",
        )
    return None
