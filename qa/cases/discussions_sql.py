"""Case discussions judged in SQL, at the 12 month ends in one statement.

Each case's allocations, statuses and discussions become stretches of month end positions
(`qa.trends.sql_dates.month_ends_before`): with the next one in the case's history (a
window `LEAD` ordered by date) each allocation, status and discussion date is the latest on
or before the month ends from its own position to the next one's. Joined to the month ends,
that gives each case at each month end: who holds it and since when, its status, and its
latest discussion. A case is left out from the month end on or after its closure (where its
latest status of all is `closed`), and where someone the person may not see holds it.

Each case at each month end is then judged as `audit_tools.case_rules.open_case` judges it:
the stretch still open runs from the latest discussion, or from the allocation or transfer
where there is none since; the council profile in force on that month end gives, by the
status on that day, the interval from an allocation (`after_allocation`, else `between`) or
between discussions, as one `CASE` giving the last day in time; the case is within its
interval where the month end is not after it, and not judged where the policy sets none.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.selectable import CTE, Subquery

from audit_tools.case_rules import CLOSED, CaseDiscussionRules, CaseInterval
from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.extensions import db
from qa.trends.sql_dates import add_days, add_months, days_between, month_ends_before


class Standing(NamedTuple):
    """One open case on the last month end (the day asked about), as the database judged
    it; `due` None where the policy sets no interval for its status."""

    reference: str
    worker_id: int
    status: str
    allocated_on: date
    last_discussion: date | None
    from_allocation: bool
    due: date | None
    within: bool | None
    days_over: int


def judged_cases(
    chosen: Select[Any], rules: list[CaseDiscussionRules], month_ends: list[date]
) -> tuple[list[Standing], list[tuple[int, int]]]:
    """The open cases held on the last of `month_ends` by the staff `chosen` selects (a
    single column of their ids), and at each month end (in order) how many open cases were
    within their interval of how many judged, by the rules in force at each (`rules`, one
    for each month end)."""
    judged = _judged(chosen, rules, month_ends)
    counts = {
        n: (int(k or 0), int(total))
        for n, k, total in db.session.execute(
            select(judged.c.n, func.sum(judged.c.within), func.count(judged.c.within)).group_by(
                judged.c.n
            )
        )
    }
    today = select(
        Case.reference,
        judged.c.worker_id,
        judged.c.status,
        judged.c.allocated_on,
        judged.c.last_discussion,
        judged.c.from_allocation,
        judged.c.due,
        judged.c.within,
        judged.c.days_over,
    ).join_from(judged, Case, Case.id == judged.c.case_id)
    lines = [
        Standing(
            reference=reference,
            worker_id=worker_id,
            status=status or "",
            allocated_on=allocated_on,
            last_discussion=last,
            from_allocation=bool(from_allocation),
            due=due,
            within=None if within is None else bool(within),
            days_over=int(days_over),
        )
        for reference, worker_id, status, allocated_on, last, from_allocation, due, within, (
            days_over
        ) in db.session.execute(today.where(judged.c.n == len(month_ends) - 1))
    ]
    return lines, [counts.get(n, (0, 0)) for n in range(len(month_ends))]


def _stretches(
    case_id: Any, day: Any, columns: list[Any], month_ends: list[date], name: str, where: Any
) -> Subquery:
    """Rows of a case's history (`day` its date) with the month end positions from which
    each is the latest on or before the month end (`from_n`) and until which (`until_n`,
    the next one's position), and whether it is the case's last (`last`)."""
    dates = select(case_id.label("case_id"), day.label("day"), *columns).where(where)
    each = dates.distinct().subquery(f"{name}_each")  # a day's discussions count once
    following = func.lead(each.c.day).over(partition_by=each.c.case_id, order_by=each.c.day)
    inner = select(*each.c, following.label("next")).subquery(f"{name}_dates")
    return (
        select(
            *inner.c,
            month_ends_before(inner.c.day, month_ends).label("from_n"),
            func.coalesce(month_ends_before(inner.c.next, month_ends), len(month_ends)).label(
                "until_n"
            ),
        )
        .offset(0)  # worked out once, not again for each month end
        .subquery(name)
    )


def _at(stretch: Subquery, ends: CTE, columns: list[Any]) -> Select[Any]:
    """The stretch's case and each month end it covers, with `columns` (allocated_on,
    worker_id, status, closes, discussed_on: NULL where it says nothing of them)."""
    names = ("allocated_on", "worker_id", "status", "closes", "discussed_on")
    return select(
        stretch.c.case_id,
        ends.c.n,
        ends.c.end_on,
        *(column.label(name) for column, name in zip(columns, names, strict=True)),
    ).join_from(stretch, ends, and_(stretch.c.from_n <= ends.c.n, stretch.c.until_n > ends.c.n))


def _judged(
    chosen: Select[Any], rules: list[CaseDiscussionRules], month_ends: list[date]
) -> Subquery:
    """Each case open at each month end and held then by one of `chosen`, judged."""
    on = month_ends[-1]
    case_ids = (
        select(CaseAllocation.case_id)
        .where(CaseAllocation.worker_id.in_(chosen), CaseAllocation.allocated_on <= on)
        .distinct()
    )
    held = _stretches(
        CaseAllocation.case_id,
        CaseAllocation.allocated_on,
        [CaseAllocation.worker_id],
        month_ends,
        "held",
        CaseAllocation.case_id.in_(case_ids),
    )
    status = _stretches(
        CaseStatus.case_id,
        CaseStatus.starts_on,
        [CaseStatus.status],
        month_ends,
        "status",
        CaseStatus.case_id.in_(case_ids),
    )
    discussed = _stretches(
        CaseDiscussion.case_id,
        CaseDiscussion.held_on,
        [],
        month_ends,
        "discussed",
        and_(CaseDiscussion.case_id.in_(case_ids), CaseDiscussion.held_on <= on),
    )
    ends = _month_end_rows(month_ends)
    no_date, no_number, no_text = cast(null(), Date), cast(null(), Integer), cast(null(), String)
    closes = case((and_(status.c.next.is_(None), status.c.status == CLOSED), 1), else_=0)
    # Each stretch once for each month end it covers; the three are then put side by side
    # for each case and month end by grouping, which the database does by sorting or hashing
    # rather than by comparing every stretch of a case with every other.
    at_month_ends = union_all(
        _at(held, ends, [held.c.day, held.c.worker_id, no_text, no_number, no_date]).where(
            held.c.worker_id.in_(chosen)
        ),
        _at(status, ends, [no_date, no_number, status.c.status, closes, no_date]),
        _at(discussed, ends, [no_date, no_number, no_text, no_number, discussed.c.day]),
    ).subquery("at_month_ends")
    m = at_month_ends.c
    allocated_on = func.max(m.allocated_on)
    discussed_on = func.max(m.discussed_on)
    since_allocation = or_(discussed_on.is_(None), discussed_on < allocated_on)
    standing = (
        select(
            m.n,
            m.end_on,
            m.case_id,
            func.max(m.worker_id).label("worker_id"),
            allocated_on.label("allocated_on"),
            func.max(m.status).label("status"),
            case((since_allocation, 1), else_=0).label("from_allocation"),
            case((since_allocation, null()), else_=discussed_on).label("last_discussion"),
            case((since_allocation, allocated_on), else_=discussed_on).label("since"),
        )
        .group_by(m.case_id, m.n, m.end_on)
        .having(allocated_on.is_not(None), func.coalesce(func.max(m.closes), 0) == 0)
        .subquery("standing")
    )
    s = standing.c
    due = select(*s, _due_by_month_end(rules, s).label("due")).offset(0).subquery("dated")
    d = due.c
    return select(
        *d,
        case((d.due.is_(None), null()), (d.end_on <= d.due, 1), else_=0).label("within"),
        case((d.end_on > d.due, days_between(d.end_on, d.due)), else_=0).label("days_over"),
    ).subquery("judged")


def _month_end_rows(month_ends: list[date]) -> CTE:
    """The month ends, one row each, with their positions."""
    return union_all(
        *(
            select(literal(n, Integer).label("n"), literal(end, Date).label("end_on"))
            for n, end in enumerate(month_ends)
        )
    ).cte("month_end")


def _due_by_month_end(rules: list[CaseDiscussionRules], s: Any) -> ColumnElement[date]:
    """The last day in time at each month end, by the rules in force on it."""
    groups: list[tuple[CaseDiscussionRules, list[int]]] = []
    for position, found in enumerate(rules):
        for known, positions in groups:
            if known == found:
                positions.append(position)
                break
        else:
            groups.append((found, [position]))
    if len(groups) == 1:
        return _due(groups[0][0], s)
    return case(*((s.n.in_(positions), _due(found, s)) for found, positions in groups))


def _due(rules: CaseDiscussionRules, s: Any) -> ColumnElement[date]:
    """`CaseInterval.due` of the interval the status gives: `StatusRule.first` counted from
    an allocation or transfer, `between` from a discussion; NULL where it is not set."""
    whens: list[tuple[ColumnElement[bool], ColumnElement[date]]] = []
    for rule in rules.statuses:
        for from_allocation, interval in ((1, rule.first), (0, rule.between)):
            if not interval.silent:
                matches = and_(s.status == rule.status, s.from_allocation == from_allocation)
                whens.append((matches, _after(interval, s.since)))
    if not whens:
        return cast(null(), Date)
    return case(*whens)


def _after(interval: CaseInterval, since: ColumnElement[date]) -> ColumnElement[date]:
    if interval.unit == "months":
        return add_months(since, interval.amount or 0)
    return add_days(since, interval.amount or 0)
