"""The self-evaluation by theme, in the shape inspectors expect: what we know, how we know it,
and what we will do about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qa.clock import today
from qa.org.models import Staff
from qa.trends.context import context_for
from qa.trends.dashboard import selection_text
from qa.trends.filters import Filters
from qa.trends.queries import (
    answer_counts,
    audit_months,
    audits_per_theme,
    moderated_count,
    open_actions_with_short_answers,
)
from qa.trends.rollups import Rate, in_sentence, theme_summaries
from sampling.periods import long_date
from trend_maths.statistics import format_value, wilson


@dataclass(frozen=True)
class ActionLine:
    """An open action that follows from an audit finding this theme short of the standard."""

    description: str
    owner: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class SelfEvaluation:
    """One theme: what we know (`rate`, its range, the trend), how we know (`audits`, how
    they were chosen, the share moderated) and what we will do (`actions`)."""

    theme: str
    label: str
    rate: Rate
    verdict: str
    verdict_text: str
    audits: int
    selection: str
    moderated_share: float | None
    actions: list[ActionLine]
    know: str
    how: str
    do: str


def self_evaluation(user: Staff, filters: Filters) -> list[SelfEvaluation]:
    """One entry per theme the tool's questions are tagged with, in the tool's theme order."""
    ctx = context_for(user, filters)
    rows = answer_counts(ctx.scope)
    summaries = theme_summaries(rows, ctx.catalogue, ctx.filters.period_kind, ctx.periods)
    theme_keys = ctx.catalogue.theme_keys()
    per_theme = audits_per_theme(ctx.scope, theme_keys)
    audits = sum(m.audits for m in audit_months(ctx.scope))
    moderated = moderated_count(ctx.scope)
    share = moderated / audits if audits else None
    chosen = selection_text(ctx, audits)
    on = today()
    actions: dict[str, dict[int, ActionLine]] = {theme: {} for theme in theme_keys}
    for action, key in open_actions_with_short_answers(ctx.scope, ctx.standard):
        info = ctx.catalogue.questions.get(key)
        for theme in info.themes if info else ():
            actions[theme][action.id] = ActionLine(
                action.description, action.owner.name, action.due_on, action.due_on < on
            )
    span = f"from {long_date(ctx.filters.start)} to {long_date(ctx.filters.end)}"
    found = []
    for summary in summaries:
        rate = Rate(summary.k, summary.n, summary.rate, summary.low, summary.high)
        lines = sorted(actions[summary.key].values(), key=lambda a: (a.due_on, a.description))
        found.append(
            SelfEvaluation(
                theme=summary.key,
                label=summary.label,
                rate=rate,
                verdict=summary.verdict,
                verdict_text=summary.verdict_text,
                audits=per_theme.get(summary.key, 0),
                selection=chosen,
                moderated_share=share,
                actions=lines,
                know=_know(summary.label, rate, summary.verdict_text, ctx.unit.label, span),
                how=_how(per_theme.get(summary.key, 0), chosen, moderated, audits),
                do=_do(lines),
            )
        )
    cases = _case_discussions(user, filters, ctx.unit.label)
    return found + ([cases] if cases else [])


def _case_discussions(user: Staff, filters: Filters, unit: str) -> SelfEvaluation | None:
    """How often each case is discussed in supervision, where the council's policy sets an
    interval and cases are recorded: the share within it, its trend, and the cases late."""
    from qa.cases.service import case_discussions  # the case pages build on the trends

    page = case_discussions(user, min(filters.end, today()), filters)
    total = page.total
    if page.policy_sets_none or page.empty or not total.n:
        return None
    low, high = wilson(total.k, total.n)
    rate = Rate(total.k, total.n, total.rate, low, high)
    label = "How often each case is discussed"
    late = page.overdue
    known = (
        f"In {unit}, {format_value(total.k / total.n)} of the open cases the {page.policy} sets "
        f"an interval for had been discussed in supervision within it on {long_date(page.on)} "
        f"({total.k} of {total.n}; 95% range {format_value(low)} to {format_value(high)}). "
        f"{page.chart.verdict_text}"
    )
    how = (
        f"From the {len(page.cases)} open cases and their discussions in supervision, as the "
        "case files imported record them, judged by the status of each case on each day."
    )
    if late:
        worst = late[0]
        do = (
            f"{len(late)} open case{'s are' if len(late) != 1 else ' is'} past their interval, "
            f"the longest by {worst.days_over} days; the Case discussions page lists them for "
            "their supervisors."
        )
    else:
        do = "No open case is past its interval."
    return SelfEvaluation(
        theme="case_discussions",
        label=label,
        rate=rate,
        verdict=page.chart.verdict,
        verdict_text=page.chart.verdict_text,
        audits=0,
        selection="",
        moderated_share=None,
        actions=[],
        know=known,
        how=how,
        do=do,
    )


def _know(label: str, rate: Rate, trend: str, unit: str, span: str) -> str:
    if rate.estimate is None or rate.low is None or rate.high is None:
        return f"No signed-off audit {span} answered the questions on {in_sentence(label)}."
    return (
        f"In {unit}, {format_value(rate.estimate)} of the answers on {in_sentence(label)} met "
        f"the standard {span} ({rate.k} of {rate.n}; 95% range {format_value(rate.low)} to "
        f"{format_value(rate.high)}). {trend}"
    )


def _how(audits: int, chosen: str, moderated: int, total: int) -> str:
    if audits == 0:
        return "There are no signed-off audits to draw on yet."
    files = "audit" if audits == 1 else "audits"
    text = f"From {audits} signed-off {files} that answered these questions. {chosen}"
    if total:
        text += (
            f" {moderated} of the {total} signed-off audits ({format_value(moderated / total)}) "
            "were moderated by a quality assurance officer."
        )
    return text


def _do(lines: list[ActionLine]) -> str:
    if not lines:
        return "No open action follows from an audit that found this theme short of the standard."
    late = sum(1 for line in lines if line.overdue)
    count = f"{len(lines)} open action{'s' if len(lines) != 1 else ''}"
    text = f"{count} follow from audits that found this theme short of the standard"
    if len(lines) == 1:
        text = f"{count} follows from an audit that found this theme short of the standard"
    return text + (f"; {late} overdue." if late else ".")
