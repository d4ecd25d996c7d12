"""Statistical process control charts as NHS England's "Making Data Count" draws them.

An XmR chart (for mean scores) or a p-chart (for rates) draws limits from the data itself, and
four special-cause rules (in `trend_maths.spc_rules`) say when a change is more than everyday
variation. The method follows NHSRplotthedots, the NHS-R community's implementation of Making
Data Count, with its defaults: moving ranges of 3.267 times their average or more are left
out before the XmR limits are drawn; runs of seven make a shift or a trend; each point has one
type, from the first rule that flags it; the verdict is the most recent point's type. Limits
can be recalculated from a known change (a rebase, with its reason), and a target gets the
assurance verdict: consistently passing, hit and miss, or consistently failing.

Public names are re-exported by `trend_maths.statistics`; import them from there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from trend_maths.spc_rules import RULES, Band, Lengths, Signal, point_types, signals
from trend_maths.spc_types import Point, Rebase, Segment, SpcChart, SpcPoint
from trend_maths.spc_words import (
    Options,
    Wording,
    assurance_verdict,
    direction_of,
    limits_note,
    verdict_of,
)

XMR_SCALING = 2.66  # 3 / d2, where d2 = 1.128 for moving ranges of two points
SCREEN_AT = 3.267  # D4 for ranges of two: a moving range this many times the average is left out


def xmr_chart(
    points: Sequence[Point],
    higher_is_better: bool | None = True,
    baseline: int | None = None,
    *,
    shift_length: int = 7,
    trend_length: int = 7,
    screen_outliers: bool = True,
    rebases: Sequence[Rebase] = (),
    target: float | None = None,
    measure: str = "The average score",
    value_format: str = "score",
    period: str = "month",
) -> SpcChart:
    """XmR (individuals) chart: centre = mean, limits = mean ± 2.66 × mean moving range.

    The Making Data Count method, as NHSRplotthedots computes it. Moving ranges of 3.267
    times their average or more are left out and the average taken again before the limits
    are drawn (`screen_outliers`), so one bad month does not widen every month's limits.
    Periods without a value are skipped (the moving range joins the values either side of
    the gap). `baseline` fixes each segment's centre and limits from its first `baseline`
    periods with values; `rebases` start a new segment, with its own limits, at the periods
    they name. Limits from fewer than a dozen values are provisional, and the verdict says so.
    `higher_is_better` None means neither direction is better.
    """
    options = _options(
        higher_is_better, shift_length, trend_length, measure, period, value_format, rebases, target
    )
    if baseline is not None and baseline < 2:
        raise ValueError("A baseline needs at least 2 periods with values")
    usable = [i for i, point in enumerate(points) if point.value is not None and not point.partial]
    _check(points, usable, rate=False)
    if len(usable) < 2:
        return _not_enough("xmr", points, [_value(points[i]) for i in usable], options)
    groups = _groups(points, usable, options.rebases)
    bands: list[Band | None] = [None] * len(points)
    segments = []
    for first, members, reason in groups:
        basis = [_value(points[i]) for i in members[:baseline]]
        segment, limits = _xmr_limits(points[first].label, basis, screen_outliers, reason)
        segments.append(segment)
        for i in range(first, _next_start(groups, first, len(points))):
            bands[i] = limits if len(basis) >= 2 else None
    return _chart("xmr", points, bands, groups, segments, options)


def p_chart(
    points: Sequence[Point],
    higher_is_better: bool | None = True,
    *,
    shift_length: int = 7,
    trend_length: int = 7,
    rebases: Sequence[Rebase] = (),
    target: float | None = None,
    measure: str = "Compliance",
    period: str = "month",
    design_effect: float = 1.0,
) -> SpcChart:
    """p-chart for rates: centre p̄ = Σk / Σn, limits p̄ ± 3√(p̄(1 − p̄) / nᵢ) clipped to [0, 1].

    The Making Data Count method for proportions: each point's value is its rate and n its
    denominator, so the limits step in and out with the number audited. A period with n = 0
    has no limits and is never flagged. `rebases` start a new segment with its own p̄.

    When the counted items come in clusters (the answers of one audit go together), pass the
    `design_effect` measured within the periods (`design_effect` in `trend_maths.statistics`):
    above 1, every limit is p̄ ± 3√(design effect · p̄(1 − p̄) / nᵢ). This goes further than
    Making Data Count, which assumes independent answers; as Shewhart asks, the limits then
    come from the variation inside each period, not between periods, so a real change cannot
    widen its own limits. Limits are never made narrower than the binomial's.
    """
    options = _options(
        higher_is_better, shift_length, trend_length, measure, period, "percent", rebases, target
    )
    usable = [
        i
        for i, point in enumerate(points)
        if point.value is not None and point.n > 0 and not point.partial
    ]
    _check(points, usable, rate=True)
    if len(usable) < 2:
        return _not_enough("p", points, [_value(points[i]) for i in usable], options)
    widened = math.sqrt(design_effect) if design_effect > 1.0 else 1.0
    if widened > 1.0:
        options = replace(
            options,
            note=(
                f"the limits are {_times(widened)} as wide as for independent answers, "
                f"because the answers of one audit tend to go together"
            ),
        )
    groups = _groups(points, usable, options.rebases)
    bands: list[Band | None] = [None] * len(points)
    segments = []
    for first, members, reason in groups:
        total = sum(points[i].n for i in members)
        centre = math.fsum(_value(points[i]) * points[i].n for i in members) / (total or 1)
        segments.append(Segment(points[first].label, centre, len(members), 0, reason))
        for i in range(first, _next_start(groups, first, len(points))):
            bands[i] = _binomial_band(centre, points[i].n, widened) if len(members) >= 2 else None
    chart = _chart("p", points, bands, groups, segments, options)
    return replace(chart, widened=widened)


def _times(widened: float) -> str:
    """ "1.4 times", or "1.02 times" where one decimal would read as no widening at all."""
    return f"{widened:.1f} times" if round(widened, 1) > 1.0 else f"{widened:.2f} times"


def _options(
    higher: bool | None,
    shift_length: int,
    trend_length: int,
    measure: str,
    period: str,
    value_format: str,
    rebases: Sequence[Rebase],
    target: float | None,
) -> Options:
    if target is not None and not math.isfinite(target):
        raise ValueError(f"The target must be a number, not {target}")
    wording = Wording(measure, period, value_format)
    return Options(higher, Lengths(shift_length, trend_length), wording, tuple(rebases), target)


def _groups(
    points: Sequence[Point], usable: list[int], rebases: tuple[Rebase, ...]
) -> list[tuple[int, list[int], str]]:
    """The segments as (first position, positions with values, reason), split at rebases."""
    labels = [point.label for point in points]
    starts = {0: ""}
    for rebase in rebases:
        if rebase.label not in labels:
            raise ValueError(f"There is no period {rebase.label!r} to recalculate the limits from")
        starts[labels.index(rebase.label)] = rebase.reason
    ordered = sorted(starts)
    groups = []
    for first, end in zip(ordered, [*ordered[1:], len(points)], strict=True):
        groups.append((first, [i for i in usable if first <= i < end], starts[first]))
    return groups


def _next_start(groups: list[tuple[int, list[int], str]], first: int, count: int) -> int:
    later = [start for start, _, _ in groups if start > first]
    return later[0] if later else count


def _xmr_limits(start: str, basis: list[float], screen: bool, reason: str) -> tuple[Segment, Band]:
    """A segment's centre and limits from its basis values, screening outlying ranges."""
    centre = math.fsum(basis) / len(basis) if basis else 0.0
    ranges = [abs(later - earlier) for earlier, later in pairwise(basis)]
    average = math.fsum(ranges) / len(ranges) if ranges else 0.0
    kept = [r for r in ranges if r < SCREEN_AT * average] if screen else ranges
    if kept:
        average = math.fsum(kept) / len(kept)
    spread = XMR_SCALING * average
    segment = Segment(start, centre, len(basis), len(ranges) - len(kept), reason)
    return segment, Band(centre, centre - spread, centre + spread, spread / 3)


