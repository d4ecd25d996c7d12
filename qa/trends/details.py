"""Themes and single questions: the weakest questions this period, the biggest changes since
the period before, with the evidence auditors wrote, and one question across the service.

Evidence never includes what a sensitive question recorded: wellbeing content stays on the
auditor's own form (`qa.audits.service.shown_comment`, Haringey 004_fde0c66ff807e5b0.txt).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.audits.service import shown_comment
from qa.org.models import Staff
from qa.trends.context import Context, context_for
from qa.trends.filters import (
    PERIOD_WORDS,
    Filters,
    month_key,
    period_long_label,
)
from qa.trends.queries import (
    AnswerCount,
    answer_counts,
    evidence_comments,
    team_counts,
    team_names,
)
from qa.trends.recalculations import rebases_for
from qa.trends.rollups import (
    MIN_N,
    QuestionInfo,
    QuestionRate,
    Rate,
    ThemeSummary,
    add_up,
    question_rate,
    question_rates,
    rate_chart,
    theme_summaries,
)
from qa.trends.settings import funnel_method
from sampling.periods import period_bounds, previous_period
from trend_maths.charts import funnel_svg, spc_svg
from trend_maths.statistics import ChangeTest, Funnel, SpcChart, funnel, two_proportion_change

WEAKEST = 5
CHANGES = 10
EVIDENCE_PER_QUESTION = 5
SENSITIVE_NOTE = (
    "Comments on this question are not shown: it records only whether something was "
    "discussed, never what was said."
)


class UnknownQuestion(LookupError):
    """The tool has no question with this key in any version."""


@dataclass(frozen=True)
class Change:
    """A question's rate this period against the period before, and whether the change is
    more than chance."""

    question: QuestionRate
    previous: QuestionRate
    test: ChangeTest
    more_than_chance: bool


@dataclass(frozen=True)
class Themes:
    """The themes page: `period` is the latest period in range with signed-off audits."""

    filters: Filters
    unit_label: str
    period: str | None
    period_label: str
    previous_label: str
    audits_answers: int
    weakest: list[QuestionRate]
    changes: list[Change]
    evidence: dict[str, list[str]]
    hidden: frozenset[str]
    themes: list[ThemeSummary]
    min_n: int


@dataclass(frozen=True)
class QuestionDetail:
    """One question across the unit: its rate by period and by team, and the evidence."""

    filters: Filters
    unit_label: str
    question: QuestionInfo
    rate: Rate
    chart: SpcChart
    svg: str
    teams: list[tuple[str, Rate]]
    funnel: Funnel | None
    funnel_svg: str | None
    evidence: list[str]
    evidence_note: str


def themes_page(user: Staff, filters: Filters) -> Themes:
    ctx = context_for(user, filters)
    rows = answer_counts(ctx.scope)
    kind = ctx.filters.period_kind
    themes = theme_summaries(rows, ctx.catalogue, kind, ctx.periods)
    latest = _latest_period(rows, kind, ctx.periods)
    if latest is None:
        return Themes(
            ctx.filters, ctx.unit.label, None, "", "", 0, [], [], {}, frozenset(), themes, MIN_N
        )
    before = previous_period(latest)
    pair = ctx.narrowed(period_bounds(before)[0], period_bounds(latest)[1])
    recent = answer_counts(pair.scope)
    this = [r for r in recent if month_key(kind, r.year, r.month) == latest]
    earlier = [r for r in recent if month_key(kind, r.year, r.month) == before]
    weakest = sorted(
        question_rates(this, ctx.catalogue, min_n=MIN_N), key=lambda q: (q.rate or 0.0, -q.n)
    )[:WEAKEST]
    latest_only = ctx.narrowed(*period_bounds(latest))
    return Themes(
        filters=ctx.filters,
        unit_label=ctx.unit.label,
        period=latest,
        period_label=period_long_label(latest),
        previous_label=period_long_label(before),
        audits_answers=sum(r.n for r in this),
        weakest=weakest,
        changes=_changes(ctx, this, earlier),
        evidence=_evidence(latest_only, [q.key for q in weakest]),
        hidden=frozenset(k for k, q in ctx.catalogue.questions.items() if q.sensitive),
        themes=themes,
        min_n=MIN_N,
    )


def _latest_period(rows: list[AnswerCount], kind: str, periods: list[str]) -> str | None:
    """The latest period with enough answers to rank a question, else the latest with any."""
    counts = add_up(rows, lambda r: (month_key(kind, r.year, r.month), r.key))
    enough = {period for (period, _), (_, n) in counts.items() if n >= MIN_N}
    some = {period for (period, _), (_, n) in counts.items() if n > 0}
    for wanted in (enough, some):
        found = next((key for key in reversed(periods) if key in wanted), None)
        if found is not None:
            return found
    return None


def _changes(ctx: Context, this: list[AnswerCount], earlier: list[AnswerCount]) -> list[Change]:
    now = add_up(this, lambda r: r.key)
    then = add_up(earlier, lambda r: r.key)
    found = []
    for key, info in ctx.catalogue.questions.items():
        k2, n2 = now.get(key, (0, 0))
        k1, n1 = then.get(key, (0, 0))
        if n1 < MIN_N or n2 < MIN_N:
            continue
        test = two_proportion_change(k1, n1, k2, n2)
        found.append(
            Change(question_rate(info, k2, n2), question_rate(info, k1, n1), test, test.significant)
        )
    found.sort(key=lambda c: (not c.more_than_chance, -abs(c.test.difference), c.question.key))
    return found[:CHANGES]


def _evidence(
    ctx: Context, keys: list[str], most: int = EVIDENCE_PER_QUESTION, *, short_only: bool = True
) -> dict[str, list[str]]:
    """Comments on each question (only where the answer fell short, unless `short_only` is
    False, when those come first); none from sensitive ones."""
    wanted = [k for k in keys if not ctx.catalogue.questions[k].sensitive]
    found: dict[str, list[str]] = {key: [] for key in keys}
    if not wanted:
        return found
    for key, comment, meets in evidence_comments(ctx.scope, ctx.standard, wanted):
        if len(found[key]) >= most or (meets and short_only):
            continue
        shown = shown_comment(ctx.catalogue.tool_for(key), key, comment.strip(), False)
        if shown and shown not in found[key]:
            found[key].append(shown)
    return found


def question_detail(user: Staff, key: str, filters: Filters) -> QuestionDetail:
    """One question across the unit; UnknownQuestion if no version of the tool asks it."""
    ctx = context_for(user, filters)
    info = ctx.catalogue.questions.get(key)
    if info is None:
        raise UnknownQuestion(key)
    rows = answer_counts(ctx.scope, keys=[key])
    kind = ctx.filters.period_kind
    word = PERIOD_WORDS[kind]
    rebases = rebases_for(ctx.periods, ctx.unit.team_id)
    chart = rate_chart(rows, kind, ctx.periods, "Compliance with this question", rebases=rebases)
    counts = team_counts(ctx.scope, keys=[key])
    names = team_names(counts)
    teams = sorted(
        ((names.get(team, "Unknown team"), Rate.of(k, n)) for team, (k, n) in counts.items() if n),
        key=lambda item: item[0],
    )
    # One answer per audit: no clustering, so no design effect.
    units = [(label, r.k, r.n) for label, r in teams]
    team_funnel = funnel(units, method=funnel_method()) if len(teams) >= 2 else None
    evidence = [] if info.sensitive else _evidence(ctx, [key], most=10, short_only=False)[key]
    return QuestionDetail(
        filters=ctx.filters,
        unit_label=ctx.unit.label,
        question=info,
        rate=Rate.of(sum(r.k for _, r in teams), sum(r.n for _, r in teams)),
        chart=chart,
        svg=spc_svg(
            chart,
            f"Compliance with this question by {word}, {ctx.unit.label}",
            "percent",
            x_label=word.capitalize(),
            y_label="Compliance",
            chart_id="question-chart",
        ),
        teams=teams,
        funnel=team_funnel,
        funnel_svg=(
            funnel_svg(
                team_funnel,
                f"Compliance with this question by team, {ctx.unit.label}",
                height=440,
                x_label="Number of applicable answers",
                chart_id="question-funnel",
            )
            if team_funnel
            else None
        ),
        evidence=evidence,
        evidence_note=SENSITIVE_NOTE if info.sensitive else "",
    )
