"""The quantity of supervision: who was supervised within their required interval.

Councils must monitor how often supervision happens as well as its quality (Coventry,
003_2701f8fa2326f2b4.txt, 2.13). For each current member of staff with a line manager or a
supervision file, managers and heads of service included ("No staff member should go without
a supervision session for more than two months", 5.2; someone with a line manager and no file
has had no session on record), the last formal session is judged against the frequency
rules of the council profile in force on that day, as `audit_tools.frequency.quantity_status`
says: within the interval, or overdue by so many days. The database does the judging, at
all 12 month ends in one statement (qa/trends/quantity_sql.py), and gives back counts by
team and the people overdue.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, and_, or_, select

from audit_tools.frequency import FrequencyRules
from qa.access import staff_scope
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile
from qa.profiles.service import frequency_rules_by_day
from qa.trends.filters import (
    Filters,
    Unit,
    default_filters,
    last_day,
    period_label,
    resolve_unit,
)
from qa.trends.quantity_sql import Judged, judged_statement, without_jit
from qa.trends.queries import team_names
from qa.trends.scope import unit_clause
from sampling.periods import months_before, period_key
from trend_maths.charts import bar_svg, spc_svg
from trend_maths.statistics import Point, SpcChart, p_chart

MONTHS = 12
SHOWN_OVERDUE = 100  # the page lists the longest overdue; the spreadsheet lists everyone


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
    name: str
    team: str | None  # None: not in a team
    last_session: date | None
    interval_days: int
    days_overdue: int


@dataclass(frozen=True)
class Quantity:
    on: date
    policy: str  # the title of the policy whose rules apply (the council profile in force)
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

    @property
    def overdue_shown(self) -> list[Overdue]:
        """The longest overdue, as many as a page can list."""
        return self.overdue[:SHOWN_OVERDUE]


def quantity(user: Staff, on: date, filters: Filters | None = None) -> Quantity:
    """Supervision within the required interval on `on`, by team and month by month over
    the last 12 months, and who is overdue, for the part of the service the person sees."""
    unit = resolve_unit(user, filters or default_filters(user, on))
    month_ends = _month_ends(on)
    day_rules = frequency_rules_by_day(month_ends)
    rules = day_rules[on]
    in_post = [0] * len(month_ends)
    within = [0] * len(month_ends)
    teams: dict[int | None, tuple[int, int]] = {}
    late_ones: list[Judged] = []
    without_jit(db.session)
    today = len(month_ends) - 1
    for rules_in_force, positions in _positions_by_rules(day_rules, month_ends):
        statement = judged_statement(_people_query(user, unit, on), rules_in_force, month_ends)
        alike: Counter[tuple[int, int, int]] = Counter()
        for row in db.session.execute(statement):
            team, first, until, bits, overdue_key, *_, people = row
            alike[first, until, bits] += people
            if positions[-1] == today and first <= today < until:
                k, n = teams.get(team, (0, 0))
                teams[team] = (k + people * (bits >> today & 1), n + people)
                if overdue_key is not None:
                    late_ones.append(Judged._make(row))
        for (first, until, bits), people in alike.items():
            for position in positions:
                if first <= position < until:
                    in_post[position] += people
                    within[position] += people * (bits >> position & 1)
    names = team_names(teams)
    late_ones.sort(key=lambda row: (-(row.days_overdue or 0), row.name or "", row.staff_id))
    overdue = [
        Overdue(
            row.name or "",
            names.get(row.team_id) if row.team_id is not None else None,
            row.last_session,
            row.interval_days or 0,
            row.days_overdue or 0,
        )
        for row in late_ones
    ]
    by_team = sorted(
        (_line(names.get(team, "Unknown team"), k, n) for team, (k, n) in teams.items()),
        key=lambda row: row.label,
    )
    over_time = [
        PeriodQuantity(period_key("monthly", day), k, n, k / n if n else None)
        for day, k, n in zip(month_ends, within, in_post, strict=True)
    ]
    chart = p_chart(
        [Point(period_label(p.period), p.rate, p.n) for p in over_time],
        measure="Supervision within the required interval",
    )
    k_all = sum(row.k for row in by_team)
    n_all = sum(row.n for row in by_team)
    return Quantity(
        on=on,
        policy=rules.title,
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


def _positions_by_rules(
    day_rules: dict[date, FrequencyRules], days: list[date]
) -> list[tuple[FrequencyRules, list[int]]]:
    """The month ends each profile in force over the year judges (usually one for all):
    one statement for each."""
    found: dict[int, tuple[FrequencyRules, list[int]]] = {}
    for position, day in enumerate(days):
        rules = day_rules[day]
        found.setdefault(id(rules), (rules, []))[1].append(position)
    return list(found.values())


def _line(label: str, k: int, n: int) -> TeamQuantity:
    return TeamQuantity(label, k, n, k / n if n else None)


# staff id, name, team id, role, case-holding, ASYE start, start, leaving; file id, opened,
# closed (None for someone with a line manager and no file)
FileDates = tuple[
    int,
    str,
    int | None,
    str,
    bool,
    date | None,
    date | None,
    date | None,
    int | None,
    date | None,
    date | None,
    float | None,
]


def _people_query(user: Staff, unit: Unit, on: date) -> Select[*FileDates]:
    """Staff with a line manager or a file, in scope, in post at some point in the last 12
    months; `judged_statement` narrows them to each month end."""
    first = months_before(on, MONTHS)
    return (
        select(
            Staff.id.label("staff_id"),
            Staff.name,
            Staff.team_id,
            Staff.role,
            Staff.case_holding,
            Staff.asye_start,
            Staff.start_date,
            Staff.leaving_date,
            SupervisionFile.id.label("file_id"),
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


def _month_ends(on: date) -> list[date]:
    """The last day of each of the last 12 months, the last one being `on` itself."""
    found = []
    for back in range(MONTHS - 1, -1, -1):
        month = months_before(on.replace(day=1), back)
        found.append(min(last_day(month), on))
    return found
