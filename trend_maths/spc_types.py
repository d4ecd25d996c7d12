"""The results of the SPC charts: plain frozen values, made by `trend_maths.spc`.

Import them from `trend_maths.statistics`.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVISIONAL_BELOW = 12  # Making Data Count: limits from fewer points are provisional


@dataclass(frozen=True)
class Point:
    """One period's result: a rate or mean score (None if no data) and its denominator.

    `partial` marks a period that is not over yet (the current month): it is drawn, but
    left out of the average, the limits, the rules and the verdict, since a few days'
    results would otherwise read as a signal."""

    label: str
    value: float | None
    n: int = 0
    partial: bool = False


@dataclass(frozen=True)
class Rebase:
    """Limits recalculated from a known change: the first period of the new limits and why."""

    label: str
    reason: str


@dataclass(frozen=True)
class SpcPoint:
    """A point on an SPC chart with its centre, limits and the special-cause rules that flag it.

    `special_cause` lists every rule that flags the point, first the one that gives it its
    type; `direction` is "improvement" or "concern" for a flagged point ("neutral" when
    neither way is better), and "" when it is common cause.
    """

    label: str
    value: float | None
    n: int
    centre: float
    lower: float | None
    upper: float | None
    special_cause: tuple[str, ...]
    direction: str
    partial: bool = False


@dataclass(frozen=True)
class Segment:
    """A stretch of the chart with one centre line: from `start` (a period's label), its
    limits calculated from `basis` values, with `screened` moving ranges left out as
    outliers; `reason` says why the limits were recalculated there ("" for the first)."""

    start: str
    centre: float
    basis: int
    screened: int
    reason: str

    @property
    def provisional(self) -> bool:
        return self.basis < PROVISIONAL_BELOW


@dataclass(frozen=True)
class SpcChart:
    """An XmR or p-chart with its verdict on the most recent period, in words.

    `verdict` is "improving", "concerning", "changing" (a special cause where neither way is
    better), "no significant change" or "not enough data"; `verdict_text` is one sentence that
    says why. With a target, `assurance` is one of ASSURANCE and `assurance_text` says why.
    """

    kind: str
    points: tuple[SpcPoint, ...]
    centre: float
    verdict: str
    verdict_text: str
    higher_is_better: bool | None
    widened: float = 1.0  # a p-chart's limits widened for clustering (1.0: plain binomial)
    segments: tuple[Segment, ...] = ()
    target: float | None = None
    assurance: str = ""
    assurance_text: str = ""

    @property
    def provisional(self) -> bool:
        return bool(self.segments) and self.segments[-1].provisional
