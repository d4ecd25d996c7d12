"""The quantity of supervision: who was supervised within their required interval.

Councils must monitor how often supervision happens as well as its quality (Coventry,
003_2701f8fa2326f2b4.txt, 2.13). For each current case-holding or frontline member of staff
with a supervision file, the last formal session is found in the database (the latest per
file, grouped there) and judged against the frequency rules by
`audit_tools.frequency.quantity_status`: within the interval, or overdue by so many days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select

from audit_tools.frequency import quantity_status, required_interval_days
from qa.access import staff_scope
from qa.audits.facts import FRONTLINE_ROLES, frequency_rules, staff_facts
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile, SupervisionSession
from qa.trends.charts import bar_svg, spc_svg
from qa.trends.filters import (
    Filters,
    Unit,
    default_filters,
    last_day,
    period_label,
    resolve_unit,
)
from qa.trends.queries import team_names
from qa.trends.scope import unit_clause
from qa.trends.statistics import Point, SpcChart, p_chart
from sampling.periods import months_before, period_key

MONTHS = 12


class TeamQuantity(NamedTuple):
    label: str
    k: int
    n: int
    rate: float | None


class PeriodQuantity(NamedTuple):
    """As of the end of the month `period` (or the day asked about, for the current month)."""

    period: str
    k: int
    n: int
    rate: float | None


class Overdue(NamedTuple):
    staff: Staff
    last_session: date | None
    interval_days: int
    days_overdue: int


@dataclass(frozen=True)
class Quantity:
    on: date
    unit_label: str
    total: TeamQuantity
    by_team: list[TeamQuantity]
    over_time: list[PeriodQuantity]
    overdue: list[Overdue]
    chart: SpcChart
    chart_svg: str
    teams_svg: str

    @property
    def empty(self) -> bool:
        return self.total.n == 0


def quantity(user: Staff, on: date, filters: Filters | None = None) -> Quantity:
    """Supervision within the required interval on `on`, by team and month by month over
    the last 12 months, and who is overdue, for the part of the service the person sees."""
    unit = resolve_unit(user, filters or default_filters(user, on))
    people = _people(user, unit, on)
    statuses = _statuses(people, on)
    teams: dict[int | None, tuple[int, int]] = {}
    overdue: list[Overdue] = []
    for person, last, within, late in statuses:
        k, n = teams.get(person.team_id, (0, 0))
        teams[person.team_id] = (k + int(within), n + 1)
        if not within:
            since = last or person.start_date or on
            days = required_interval_days(frequency_rules(), staff_facts(person), since)
            overdue.append(Overdue(person, last, days, late))
    overdue.sort(key=lambda row: (-row.days_overdue, row.staff.name))
    names = team_names(teams)
    by_team = sorted(
        (_line(names.get(team, "Unknown team"), k, n) for team, (k, n) in teams.items()),
        key=lambda row: row.label,
    )
    over_time = _over_time(people, on)
    chart = p_chart(
        [Point(period_label(p.period), p.rate, p.n) for p in over_time],
        measure="Supervision within the required interval",
    )
    k_all = sum(row.k for row in by_team)
    n_all = sum(row.n for row in by_team)
    return Quantity(
        on=on,
        unit_label=unit.label,
        total=_line(unit.label, k_all, n_all),
        by_team=by_team,
        over_time=over_time,
        overdue=overdue,
        chart=chart,
        chart_svg=spc_svg(
            chart,
            f"Staff supervised within their required interval by month, {unit.label}",
            "percent",
            x_label="Month end",
            y_label="Supervised in time",
            chart_id="quantity-chart",
        ),
        teams_svg=bar_svg(
            [(row.label, row.rate) for row in by_team],
            f"Staff supervised within their required interval by team, {unit.label}",
            "percent",
            x_label="Supervised within the interval",
            chart_id="quantity-teams",
        ),
    )


def _line(label: str, k: int, n: int) -> TeamQuantity:
    return TeamQuantity(label, k, n, k / n if n else None)


def _people(user: Staff, unit: Unit, on: date) -> list[tuple[Staff, SupervisionFile]]:
    """Case-holding or frontline staff with a file, in scope, in post at some point in the
    last 12 months; `_current` narrows them to a given day."""
    first = months_before(on, MONTHS)
    stmt = (
        select(Staff, SupervisionFile)
        .join(SupervisionFile, SupervisionFile.supervisee_id == Staff.id)
        .where(
            staff_scope(user),
            unit_clause(unit),
            or_(Staff.case_holding.is_(True), Staff.role.in_(sorted(FRONTLINE_ROLES))),
            or_(Staff.start_date.is_(None), Staff.start_date <= on),
            or_(Staff.leaving_date.is_(None), Staff.leaving_date > first),
            SupervisionFile.opened_on <= on,
            or_(SupervisionFile.closed_on.is_(None), SupervisionFile.closed_on > first),
        )
        .order_by(Staff.name, Staff.id)
    )
    return [(person, file) for person, file in db.session.execute(stmt)]


def _current(person: Staff, file: SupervisionFile, day: date) -> bool:
    return (
        (person.start_date is None or person.start_date <= day)
        and (person.leaving_date is None or person.leaving_date > day)
        and file.opened_on <= day
        and (file.closed_on is None or file.closed_on > day)
    )


def _statuses(
    people: list[tuple[Staff, SupervisionFile]], day: date
) -> list[tuple[Staff, date | None, bool, int]]:
    """(person, last formal session up to `day`, within the interval?, days overdue)."""
    current = [(p, f) for p, f in people if _current(p, f, day)]
    last = _last_sessions([f.id for _, f in current], day)
    rules = frequency_rules()
    found = []
    for person, file in current:
        held = last.get(file.id)
        within, late = quantity_status(rules, staff_facts(person), held, day)
        found.append((person, held, within, late))
    return found


def _last_sessions(file_ids: list[int], day: date) -> dict[int, date]:
    """The latest formal session held on or before `day`, per file, grouped in the database."""
    if not file_ids:
        return {}
    stmt = (
        select(SupervisionSession.file_id, func.max(SupervisionSession.held_on))
        .where(
            SupervisionSession.file_id.in_(file_ids),
            SupervisionSession.kind.in_(frequency_rules().formal_kinds),
            SupervisionSession.held_on <= day,
        )
        .group_by(SupervisionSession.file_id)
    )
    return {file_id: held for file_id, held in db.session.execute(stmt)}


def _over_time(people: list[tuple[Staff, SupervisionFile]], on: date) -> list[PeriodQuantity]:
    """The share supervised in time at each of the last 12 month ends (the last one `on`)."""
    found = []
    for back in range(MONTHS - 1, -1, -1):
        month = months_before(on.replace(day=1), back)
        day = min(last_day(month), on)
        statuses = _statuses(people, day)
        k = sum(1 for _, _, within, _ in statuses if within)
        n = len(statuses)
        found.append(PeriodQuantity(period_key("monthly", month), k, n, k / n if n else None))
    return found
