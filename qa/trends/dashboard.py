"""The trends dashboard: compliance, scores, teams, grades, sections, questions, themes,
actions, moderation agreement and the sample estimate for one unit and range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from audit_tools.schema import GRADE_LABELS, GRADES
from qa.clock import today
from qa.org.models import Staff
from qa.selections.models import SelectionRun
from qa.selections.policies import current_policies
from qa.trends.agreement import ModerationSummary, moderation_summary
from qa.trends.context import Context, context_for
from qa.trends.estimate import sample_estimate
from qa.trends.filters import (
    PERIOD_WORDS,
    Filters,
    Unit,
    month_key,
    period_label,
    unfinished,
)
from qa.trends.queries import (
    AnswerCount,
    action_counts,
    answer_counts,
    audit_months,
    audits_by_policy,
    month_clusters,
    outcome_counts,
    runs_behind,
    team_clusters,
    team_names,
)
from qa.trends.recalculations import rebases_for
from qa.trends.rollups import (
    QuestionRate,
    Rate,
    SectionRate,
    ThemeSummary,
    add_up,
    question_rates,
    rate_chart,
    section_rates,
    theme_summaries,
    total,
)
from qa.trends.settings import compliance_target, funnel_method
from sampling.evaluation import StratifiedEstimate
from sampling.periods import period_bounds
from trend_maths.charts import bar_svg, funnel_svg, spc_svg
from trend_maths.statistics import (
    ClusterSums,
    Funnel,
    Point,
    SpcChart,
    design_effect_of_sums,
    funnel,
    xmr_chart,
)


@dataclass(frozen=True)
class ActionCounts:
    """Actions raised and done in the range, and open past their due date today."""

    opened: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class TeamRate:
    """A team's compliance over the range and where it falls on the funnel plot."""

    label: str
    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None
    position: str


@dataclass(frozen=True)
class RunLine:
    """A selection run behind the figures, as the dashboard lists it."""

    id: int
    period_key: str
    policy_key: str
    policy_version: int
    selector_name: str | None
    ran_at: datetime
    seed: str
    frame_hash: str
    frame_size: int

    @classmethod
    def of(cls, run: SelectionRun) -> RunLine:
        return cls(
            run.id,
            run.period_key,
            run.policy_key,
            run.policy_version,
            run.selector.name if run.selector else None,
            run.ran_at,
            run.seed,
            run.frame_hash,
            run.frame_size,
        )


@dataclass(frozen=True)
class PeriodFigures:
    """One period's figures, as the charts show them."""

    key: str
    label: str
    first: date
    last: date
    audits: int
    k: int
    n: int
    compliance: float | None
    score: float | None


@dataclass(frozen=True)
class Dashboard:
    """Everything the trends dashboard shows for one unit and range."""

    filters: Filters
    unit: Unit
    unit_label: str
    period_word: str
    audits: int
    compliance: Rate
    compliance_chart: SpcChart
    compliance_svg: str
    score_chart: SpcChart
    score_svg: str
    funnel: Funnel | None
    funnel_svg: str | None
    teams: list[TeamRate]
    grades: dict[str, int]
    grades_svg: str
    sections: list[SectionRate]
    questions: list[QuestionRate]
    themes: list[ThemeSummary]
    actions: ActionCounts
    moderation: ModerationSummary
    estimate: StratifiedEstimate | None
    estimate_text: str
    runs: list[RunLine]
    policy_titles: dict[str, str]
    selection_text: str
    periods: list[PeriodFigures]

    @property
    def empty(self) -> bool:
        return self.audits == 0


