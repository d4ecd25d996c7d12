"""The quantity figures as the service worked them out before the database judged them:
each person's latest formal session at each month end, read from one grouped statement, and
judged in Python by `audit_tools.frequency.quantity_status`. Kept beside the tests only, so
that they can show the SQL gives the same figures (tests/qa/trends/test_quantity_sql.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, func, or_, select

from audit_tools.frequency import (
    FrequencyRules,
    StaffFacts,
    quantity_status,
    required_interval_days,
)
from qa.access import staff_scope
from qa.audits.facts import facts_of
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile, SupervisionSession
from qa.profiles.service import frequency_rules_by_day
from qa.trends.filters import Filters, Unit, default_filters, last_day, resolve_unit
from qa.trends.quantity import MONTHS, Overdue, PeriodQuantity, TeamQuantity, _line
from qa.trends.queries import team_names
from qa.trends.scope import unit_clause
from sampling.periods import months_before, period_key

FileDates = tuple[Any, ...]


class Figures(NamedTuple):
    by_team: list[TeamQuantity]
    over_time: list[PeriodQuantity]
    overdue: list[Overdue]


def reference_quantity(user: Staff, on: date, filters: Filters | None = None) -> Figures:
    """Supervision within the required interval on `on`, by team and month by month over
    the last 12 months, and who is overdue, for the part of the service the person sees."""
    unit = resolve_unit(user, filters or default_filters(user, on))
    chosen = _people_query(user, unit, on)
    people = [_person(row) for row in db.session.execute(chosen)]
    month_ends = _month_ends(on)
    day_rules = frequency_rules_by_day(month_ends)
    rules = day_rules[on]
    latest = _latest(day_rules, chosen, month_ends)
    statuses = _statuses(rules, people, latest, month_ends, on)
    teams: dict[int | None, tuple[int, int]] = {}
    late_ones: list[tuple[Person, date | None, int, int]] = []
    for person, last, within, late in statuses:
        k, n = teams.get(person.team_id, (0, 0))
        teams[person.team_id] = (k + int(within), n + 1)
        if not within:
            since = last or person.facts.start_date or on
            days = required_interval_days(rules, person.facts, since)
            late_ones.append((person, last, days, late))
    names = team_names(teams)
    overdue = sorted(
        (
            Overdue(
                p.name,
                names.get(p.team_id) if p.team_id is not None else None,
                last_session,
                interval_days,
                days_overdue,
            )
            for p, last_session, interval_days, days_overdue in late_ones
        ),
        key=lambda row: (-row.days_overdue, row.name),
    )
    by_team = sorted(
        (_line(names.get(team, "Unknown team"), k, n) for team, (k, n) in teams.items()),
        key=lambda row: row.label,
    )
    over_time = _over_time(day_rules, people, latest, month_ends)
    return Figures(by_team, over_time, overdue)


def _people_query(user: Staff, unit: Unit, on: date) -> Select[Any]:
    """Staff with a line manager or a file, in scope, in post at some point in the last 12
    months; `_current` narrows them to a given day."""
    first = months_before(on, MONTHS)
    return (
        select(
            Staff.id,
            Staff.name,
            Staff.team_id,
            Staff.role,
            Staff.case_holding,
            Staff.asye_start,
            Staff.start_date,
            Staff.leaving_date,
            SupervisionFile.id,
            SupervisionFile.opened_on,
            SupervisionFile.closed_on,
            Staff.fte,
        )
        .outerjoin(SupervisionFile, SupervisionFile.supervisee_id == Staff.id)
        .where(
            staff_scope(user),
            unit_clause(unit),
            or_(Staff.start_date.is_(None), Staff.start_date <= on),
            or_(Staff.leaving_date.is_(None), Staff.leaving_date > first),
            or_(
                Staff.line_manager_id.is_not(None),
                and_(
                    SupervisionFile.opened_on <= on,
                    or_(SupervisionFile.closed_on.is_(None), SupervisionFile.closed_on > first),
                ),
            ),
        )
        .order_by(Staff.name, Staff.id)
    )


class Person(NamedTuple):
    """A member of staff with a file, read once as plain values: the month-end loop asks
    about each of them a dozen times."""

    name: str
    team_id: int | None
    file_id: int | None  # None: a line manager but no supervision file
    facts: StaffFacts
    first_day: date  # in post with an open file from this day ...
    last_day: date | None  # ... until the day before this one (None: still)


def _person(row: FileDates) -> Person:
    (
        _,
        name,
        team_id,
        role,
        case_holding,
        asye_start,
        start,
        leaving,
        file_id,
        opened,
        closed,
        fte,
    ) = row
    facts = facts_of(case_holding, role, asye_start, start, leaving, fte)
    begins = [d for d in (start, opened) if d is not None]
    first = max(begins) if begins else date.min
    ends = [d for d in (leaving, closed) if d is not None]
    return Person(name, team_id, file_id, facts, first, min(ends) if ends else None)


def _current(person: Person, day: date) -> bool:
    return person.first_day <= day and (person.last_day is None or person.last_day > day)


def _month_ends(on: date) -> list[date]:
    """The last day of each of the last 12 months, the last one being `on` itself."""
    found = []
    for back in range(MONTHS - 1, -1, -1):
        month = months_before(on.replace(day=1), back)
        found.append(min(last_day(month), on))
    return found


def _statuses(
    rules: FrequencyRules,
    people: list[Person],
    last: dict[int, list[date | None]],
    days: list[date],
    day: date,
) -> list[tuple[Person, date | None, bool, int]]:
    """(person, last formal session up to `day`, within the interval?, days overdue)."""
    column = days.index(day)
    found = []
    for person in people:
        if not _current(person, day):
            continue
        held = last[person.file_id][column] if person.file_id in last else None
        within, late = quantity_status(rules, person.facts, held, day)
        found.append((person, held, within, late))
    return found


def _last_sessions(
    rules: FrequencyRules, chosen: Select[*FileDates], days: list[date]
) -> dict[int, list[date | None]]:
    """For each chosen person's file, the latest formal session held on or before each of
    `days`: one pass over the sessions, grouped in the database. The files are named by a
    subquery, not a list of ids, so a council of any size stays one statement."""
    files = chosen.with_only_columns(SupervisionFile.id).order_by(None).scalar_subquery()
    latest = [
        func.max(case((SupervisionSession.held_on <= day, SupervisionSession.held_on)))
        for day in days
    ]
    stmt = (
        select(SupervisionSession.file_id, *latest)
        .where(
            SupervisionSession.file_id.in_(files),
            SupervisionSession.kind.in_(rules.formal_kinds),
            SupervisionSession.held_on <= max(days),
        )
        .group_by(SupervisionSession.file_id)
    )
    return {file_id: list(held) for file_id, *held in db.session.execute(stmt)}


def _latest(
    day_rules: dict[date, FrequencyRules], chosen: Select[*FileDates], days: list[date]
) -> dict[int, list[date | None]]:
    """`_last_sessions`, each day counting the kinds of session of the profile in force on
    it: one statement per profile in force over the year, usually one."""
    found: dict[int, list[date | None]] = {}
    for rules in {id(rules): rules for rules in day_rules.values()}.values():
        held = _last_sessions(rules, chosen, days)
        for column, day in enumerate(days):
            if day_rules[day] is not rules:
                continue
            for file_id, dates in held.items():
                found.setdefault(file_id, [None] * len(days))[column] = dates[column]
    return found


def _over_time(
    day_rules: dict[date, FrequencyRules],
    people: list[Person],
    last: dict[int, list[date | None]],
    days: list[date],
) -> list[PeriodQuantity]:
    """The share supervised in time at each of the last 12 month ends (the last one `on`),
    each by the rules of the profile in force on that day."""
    found = []
    for day in days:
        statuses = _statuses(day_rules[day], people, last, days, day)
        k = sum(1 for _, _, within, _ in statuses if within)
        n = len(statuses)
        found.append(PeriodQuantity(period_key("monthly", day), k, n, k / n if n else None))
    return found
