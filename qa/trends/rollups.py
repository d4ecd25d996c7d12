"""Rolling the database's counts up into rates: by period, team, section, question and theme.

Plain Python over the grouped rows from `qa.trends.queries`: the rows are already counts, so
adding them up is exact. Questions are matched by their stable key across tool versions; the
newest version's wording, section and themes are used for each key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from audit_tools.schema import Tool
from qa.clock import today
from qa.trends.filters import PERIOD_WORDS, month_key, period_label, unfinished
from qa.trends.queries import AnswerCount
from trend_maths.statistics import Point, Rebase, SpcChart, p_chart, wilson

K = TypeVar("K", bound=Hashable)
MIN_N = 5  # fewer applicable answers than this say too little to rank a question


@dataclass(frozen=True)
class Rate:
    """k of n meeting the standard: the rate and its 95% Wilson range (None when n = 0)."""

    k: int
    n: int
    estimate: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, k: int, n: int) -> Rate:
        if n == 0:
            return cls(k, n, None, None, None)
        low, high = wilson(k, n)
        return cls(k, n, k / n, low, high)

    @property
    def rate(self) -> float | None:
        return self.estimate


@dataclass(frozen=True)
class QuestionInfo:
    """A question as the trends name it, from the newest tool version that has its key."""

    key: str
    text: str
    section_key: str
    section: str
    themes: tuple[str, ...]
    sensitive: bool
    scale: str
    guidance: str


@dataclass(frozen=True)
class Catalogue:
    """Every question key across the versions of a tool, in the newest version's order."""

    questions: dict[str, QuestionInfo]
    sections: list[tuple[str, str]]
    tools: tuple[Tool, ...]
    themes: Mapping[str, str] = field(default_factory=dict)
    """Theme key -> title, the council profile in force's themes first, in its order."""

    def theme_keys(self) -> dict[str, list[str]]:
        """Theme -> the keys of its questions, for every theme some question has: the
        profile's themes in its order, then any other a question is filed under."""
        used = [theme for q in self.questions.values() for theme in q.themes]
        found: dict[str, list[str]] = {}
        for theme in dict.fromkeys([*(t for t in self.themes if t in used), *used]):
            found[theme] = [q.key for q in self.questions.values() if theme in q.themes]
        return found

    def theme_title(self, key: str) -> str:
        """The title people read for a theme (its key in words if no profile names it)."""
        return self.themes.get(key) or key.replace("_", " ").capitalize()

    def tool_for(self, key: str) -> Tool:
        """The newest tool version that has this question."""
        for tool in self.tools:
            if any(q.key == key for _, q in tool.questions()):
                return tool
        raise KeyError(key)


def catalogue_of(tools: Sequence[Tool], themes: Mapping[str, str] | None = None) -> Catalogue:
    """The catalogue of a tool's versions, given newest first, with the theme titles of the
    council profile in force (`qa.audits.tools.theme_titles`)."""
    questions: dict[str, QuestionInfo] = {}
    sections: dict[str, str] = {}
    for tool in tools:
        for section, question in tool.questions():
            sections.setdefault(section.key, section.title)
            if question.key not in questions:
                questions[question.key] = QuestionInfo(
                    key=question.key,
                    text=question.text,
                    section_key=section.key,
                    section=sections[section.key],
                    themes=question.themes,
                    sensitive=question.sensitive,
                    scale=question.scale,
                    guidance=question.guidance,
                )
    return Catalogue(questions, list(sections.items()), tuple(tools), dict(themes or {}))


@dataclass(frozen=True)
class QuestionRate:
    key: str
    text: str
    section: str
    themes: tuple[str, ...]
    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class SectionRate:
    key: str
    title: str
    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ThemeSummary:
    """A theme's compliance over the range, and what its trend by period says."""

    key: str
    label: str
    k: int
    n: int
    rate: float | None
    low: float | None
    high: float | None
    verdict: str
    verdict_text: str
    chart: SpcChart