def _binomial_band(centre: float, n: int, widened: float = 1.0) -> Band | None:
    if n <= 0:
        return None
    sigma = widened * math.sqrt(centre * (1 - centre) / n)
    return Band(centre, max(0.0, centre - 3 * sigma), min(1.0, centre + 3 * sigma), sigma)


def _check(points: Sequence[Point], usable: list[int], rate: bool) -> None:
    for point in points:
        if point.n < 0:
            raise ValueError(f"{point.label}: the number audited cannot be negative")
    for i in usable:
        value = _value(points[i])
        if not math.isfinite(value):
            raise ValueError(f"{points[i].label}: {value} is not a number")
        if rate and not 0 <= value <= 1:
            raise ValueError(f"{points[i].label}: a rate must be between 0 and 1, not {value}")


def _value(point: Point) -> float:
    if point.value is None:
        raise ValueError(f"{point.label} has no value")
    return float(point.value)


def _not_enough(
    kind: str, points: Sequence[Point], basis: list[float], options: Options
) -> SpcChart:
    centre = math.fsum(basis) / len(basis) if basis else 0.0
    plain = tuple(
        SpcPoint(p.label, p.value, p.n, centre, None, None, (), "", p.partial) for p in points
    )
    wording = options.wording
    text = (
        f"{wording.measure}: there is not enough data to tell whether it is changing, as at "
        f"least two {wording.periods(2)} with results are needed."
    )
    return SpcChart(
        kind, plain, centre, "not enough data", text, options.higher, target=options.target
    )