def dashboard(user: Staff, filters: Filters) -> Dashboard:
    """The dashboard for the part of the service the person may see (Forbidden otherwise)."""
    ctx = context_for(user, filters)
    rows = answer_counts(ctx.scope)
    periods = _period_figures(ctx, rows)
    audits = sum(p.audits for p in periods)
    word = PERIOD_WORDS[ctx.filters.period_kind]
    unit = ctx.unit.label
    clusters: dict[str, ClusterSums] = {}
    for (year, month), sums in month_clusters(ctx.scope).items():
        key = month_key(ctx.filters.period_kind, year, month)
        clusters[key] = clusters.get(key, ClusterSums()) + sums
    rebases = rebases_for(ctx.periods, ctx.unit.team_id)
    compliance_chart = rate_chart(
        rows,
        ctx.filters.period_kind,
        ctx.periods,
        "Compliance",
        design_effect_of_sums(clusters.values()),
        rebases,
        compliance_target(),
    )
    score_chart = xmr_chart(
        [Point(p.label, p.score, p.audits, unfinished(p.key, today())) for p in periods],
        measure="The average overall score",
        value_format="percent",
        period=word,
        rebases=rebases,
    )
    teams, team_funnel = _teams(team_clusters(ctx.scope))
    grades = _grades(ctx)
    estimate = sample_estimate(ctx)
    opened, closed, overdue = action_counts(ctx.scope, today())
    return Dashboard(
        filters=ctx.filters,
        unit=ctx.unit,
        unit_label=unit,
        period_word=word,
        audits=audits,
        compliance=total(rows),
        compliance_chart=compliance_chart,
        compliance_svg=spc_svg(
            compliance_chart,
            f"Compliance by {word}, {unit}",
            "percent",
            x_label=word.capitalize(),
            y_label="Compliance",
            chart_id="compliance-chart",
        ),
        score_chart=score_chart,
        score_svg=spc_svg(
            score_chart,
            f"Average overall score by {word}, {unit}",
            "percent",
            x_label=word.capitalize(),
            y_label="Average score",
            chart_id="score-chart",
        ),
        funnel=team_funnel,
        funnel_svg=(
            funnel_svg(
                team_funnel,
                f"Compliance by team, {unit}",
                height=440,
                x_label="Number of applicable answers",
                chart_id="funnel-chart",
            )
            if team_funnel is not None
            else None
        ),
        teams=teams,
        grades=grades,
        grades_svg=bar_svg(
            [(GRADE_LABELS[g], float(grades[g])) for g in GRADES],
            f"Audit outcomes, {unit}",
            "count",
            x_label="Number of audits",
            chart_id="grades-chart",
        ),
        sections=section_rates(rows, ctx.catalogue),
        questions=question_rates(rows, ctx.catalogue),
        themes=theme_summaries(rows, ctx.catalogue, ctx.filters.period_kind, ctx.periods),
        actions=ActionCounts(opened, closed, overdue),
        moderation=moderation_summary(ctx, audits),
        estimate=estimate.estimate,
        estimate_text=estimate.text,
        runs=[RunLine.of(run) for run in runs_behind(ctx.scope)],
        policy_titles={row.key: policy.title for row, policy in current_policies()},
        selection_text=selection_text(ctx, audits),
        periods=periods,
    )


def _period_figures(ctx: Context, rows: list[AnswerCount]) -> list[PeriodFigures]:
    kind = ctx.filters.period_kind
    counts = add_up(rows, lambda row: month_key(kind, row.year, row.month))
    months: dict[str, tuple[int, float, int]] = {}
    for m in audit_months(ctx.scope):
        key = month_key(kind, m.year, m.month)
        audits, score_sum, scored = months.get(key, (0, 0.0, 0))
        months[key] = (audits + m.audits, score_sum + m.score_sum, scored + m.scored)
    found = []
    for key in ctx.periods:
        k, n = counts.get(key, (0, 0))
        audits, score_sum, scored = months.get(key, (0, 0.0, 0))
        first, last = period_bounds(key)
        found.append(
            PeriodFigures(
                key,
                period_label(key),
                first,
                last,
                audits,
                k,
                n,
                k / n if n else None,
                score_sum / scored if scored else None,
            )
        )
    return found


def _teams(counts: dict[int | None, ClusterSums]) -> tuple[list[TeamRate], Funnel | None]:
    names = team_names(counts)
    ordered = sorted(counts.items(), key=lambda item: names.get(item[0], ""))
    units = [(names.get(team, "Unknown team"), sums.k, sums.n) for team, sums in ordered]
    within_teams = design_effect_of_sums(counts.values())
    result = (
        funnel(units, design_effect=within_teams, method=funnel_method())
        if len(units) >= 2
        else None
    )
    positions = {p.label: p.position for p in result.points} if result else {}
    teams = []
    for label, k, n in units:
        rate = Rate.of(k, n)
        teams.append(
            TeamRate(label, k, n, rate.estimate, rate.low, rate.high, positions.get(label, ""))
        )
    return teams, result


def _grades(ctx: Context) -> dict[str, int]:
    counts = outcome_counts(ctx.scope)
    return {grade: counts.get(grade, 0) for grade in GRADES}


def selection_text(ctx: Context, audits: int) -> str:
    """How the signed-off audits were chosen, in words, from their selection runs' policies."""
    if audits == 0:
        return ""
    titles = {row.key: policy.title for row, policy in current_policies()}
    counts = audits_by_policy(ctx.scope)
    parts = [
        f"{count} from the {titles.get(key, key)[:1].lower()}{titles.get(key, key)[1:]}"
        for key, count in sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or ""))
        if key is not None
    ]
    if counts.get(None):
        parts.append(f"{counts[None]} not drawn in a selection (such as re-audits)")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of the {audits} signed-off audits, {listed}."