def add_up(
    rows: Iterable[AnswerCount],
    key: Callable[[AnswerCount], K],
    where: Callable[[AnswerCount], bool] | None = None,
) -> dict[K, tuple[int, int]]:
    """(k, n) summed for each value of `key`, over the rows `where` keeps."""
    totals: dict[K, tuple[int, int]] = {}
    for row in rows:
        if where is not None and not where(row):
            continue
        group = key(row)
        k, n = totals.get(group, (0, 0))
        totals[group] = (k + row.k, n + row.n)
    return totals


def total(rows: Iterable[AnswerCount]) -> Rate:
    k = n = 0
    for row in rows:
        k, n = k + row.k, n + row.n
    return Rate.of(k, n)


def period_of(kind: str) -> Callable[[AnswerCount], str]:
    return lambda row: month_key(kind, row.year, row.month)


def question_rates(
    rows: Iterable[AnswerCount], catalogue: Catalogue, *, min_n: int = 0
) -> list[QuestionRate]:
    """A rate for every question in the catalogue, in the tool's order (those with fewer
    than `min_n` applicable answers left out)."""
    counts = add_up(rows, lambda row: row.key)
    found = []
    for info in catalogue.questions.values():
        k, n = counts.get(info.key, (0, 0))
        if n < min_n:
            continue
        found.append(question_rate(info, k, n))
    return found


def question_rate(info: QuestionInfo, k: int, n: int) -> QuestionRate:
    rate = Rate.of(k, n)
    return QuestionRate(
        info.key, info.text, info.section, info.themes, k, n, rate.estimate, rate.low, rate.high
    )


def section_rates(rows: Iterable[AnswerCount], catalogue: Catalogue) -> list[SectionRate]:
    sections = {info.key: info.section_key for info in catalogue.questions.values()}
    counts = add_up(rows, lambda row: sections[row.key], lambda row: row.key in sections)
    found = []
    for key, title in catalogue.sections:
        k, n = counts.get(key, (0, 0))
        rate = Rate.of(k, n)
        found.append(SectionRate(key, title, k, n, rate.estimate, rate.low, rate.high))
    return found


def rate_chart(
    rows: Iterable[AnswerCount],
    kind: str,
    periods: Sequence[str],
    measure: str,
    design_effect: float = 1.0,
    rebases: Sequence[Rebase] = (),
    target: float | None = None,
) -> SpcChart:
    """A p-chart of the rows' compliance in each period (a gap where a period has none),
    its limits widened by the answers' design effect where one is given, recalculated from
    each rebase, and with the assurance against a target where one is given."""
    counts = add_up(rows, period_of(kind))
    points = []
    on = today()
    for key in periods:
        k, n = counts.get(key, (0, 0))
        points.append(Point(period_label(key), k / n if n else None, n, unfinished(key, on)))
    return p_chart(
        points,
        measure=measure,
        period=PERIOD_WORDS[kind],
        design_effect=design_effect,
        rebases=rebases,
        target=target,
    )


def theme_summaries(
    rows: Sequence[AnswerCount], catalogue: Catalogue, kind: str, periods: Sequence[str]
) -> list[ThemeSummary]:
    """Each theme's rate, its range, and the verdict of its p-chart by period."""
    found = []
    for theme, keys in catalogue.theme_keys().items():
        wanted = set(keys)
        mine = [row for row in rows if row.key in wanted]
        label = catalogue.theme_title(theme)
        rate = total(mine)
        chart = rate_chart(mine, kind, periods, f"Compliance for {in_sentence(label)}")
        found.append(
            ThemeSummary(
                theme,
                label,
                rate.k,
                rate.n,
                rate.estimate,
                rate.low,
                rate.high,
                chart.verdict,
                chart.verdict_text,
                chart,
            )
        )
    return found


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "the child's voice", but "SMART actions"."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]
