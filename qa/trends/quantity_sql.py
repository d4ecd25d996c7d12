"""The quantity of supervision judged in SQL, at 12 month ends in one statement.

One pass over the formal sessions, grouped by file like any count of them, finds each
file's latest session on or before each month end (the month end positions). Each person
(a member of staff with a supervision file, or with a line manager and no file) is then
judged at each month end where they are in post with an open file: their interval runs
from that latest session, or from their start date where there is none, and the frequency
rules of the council profile in force (audit_tools/frequency_rules.py) become one `CASE`
giving the day the next session is due: the ASYE stages, the staff categories in order,
calendar months or days, and pro-rata for part-time workers where the profile says so.

The people come back counted by team and by the month ends at which they were in post and
in time (a bit for each); each person overdue on the last month end (the day asked about)
comes back on a row of their own with their last session, interval and days overdue, for
the list on the page. The page adds the counts up; it judges no one.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql.selectable import CTE, Subquery

from audit_tools.frequency_rules import AsyeStage, FrequencyRules, IntervalRule
from qa.audits.facts import FRONTLINE_ROLES
from qa.org.models import SupervisionSession
from qa.trends.sql_dates import (
    add_days,
    add_months,
    ceiling,
    days_between,
    month_ends_before,
)


class Judged(NamedTuple):
    """People of one team in post over the same month ends and within their interval at
    the same ones; or one person overdue on the day asked about (the last month end), with
    their last formal session, interval and days overdue."""

    team_id: int | None  # None also for people not in post on the day asked about
    in_post_from: int  # the first month end position at which they are in post
    in_post_until: int  # the first one at which they are no longer
    within: int  # a bit for each month end position at which they are in post and in time
    overdue_key: int | None  # the one person overdue (their file), or None for the others
    staff_id: int | None
    name: str | None
    last_session: date | None
    interval_days: int | None
    days_overdue: int | None
    people: int


def judged_statement(
    people: Select[*tuple[Any, ...]], rules: FrequencyRules, month_ends: list[date]
) -> Select[Any]:
    """The statement giving `Judged` rows for the people
    `people` selects (labelled columns staff_id, name, team_id, role, case_holding,
    asye_start, start_date, leaving_date, file_id, opened_on, closed_on, fte), judged by
    `rules` at each of `month_ends` (in order, the last one the day asked about)."""
    chosen = _people(people, month_ends)
    latest = _latest(people.order_by(None).subquery("files"), rules, month_ends)
    person = (
        select(
            *(chosen.c[name] for name in PERSON),
            *(latest.c[f"latest_{n}"] for n in range(len(month_ends))),
        )
        .outerjoin_from(chosen, latest, latest.c.file_id == chosen.c.file_id)
        .subquery("person")
    )
    return _grouped(person, rules, month_ends)


def without_jit(session: Session | scoped_session[Any]) -> None:
    """PostgreSQL would first compile this wide statement to machine code (its JIT), which
    takes longer than running it: switched off until the end of the transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


PERSON = (
    "key",
    "staff_id",
    "name",
    "team_id",
    "role",
    "case_holding",
    "asye_start",
    "start_date",
    "fte",
    "in_post_from",
    "in_post_until",
)
"""The columns of a person the judging reads."""


def _latest(files: Subquery, rules: FrequencyRules, month_ends: list[date]) -> CTE:
    """Each file's latest formal session on or before each month end (`files` has a column
    file_id)."""
    held_on = SupervisionSession.held_on
    return (
        select(
            SupervisionSession.file_id,
            *(
                func.max(held_on).filter(held_on <= end).label(f"latest_{n}")
                for n, end in enumerate(month_ends[:-1])
            ),
            func.max(held_on).label(f"latest_{len(month_ends) - 1}"),  # all are up to the last
        )
        .where(
            SupervisionSession.file_id.in_(select(files.c.file_id)),
            SupervisionSession.kind.in_(rules.formal_kinds),
            held_on <= month_ends[-1],
        )
        .group_by(SupervisionSession.file_id)
        .cte("latest")
        .prefix_with("MATERIALIZED")  # grouped once, whatever the plan joins it to
    )


