"""The figures on a person's home page: how this quarter's audits are getting on, what is
overdue, what waits for sign-off, and the latest verdict of the compliance chart.

Every count is the count of the audits or actions list with the same filters (the list's own
query), so a figure's link leads to a list of exactly that many. The person's part of the
service comes from the access policy: a head of service's figures are their area's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qa.access import may_see_trends, reach_of
from qa.actions.listing import ActionFilters, action_count
from qa.audits.listing import (
    FIGURE_STAGES,
    AuditFilters,
    StageCounts,
    audit_count,
    options_for,
    stage_counts,
)
from qa.clock import today
from qa.lists import Period, read_period
from qa.org.models import Staff
from qa.trends import service as trends
from qa.trends.cache import reuse
from sampling.periods import period_key
from trend_maths.statistics import SpcPoint

LAST_POINTS = 3


@dataclass(frozen=True)
class Count:
    """One figure and the filters of the list behind it."""

    count: int
    args: dict[str, str]


@dataclass(frozen=True)
class Verdict:
    """What the compliance chart of the trends page says about the latest periods."""

    unit_label: str
    verdict: str
    verdict_text: str
    assurance: str
    assurance_text: str
    points: list[SpcPoint]  # the latest, oldest first


@dataclass(frozen=True)
class Figures:
    period: Period
    by_policy: list[StageCounts]
    by_unit: list[StageCounts]
    unit_word: str  # "service area" or "team"
    overdue_audits: Count
    awaiting_sign_off: Count
    overdue_actions: Count
    verdict: Verdict | None

    @property
    def totals(self) -> StageCounts | None:
        """This period's audits, whatever their policy."""
        if not self.by_policy:
            return None
        return StageCounts(
            "All policies",
            AuditFilters(period=self.period.key),
            *(sum(getattr(row, stage) for row in self.by_policy) for stage in FIGURE_STAGES),
        )


def this_quarter(on: date) -> Period:
    found = read_period(period_key("quarterly", on))
    assert isinstance(found, Period)  # a key made by period_key always reads
    return found


def figures_for(user: Staff, on: date | None = None) -> Figures | None:
    """The figures for the person's part of the service, or None when they have none to see
    (the same people who see the trends: managers and QA officers with a part to look at)."""
    if not may_see_trends(user):
        return None
    period = this_quarter(on or today())
    options = options_for(user)
    whole = reach_of(user).whole_service
    by_unit = (
        stage_counts(user, period.key, "area", options.areas)
        if whole
        else stage_counts(user, period.key, "team", options.teams)
    )
    overdue = AuditFilters(overdue=True)
    waiting = AuditFilters(state="waiting")
    late_actions = ActionFilters(overdue=True)
    return Figures(
        period=period,
        by_policy=stage_counts(user, period.key, "policy", options.policies),
        by_unit=by_unit,
        unit_word="service area" if whole else "team",
        overdue_audits=Count(audit_count(user, overdue), overdue.args()),
        awaiting_sign_off=Count(audit_count(user, waiting), waiting.args()),
        overdue_actions=Count(action_count(user, late_actions), late_actions.args()),
        verdict=latest_verdict(user),
    )


def latest_verdict(user: Staff) -> Verdict | None:
    """The compliance chart's verdict for the person's default trends view, as the trends
    page works it out (and keeps it: the home page and the trends page share one result)."""
    filters = trends.default_filters(user)
    board = reuse("dashboard", user, filters, lambda: trends.dashboard(user, filters))
    if board.empty:
        return None
    chart = board.compliance_chart
    points = [p for p in chart.points if p.value is not None][-LAST_POINTS:]
    return Verdict(
        board.unit_label,
        chart.verdict,
        chart.verdict_text,
        chart.assurance,
        chart.assurance_text,
        points,
    )