def _chart(
    kind: str,
    points: Sequence[Point],
    bands: list[Band | None],
    groups: list[tuple[int, list[int], str]],
    segments: list[Segment],
    options: Options,
) -> SpcChart:
    """Apply the rules within each segment, give each point its type, and read the verdicts."""
    found: dict[int, list[Signal]] = {}
    decided: dict[int, Signal] = {}
    for _, members, _ in groups:
        flaggable = [i for i in members if bands[i] is not None]
        values = [_value(points[i]) for i in flaggable]
        segment_bands = [band for i in flaggable if (band := bands[i]) is not None]
        local = signals(values, segment_bands, options.lengths)
        mapped = [Signal(s.rule, tuple(flaggable[j] for j in s.indices), s.side) for s in local]
        for each in mapped:
            for i in each.indices:
                found.setdefault(i, []).append(each)
        for j, deciding in enumerate(point_types(len(flaggable), local)):
            if deciding is not None:
                decided[flaggable[j]] = mapped[local.index(deciding)]
    spc_points = tuple(
        _spc_point(
            point,
            bands[i],
            segments[_segment_of(groups, i)].centre,
            found.get(i, []),
            decided.get(i),
            options.higher,
        )
        for i, point in enumerate(points)
    )
    latest = max(i for _, members, _ in groups for i in members)
    current = segments[_segment_of(groups, latest)]
    note = limits_note(current, options.wording, options.note)
    verdict, text = verdict_of(decided.get(latest), points, bands, current, options, note)
    if bands[latest] is None:
        words = options.wording
        verdict, text = (
            "not enough data",
            (
                f"{words.measure}: there is not enough data since the limits were recalculated "
                f"from {current.start} to tell whether it is changing, as at least two "
                f"{words.periods(2)} with results are needed."
            ),
        )
    text += _left_out(points, latest)
    assurance, assurance_text = assurance_verdict(bands[latest], options)
    return SpcChart(
        kind,
        spc_points,
        current.centre,
        verdict,
        text,
        options.higher,
        segments=tuple(segments),
        target=options.target,
        assurance=assurance,
        assurance_text=assurance_text,
    )


def _left_out(points: Sequence[Point], latest: int) -> str:
    """Says which later periods are not over yet, and so not read by the verdict."""
    later = [p.label for p in points[latest + 1 :] if p.partial and p.value is not None]
    if not later:
        return ""
    return f" {' and '.join(later)} is not complete yet, so it is left out."


def _segment_of(groups: list[tuple[int, list[int], str]], index: int) -> int:
    return max(k for k, (first, _, _) in enumerate(groups) if first <= index)


def _spc_point(
    point: Point,
    band: Band | None,
    centre: float,
    flags: list[Signal],
    decided: Signal | None,
    higher: bool | None,
) -> SpcPoint:
    rules = [decided.rule] if decided else []
    rules += [rule for rule in RULES if rule not in rules and any(s.rule == rule for s in flags)]
    return SpcPoint(
        label=point.label,
        value=point.value,
        n=point.n,
        centre=centre,
        lower=band.lower if band else None,
        upper=band.upper if band else None,
        special_cause=tuple(rules),
        direction=direction_of(decided.side, higher) if decided else "",
        partial=point.partial,
    )