def _grouped(person: Subquery, rules: FrequencyRules, month_ends: list[date]) -> Select[Any]:
    """Each person judged at each month end, counted by team and by the month ends at which
    they are in post and within their interval; one row for each person overdue on the last
    month end."""
    p = person.c
    today = len(month_ends) - 1
    on = month_ends[-1]
    within: ColumnElement[int] = literal(0)
    for n, end in enumerate(month_ends[:-1]):
        since = func.coalesce(p[f"latest_{n}"], p.start_date)
        in_time_then = and_(
            p.in_post_from <= n,
            p.in_post_until > n,
            literal(end, Date) <= due_expression(rules, person, since),
        )
        within = within + case((in_time_then, 1 << n), else_=0)
    since = func.coalesce(p[f"latest_{today}"], p.start_date)
    counted_from = func.coalesce(since, on)  # the interval of someone with no date at all
    due = due_expression(rules, person, counted_from)
    judged = (
        select(
            p.team_id,
            p.in_post_from,
            p.in_post_until,
            within.label("within"),
            p.key,
            p.staff_id,
            p.name,
            p[f"latest_{today}"].label("last_session"),
            since.label("since"),
            due.label("due"),
            days_between(due, counted_from).label("interval"),
        )
        .offset(0)  # each person's figures worked out once, not again for each use
        .subquery("judged")
    )
    j = judged.c
    in_post = and_(j.in_post_from <= today, j.in_post_until > today)
    in_time = and_(j.since.is_not(None), j.due >= on)
    overdue = and_(in_post, ~in_time)
    late = case((j.since.is_(None), 0), else_=days_between(literal(on, Date), j.due))
    group = (
        case((in_post, j.team_id)),  # the teams count those in post on the day asked about
        j.in_post_from,
        j.in_post_until,
        j.within + case((and_(in_post, in_time), 1 << today), else_=0),
        *(
            case((overdue, column))
            for column in (j.key, j.staff_id, j.name, j.last_session, j.interval, late)
        ),
    )
    return select(*group, func.count()).group_by(*group)


def _later(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    """The later of two dates, either may be NULL."""
    return case((a.is_(None), b), (b.is_(None), a), (a > b, a), else_=b)


def _earlier(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((a.is_(None), b), (b.is_(None), a), (a < b, a), else_=b)


def _people(people: Select[*tuple[Any, ...]], month_ends: list[date]) -> Subquery:
    """Each person once, with a key (their file, or minus their staff id where they have
    none) and the month end positions at which they are in post with an open file."""
    inner = people.order_by(None).subquery("chosen")
    in_post_from = _later(inner.c.start_date, inner.c.opened_on)
    in_post_until = _earlier(inner.c.leaving_date, inner.c.closed_on)
    return (
        select(
            func.coalesce(inner.c.file_id, -inner.c.staff_id).label("key"),
            inner.c.staff_id,
            inner.c.name,
            inner.c.team_id,
            inner.c.role,
            inner.c.case_holding,
            inner.c.asye_start,
            inner.c.start_date,
            inner.c.fte,
            inner.c.file_id,
            func.coalesce(month_ends_before(in_post_from, month_ends), 0).label("in_post_from"),
            func.coalesce(month_ends_before(in_post_until, month_ends), len(month_ends)).label(
                "in_post_until"
            ),
        )
        .offset(0)
        .subquery("people")
    )  # worked out once for each person, not for each use


def due_expression(
    rules: FrequencyRules, staff: Subquery | CTE, since: ColumnElement[date]
) -> ColumnElement[date]:
    """The last day the next session may be held after one held on `since`, as
    `audit_tools.frequency_rules.due_after` says, for the staff columns of `staff`: the ASYE
    stage on that day, else the first staff category the person is in (NULL if none)."""
    asye = staff.c.asye_start
    whens: list[tuple[ColumnElement[bool], ColumnElement[date]]] = [
        (
            and_(asye.is_not(None), since >= asye, since < _stage_ends(stage, asye)),
            add_days(since, stage.interval_days),
        )
        for stage in rules.asye_stages
    ]
    whens += [
        (_matches(rule, staff), _category_due(rules, rule, staff, since))
        for rule in rules.intervals
    ]
    if not whens:
        return cast(null(), Date)
    return case(*whens)


def _stage_ends(stage: AsyeStage, asye_start: ColumnElement[date]) -> ColumnElement[date]:
    if stage.until_weeks is not None:
        return add_days(asye_start, 7 * stage.until_weeks)
    return add_months(asye_start, stage.until_months or 0)


def _matches(rule: IntervalRule, staff: Subquery | CTE) -> ColumnElement[bool]:
    """`IntervalRule.matches`: a person with no case-holding flag is not case-holding."""
    conditions: list[ColumnElement[bool]] = [true()]
    if rule.roles is not None:
        conditions.append(staff.c.role.in_(sorted(rule.roles)))
    if rule.case_holding is not None:
        holding = staff.c.case_holding == True  # noqa: E712 (SQL, not Python)
        conditions.append(
            holding if rule.case_holding else or_(~holding, staff.c.case_holding.is_(None))
        )
    if rule.frontline is not None:
        frontline = staff.c.role.in_(sorted(FRONTLINE_ROLES))
        conditions.append(frontline if rule.frontline else ~frontline)
    return and_(*conditions)


def _category_due(
    rules: FrequencyRules, rule: IntervalRule, staff: Subquery | CTE, since: ColumnElement[date]
) -> ColumnElement[date]:
    """`IntervalRule.due_after`, stretched for a part-time worker where the rules pro-rate."""
    due: ColumnElement[date]
    if rule.interval_months is not None:
        due = add_months(since, rule.interval_months)
    else:
        due = add_days(since, rule.interval_days or 0)
    if not rules.part_time_pro_rata:
        return due
    fte = staff.c.fte
    part_time = and_(fte.is_not(None), fte > 0, fte < 1)
    stretched = add_days(since, ceiling(days_between(due, since) / fte))
    return case((part_time, stretched), else_=due)
