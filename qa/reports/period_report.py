"""The period quality report: one month, quarter or half-year for one part of the service,
for heads of service and scrutiny boards.

Every figure comes from `qa.trends.service`, so the report and the trends pages always agree
and the access policy applies in the same way: the chosen period's dashboard for the
headline figures, a longer run of periods for the SPC charts, the themes for the period, and
the quantity of supervision at the period's end. The method statement says how the files
were chosen (with each selection re-checked from its seed and frozen frames as the report is
made) and which statistics were used.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from sqlalchemy import select

from qa.audits.tools import get_tool
from qa.cases.service import CaseDiscussions, case_discussions
from qa.clock import today
from qa.extensions import db
from qa.org.models import Staff
from qa.reports.method import VERIFY_STEPS, SelectionStatement, selection_statement
from qa.reports.models import PeriodReport
from qa.reports.pdf import render_pdf
from qa.selections.models import SamplingPolicy, SelectionRun
from qa.selections.policies import current_policies
from qa.trends.filters import PERIOD_KINDS, PERIOD_WORDS, Filters, period_long_label
from qa.trends.service import (
    Dashboard,
    PeriodFigures,
    Quantity,
    Themes,
    dashboard,
    quantity,
    themes_page,
)
from sampling.periods import period_bounds, period_key, previous_period
from sampling.verify import verify
from trend_maths.statistics import RULES, SpcChart, wilson

HISTORY = {"month": 12, "quarter": 8, "half": 6}
"""How many periods (the report's own and those before it) the SPC charts show."""

RULE_WORDS = {
    "outside_limits": "a point outside the process limits",
    "shift": "a shift: seven or more points in a row on one side of the average",
    "trend": "a trend: seven or more points in a row going up, or going down",
    "two_of_three": (
        "two or three of three points in a row close to a process limit (beyond two sigma "
        "but within the limit), with all three on that side of the average"
    ),
}
SHORT_RULE_WORDS = {
    "outside_limits": "outside the limits",
    "shift": "a shift",
    "trend": "a trend",
    "two_of_three": "two of three near a limit",
}


@dataclass(frozen=True)
class CheckedRun:
    """A selection run as the method statement tells it, re-checked as the report is made."""

    statement: SelectionStatement
    matches: bool


@dataclass(frozen=True)
class PolicyLine:
    title: str
    version: int
    description: str


@dataclass(frozen=True)
class ChartRow:
    """One period of an SPC chart, for the table of the chart's data."""

    label: str
    audits: int
    k: int
    n: int
    value: float | None
    centre: float
    lower: float | None
    upper: float | None
    signal: str


def chart_rows(periods: list[PeriodFigures], chart: SpcChart, measure: str) -> list[ChartRow]:
    """The chart's points beside the periods' counts; `measure` is "compliance" or "score"."""
    rows = []
    for figures, point in zip(periods, chart.points, strict=True):
        rows.append(
            ChartRow(
                label=figures.label,
                audits=figures.audits,
                k=figures.k,
                n=figures.n,
                value=figures.compliance if measure == "compliance" else figures.score,
                centre=point.centre,
                lower=point.lower,
                upper=point.upper,
                signal=signal_words(point.special_cause, point.direction),
            )
        )
    return rows


def signal_words(rules: tuple[str, ...], direction: str) -> str:
    if not rules:
        return "Common cause"
    meaning = {"improvement": "Improvement", "concern": "Concern"}.get(direction, "Special cause")
    return f"{meaning}: " + "; ".join(SHORT_RULE_WORDS[r] for r in rules)


@dataclass(frozen=True)
class ThemeRow:
    """A theme's figures for the report's period, with what its chart over the periods
    before says."""

    label: str
    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None
    verdict_text: str


@dataclass(frozen=True)
class MonthRow:
    label: str
    k: int
    n: int
    rate: float | None


@dataclass(frozen=True)
class PeriodReportData:
    """Everything the period report shows."""

    period_key: str
    period_label: str
    period_word: str
    first: date
    last: date
    unit_label: str
    requested_by: Staff
    current: Dashboard
    history: Dashboard
    this_period: PeriodFigures | None
    previous: PeriodFigures | None
    themes: Themes
    supervision: Quantity
    runs: list[CheckedRun]
    policies: list[PolicyLine]
    overdue_by_team: list[tuple[str, int]]
    compliance_rows: list[ChartRow]
    score_rows: list[ChartRow]
    theme_rows: list[ThemeRow]
    quantity_rows: list[MonthRow]
    cases: CaseDiscussions
    case_rows: list[MonthRow]
    supervised_range: tuple[float, float] | None
    sensitive_keys: frozenset[str]


def report_period(filters: Filters) -> str:
    """The key of the period the report is for: the one holding the filters' end."""
    return period_key(PERIOD_KINDS[filters.period_kind], filters.end)


def history_filters(filters: Filters) -> Filters:
    """The same unit over the report's period and the ones before it, for the SPC charts."""
    key = report_period(filters)
    for _ in range(HISTORY[filters.period_kind] - 1):
        key = previous_period(key)
    return replace(filters, start=period_bounds(key)[0])


def gather(user: Staff, filters: Filters) -> PeriodReportData:
    """Read every figure the report shows, for the person as the access policy allows."""
    key = report_period(filters)
    current = dashboard(user, filters)
    history = dashboard(user, history_filters(filters))
    figures = {p.key: p for p in history.periods}
    runs = _runs([line.id for line in current.runs])
    on = min(filters.end, today())
    supervision = quantity(user, on, filters)
    cases = case_discussions(user, on, filters)
    return PeriodReportData(
        period_key=key,
        period_label=period_long_label(key),
        period_word=PERIOD_WORDS[filters.period_kind],
        first=filters.start,
        last=filters.end,
        unit_label=current.unit_label,
        requested_by=user,
        current=current,
        history=history,
        this_period=figures.get(key),
        previous=figures.get(previous_period(key)),
        themes=themes_page(user, filters),
        supervision=supervision,
        runs=[_checked(run) for run in runs],
        policies=_policies(runs),
        overdue_by_team=_overdue_by_team(supervision),
        compliance_rows=chart_rows(history.periods, history.compliance_chart, "compliance"),
        score_rows=chart_rows(history.periods, history.score_chart, "score"),
        theme_rows=_theme_rows(current, history),
        quantity_rows=[
            MonthRow(period_long_label(p.period), p.k, p.n, p.rate) for p in supervision.over_time
        ],
        cases=cases,
        case_rows=[
            MonthRow(period_long_label(m.period), m.k, m.n, m.rate) for m in cases.over_time
        ],
        supervised_range=(
            wilson(supervision.total.k, supervision.total.n) if supervision.total.n else None
        ),
        sensitive_keys=frozenset(
            q.key for _, q in get_tool(filters.tool_id).questions() if q.sensitive
        ),
    )


def _theme_rows(current: Dashboard, history: Dashboard) -> list[ThemeRow]:
    verdicts = {t.key: t.verdict_text for t in history.themes}
    return [
        ThemeRow(t.label, t.k, t.n, t.rate, t.low, t.high, verdicts.get(t.key, t.verdict_text))
        for t in current.themes
    ]


def _runs(ids: list[int]) -> list[SelectionRun]:
    """The selection runs behind the figures, in the dashboard's order."""
    found = {
        run.id: run
        for run in db.session.scalars(select(SelectionRun).where(SelectionRun.id.in_(ids)))
    }
    return [found[run_id] for run_id in ids if run_id in found]


def _checked(run: SelectionRun) -> CheckedRun:
    """The run's statement, and whether its draw re-runs to the same files from its seed."""
    result = verify(run.seed, run.draw_records, run.frame_hash)
    return CheckedRun(selection_statement(run), result.matches)


def _policies(runs: list[SelectionRun]) -> list[PolicyLine]:
    """The policy versions the runs used; the current versions when there are no runs."""
    if runs:
        wanted = sorted({(run.policy_key, run.policy_version) for run in runs})
        rows = [
            row
            for key, version in wanted
            if (
                row := db.session.scalar(
                    select(SamplingPolicy).where(
                        SamplingPolicy.key == key, SamplingPolicy.version == version
                    )
                )
            )
            is not None
        ]
    else:
        rows = [row for row, _ in current_policies()]
    return [
        PolicyLine(
            str(row.values.get("title", row.key)),
            row.version,
            str(row.values.get("description", "")),
        )
        for row in rows
    ]


def _overdue_by_team(supervision: Quantity) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in supervision.overdue:
        team = row.team or "Not in a team"
        counts[team] = counts.get(team, 0) + 1
    return sorted(counts.items())


def make_period_pdf(user: Staff, filters: Filters, report: PeriodReport) -> bytes:
    """The report as PDF bytes, dated when it was asked for."""
    data = gather(user, filters)
    return render_pdf(
        "pdf/period.html",
        made_at=report.requested_at,
        reference=f"period-report-{report.id}",
        report=data,
        made_at_time=report.requested_at,
        reference_text=f"Quality report {report.id}, {data.period_key}",
        verify_steps=VERIFY_STEPS,
        rule_words=[RULE_WORDS[r] for r in RULES],
        council=current_app.config["COUNCIL_NAME"],
    )
