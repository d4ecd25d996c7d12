"""Case discussions: whether each open case has been discussed in supervision as often as
the council profile in force requires, computed from the imported records, never typed.

For the cases held by the staff a person may see (`qa.access.staff_scope`: a practitioner
their own caseload, a team manager their team's, and so on), narrowed to the unit the trend
filters ask for: each open case's last discussion, the interval due for its status, and
whether it is within it (`audit_tools.case_rules.open_case`); the share within their
interval by worker, team and area; the longest overdue; and the share at each of the last 12
month ends, as a p-chart like the quantity of supervision.

The database judges every case at every month end (`qa.cases.discussions_sql`); this module
names the workers, teams and areas and adds the figures up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from audit_tools.case_rules import STATUS_KEYS, STATUS_NAMES, CaseDiscussionRules, CaseInterval
from audit_tools.frequency_rules import Citation
from qa.access import may_see_trends, staff_scope
from qa.cases.discussions_sql import judged_cases
from qa.extensions import db
from qa.org.models import ServiceArea, Staff, Team
from qa.profiles.service import in_force_on
from qa.trends.filters import Filters, Unit, default_filters, last_day, period_label, resolve_unit
from qa.trends.scope import unit_clause
from sampling.periods import months_before, period_key
from trend_maths.charts import bar_svg, spc_svg
from trend_maths.statistics import Point, SpcChart, p_chart

MONTHS = 12
SHOWN_OVERDUE = 100  # the page lists the longest overdue; the spreadsheet lists every case
CASELOAD = "your caseload"


@dataclass(frozen=True)
class Share:
    """`k` of `n` judged cases within their interval."""

    label: str
    k: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.k / self.n if self.n else None


@dataclass(frozen=True)
class CaseLine:
    """One open case on the day, as the page and the spreadsheet show it."""

    reference: str
    worker: str
    team: str
    area: str
    status: str
    allocated_on: date
    last_discussion: date | None
    interval: CaseInterval
    due: date | None
    within: bool | None
    days_over: int

    @property
    def interval_words(self) -> str:
        if self.interval.silent:
            return "Not set by the policy"
        return "Within " + self.interval.words()


@dataclass(frozen=True)
class MonthShare:
    period: str
    k: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.k / self.n if self.n else None


@dataclass(frozen=True)
class CaseDiscussions:
    on: date
    policy: str
    rules: CaseDiscussionRules
    unit_label: str
    own_caseload: bool
    cases: list[CaseLine]
    total: Share
    by_worker: list[Share]
    by_team: list[Share]
    by_area: list[Share]
    over_time: list[MonthShare]
    chart: SpcChart
    chart_svg: str
    bars_svg: str
    bars_by_worker: bool

    @property
    def empty(self) -> bool:
        return not self.cases

    @property
    def policy_sets_none(self) -> bool:
        return all(rule.silent for rule in self.rules.statuses)

    @property
    def not_judged(self) -> int:
        return sum(1 for line in self.cases if line.within is None)

    @property
    def overdue(self) -> list[CaseLine]:
        """Cases past their interval, longest overdue first."""
        late = [line for line in self.cases if line.within is False]
        return sorted(late, key=lambda line: (-line.days_over, line.worker, line.reference))

    @property
    def overdue_shown(self) -> list[CaseLine]:
        return self.overdue[:SHOWN_OVERDUE]

    @property
    def lists_every_case(self) -> bool:
        """The page lists every case (a person's own caseload, or where nothing is judged),
        not only the overdue ones."""
        return self.own_caseload or self.policy_sets_none


@dataclass(frozen=True)
class _Worker:
    name: str
    team_id: int | None
    area_id: int | None


def may_see_caseloads(user: Staff) -> bool:
    """Whether the figures cover a part of the service (the trend filters apply) rather than
    the person's own caseload."""
    return may_see_trends(user)


def _unit(user: Staff, filters: Filters | None, on: date) -> Unit | None:
    """The unit the figures cover, or None for a person who sees only their own caseload."""
    if not may_see_caseloads(user):
        return None
    return resolve_unit(user, filters or default_filters(user, on))


def case_discussions(user: Staff, on: date, filters: Filters | None = None) -> CaseDiscussions:
    """Every open case held on `on` by the staff the person may see, in the unit asked for."""
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
    rules_by_day = [in_force_on(day).profile.case_discussions for day in month_ends]
    profile = in_force_on(on).profile
    team_names, area_names = _names(workers.values())
    standing, counts = judged_cases(
        workers_query.with_only_columns(Staff.id), rules_by_day, month_ends
    )
    lines: list[CaseLine] = []
    for found in standing:
        worker = workers[found.worker_id]
        lines.append(
            CaseLine(
                reference=found.reference,
                worker=worker.name,
                team=team_names.get(worker.team_id, "Not in a team"),
                area=area_names.get(worker.area_id, "Not in a service area"),
                status=STATUS_NAMES.get(found.status, found.status),
                allocated_on=found.allocated_on,
                last_discussion=found.last_discussion,
                interval=_interval(profile.case_discussions, found.status, found.from_allocation),
                due=found.due,
                within=found.within,
                days_over=found.days_over,
            )
        )
    lines.sort(key=lambda line: (line.worker, line.reference))
    over_time = [
        MonthShare(period_key("monthly", day), k, n)
        for day, (k, n) in zip(month_ends, counts, strict=True)
    ]
    label = CASELOAD if unit is None else unit.label
    chart = p_chart(
        [Point(period_label(m.period), m.rate, m.n) for m in over_time],
        measure="Cases discussed within their interval",
    )
    by_team = _shares(lines, lambda line: line.team)
    by_worker = _shares(lines, lambda line: line.worker)
    bars = by_worker if len(by_team) <= 1 else by_team
    return CaseDiscussions(
        on=on,
        policy=profile.policy,
        rules=profile.case_discussions,
        unit_label=label,
        own_caseload=unit is None,
        cases=lines,
        total=_share(label, lines),
        by_worker=by_worker,
        by_team=by_team,
        by_area=_shares(lines, lambda line: line.area),
        over_time=over_time,
        chart=chart,
        chart_svg=spc_svg(
            chart,
            f"Open cases discussed within their interval by month, {label}",
            "percent",
            x_label="Month end",
            y_label="Discussed in time",
            chart_id="case-discussions-chart",
        ),
        bars_svg=bar_svg(
            [(share.label, share.rate) for share in bars],
            f"Open cases discussed within their interval by "
            f"{'worker' if bars is by_worker else 'team'}, {label}",
            "percent",
            x_label="Discussed within the interval",
            chart_id="case-discussions-bars",
        ),
        bars_by_worker=bars is by_worker,
    )


def _month_ends(on: date) -> list[date]:
    """The last day of each of the last 12 months, the last one being `on` itself."""
    found = []
    for back in range(MONTHS - 1, -1, -1):
        month = months_before(on.replace(day=1), back)
        found.append(min(last_day(month), on))
    return found


def _interval(rules: CaseDiscussionRules, status: str, from_allocation: bool) -> CaseInterval:
    """The interval the status gives from an allocation or transfer, or from a discussion
    (`audit_tools.case_rules.open_case`); not set for a closed case or one with no status."""
    if status not in STATUS_KEYS:
        return CaseInterval(None, "days", Citation(source="", quote=""))
    rule = rules.rule(status)
    return rule.first if from_allocation else rule.between


def _names(workers: Iterable[_Worker]) -> tuple[dict[int | None, str], dict[int | None, str]]:
    chosen = list(workers)
    team_ids = sorted({w.team_id for w in chosen if w.team_id is not None})
    area_ids = sorted({w.area_id for w in chosen if w.area_id is not None})
    teams: dict[int | None, str] = {}
    areas: dict[int | None, str] = {}
    if team_ids:
        rows = db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids)))
        teams.update({team_id: f"{name} team" for team_id, name in rows})
    if area_ids:
        rows = db.session.execute(
            select(ServiceArea.id, ServiceArea.name).where(ServiceArea.id.in_(area_ids))
        )
        areas.update({area_id: f"{name} service area" for area_id, name in rows})
    return teams, areas


def _share(label: str, lines: Sequence[CaseLine]) -> Share:
    judged = [line for line in lines if line.within is not None]
    return Share(label, sum(1 for line in judged if line.within), len(judged))


def _shares(lines: Sequence[CaseLine], key: Callable[[CaseLine], str]) -> list[Share]:
    groups: dict[str, list[CaseLine]] = defaultdict(list)
    for line in lines:
        groups[key(line)].append(line)
    return [_share(label, groups[label]) for label in sorted(groups)]
