"""Statistical process control charts in the style of NHS England's "Making Data Count".

An XmR chart (for mean scores) or a p-chart (for rates) draws limits from the data itself, and
four special-cause rules say when a change is more than everyday variation: a point outside
the limits, a shift (a run of points on one side of the centre line), a trend (a run of points
each higher, or each lower, than the last) and two of three points close to a limit. The
verdict reads the most recent points, so a head of service can tell signal from noise.

Public names are re-exported by `trend_maths.statistics`; import them from there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

RULES = ("outside_limits", "shift", "trend", "two_of_three")
XMR_SCALING = 2.66  # 3 / d2, where d2 = 1.128 for moving ranges of two points
PROVISIONAL_BELOW = 12  # Making Data Count: limits from fewer points are provisional
_REASON_PRIORITY = ("shift", "trend", "outside_limits", "two_of_three")


@dataclass(frozen=True)
class Point:
    """One period's result: a rate or mean score (None if no data) and its denominator."""

    label: str
    value: float | None
    n: int = 0


@dataclass(frozen=True)
class SpcPoint:
    """A point on an SPC chart with its limits and the special-cause rules that flag it.

    `direction` is "improvement" or "concern" for a flagged point, "neutral" when rules flag
    it in opposite directions (say, high but falling), and "" when it is common cause.
    """

    label: str
    value: float | None
    n: int
    centre: float
    lower: float | None
    upper: float | None
    special_cause: tuple[str, ...]
    direction: str


@dataclass(frozen=True)
class SpcChart:
    """An XmR or p-chart with its verdict on the most recent periods, in words.

    `verdict` is "improving", "concerning", "no significant change" or "not enough data";
    `verdict_text` is one sentence that says why.
    """

    kind: str
    points: tuple[SpcPoint, ...]
    centre: float
    verdict: str
    verdict_text: str
    higher_is_better: bool
    widened: float = 1.0  # a p-chart's limits widened for clustering (1.0: plain binomial)


@dataclass(frozen=True)
class _Band:
    """Control limits at one point (clipped, as drawn) and its sigma for the two-of-three rule."""

    lower: float | None
    upper: float | None
    sigma: float


@dataclass(frozen=True)
class _Signal:
    """One firing of a special-cause rule: the points it covers and its side (+1 up, -1 down)."""

    rule: str
    indices: tuple[int, ...]
    side: int


@dataclass(frozen=True)
class _Rules:
    """How long a run must be to count as a shift or a trend."""

    shift_length: int
    trend_length: int

    def __post_init__(self) -> None:
        if self.shift_length < 2 or self.trend_length < 2:
            raise ValueError("A shift or a trend needs a run of at least 2 points")


@dataclass(frozen=True)
class _Wording:
    """What the verdict calls the measure and the periods, and how its values read."""

    measure: str
    period: str
    value_format: str

    def periods(self, count: int) -> str:
        return self.period if count == 1 else self.period + "s"

    def value(self, value: float) -> str:
        return format_value(value, self.value_format)


def format_value(value: float, value_format: str = "percent") -> str:
    """A rate as a whole percentage ("64%"), or a score to at most two decimals ("2.5")."""
    if value_format == "percent":
        return f"{round(value * 100):d}%"
    if value_format == "score":
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    raise ValueError(f"Unknown value format {value_format!r}: use 'percent' or 'score'")


def xmr_chart(
    points: Sequence[Point],
    higher_is_better: bool = True,
    baseline: int | None = None,
    *,
    shift_length: int = 7,
    trend_length: int = 6,
    measure: str = "The average score",
    value_format: str = "score",
    period: str = "month",
) -> SpcChart:
    """XmR (individuals) chart: centre = mean, limits = mean ± 2.66 × mean moving range.

    The Making Data Count method. Periods without a value are skipped (the moving range joins
    the values either side of the gap). `baseline` fixes the centre and limits from the first
    `baseline` periods with values, so that later periods are judged against them. Limits
    from fewer than a dozen values are provisional, and the verdict says so.
    """
    rules = _Rules(shift_length, trend_length)
    wording = _Wording(measure, period, value_format)
    usable = [i for i, point in enumerate(points) if point.value is not None]
    _check(points, usable, rate=False)
    if baseline is not None and baseline < 2:
        raise ValueError("A baseline needs at least 2 periods with values")
    basis = [_value(points[i]) for i in usable[:baseline]]
    if len(basis) < 2:
        return _not_enough("xmr", points, basis, higher_is_better, wording)
    centre = math.fsum(basis) / len(basis)
    moving_ranges = [abs(later - earlier) for earlier, later in pairwise(basis)]
    spread = XMR_SCALING * math.fsum(moving_ranges) / len(moving_ranges)
    band = _Band(centre - spread, centre + spread, spread / 3)
    note = ""
    if len(basis) < PROVISIONAL_BELOW:
        note = f" (the limits are provisional, from only {len(basis)} {wording.periods(2)})"
    bands = [band] * len(points)
    return _chart("xmr", points, centre, bands, usable, higher_is_better, rules, wording, note)


def p_chart(
    points: Sequence[Point],
    higher_is_better: bool = True,
    *,
    shift_length: int = 7,
    trend_length: int = 6,
    measure: str = "Compliance",
    period: str = "month",
    design_effect: float = 1.0,
) -> SpcChart:
    """p-chart for rates: centre p̄ = Σk / Σn, limits p̄ ± 3√(p̄(1 − p̄) / nᵢ) clipped to [0, 1].

    The Making Data Count method for proportions: each point's value is its rate and n its
    denominator, so the limits step in and out with the number audited. A period with n = 0
    has no limits and is never flagged.

    When the counted items come in clusters (the answers of one audit go together), pass the
    `design_effect` measured within the periods (`design_effect` in `trend_maths.statistics`):
    above 1, every limit is p̄ ± 3√(design effect · p̄(1 − p̄) / nᵢ). As Shewhart asks, the
    limits then come from the variation inside each period, not between periods, so a real
    change cannot widen its own limits. Limits are never made narrower than the binomial's.
    """
    rules = _Rules(shift_length, trend_length)
    wording = _Wording(measure, period, "percent")
    usable = [i for i, point in enumerate(points) if point.value is not None and point.n > 0]
    _check(points, usable, rate=True)
    if len(usable) < 2:
        basis = [_value(points[i]) for i in usable]
        return _not_enough("p", points, basis, higher_is_better, wording)
    total = sum(points[i].n for i in usable)
    centre = math.fsum(_value(points[i]) * points[i].n for i in usable) / total
    widened = math.sqrt(design_effect) if design_effect > 1.0 else 1.0
    bands = [_binomial_band(centre, point.n, widened) for point in points]
    note = ""
    if widened > 1.0:
        note = (
            f" (the limits are {widened:.1f} times as wide as for independent answers, "
            f"because the answers of one audit tend to go together)"
        )
    chart = _chart("p", points, centre, bands, usable, higher_is_better, rules, wording, note)
    return replace(chart, widened=widened)


def _binomial_band(centre: float, n: int, widened: float = 1.0) -> _Band:
    if n <= 0:
        return _Band(None, None, 0.0)
    sigma = widened * math.sqrt(centre * (1 - centre) / n)
    return _Band(max(0.0, centre - 3 * sigma), min(1.0, centre + 3 * sigma), sigma)


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
    kind: str, points: Sequence[Point], basis: list[float], higher: bool, wording: _Wording
) -> SpcChart:
    centre = math.fsum(basis) / len(basis) if basis else 0.0
    plain = tuple(SpcPoint(p.label, p.value, p.n, centre, None, None, (), "") for p in points)
    text = (
        f"{wording.measure}: there is not enough data to tell whether it is changing, as at "
        f"least two {wording.periods(2)} with results are needed."
    )
    return SpcChart(kind, plain, centre, "not enough data", text, higher)


def _chart(
    kind: str,
    points: Sequence[Point],
    centre: float,
    bands: list[_Band],
    usable: list[int],
    higher: bool,
    rules: _Rules,
    wording: _Wording,
    note: str,
) -> SpcChart:
    """Apply the rules, give each point its flags and direction, and read the verdict."""
    values = {i: _value(points[i]) for i in usable}
    flags: dict[int, list[_Signal]] = {}
    for signal in _signals(usable, values, centre, bands, rules):
        for i in signal.indices:
            flags.setdefault(i, []).append(signal)
    directions = {i: _direction(signals, higher) for i, signals in flags.items()}
    spc_points = tuple(
        SpcPoint(
            label=point.label,
            value=point.value,
            n=point.n,
            centre=centre,
            lower=bands[i].lower,
            upper=bands[i].upper,
            special_cause=tuple(r for r in RULES if any(s.rule == r for s in flags.get(i, []))),
            direction=directions.get(i, ""),
        )
        for i, point in enumerate(points)
    )
    recent = [i for i in usable[-rules.shift_length :] if i in flags]
    latest = recent[-1] if recent else None
    if latest is None or directions[latest] == "neutral":
        verdict = "no significant change"
        text = _steady_text(centre, wording, note, mixed=latest is not None)
    else:
        improving = directions[latest] == "improvement"
        verdict = "improving" if improving else "concerning"
        side = 1 if improving == higher else -1
        signal = min(
            (s for s in flags[latest] if s.side == side),
            key=lambda s: _REASON_PRIORITY.index(s.rule),
        )
        reason = _reason(signal, points, bands, centre, usable, wording)
        text = f"{wording.measure} is {'improving' if improving else 'getting worse'}: {reason}"
        text += f"{note}."
    return SpcChart(kind, spc_points, centre, verdict, text, higher)


def _signals(
    usable: list[int],
    values: dict[int, float],
    centre: float,
    bands: list[_Band],
    rules: _Rules,
) -> list[_Signal]:
    """Every firing of the four rules over the points with values, in order.

    A point exactly on the centre line breaks a shift, and a repeated value breaks a trend.
    Two of three counts points beyond two sigma on the same side, including any beyond the
    limits (the Western Electric reading of the rule); only those points are flagged.
    """
    found: list[_Signal] = []
    for i in usable:
        upper, lower = bands[i].upper, bands[i].lower
        if upper is not None and values[i] > upper:
            found.append(_Signal("outside_limits", (i,), 1))
        elif lower is not None and values[i] < lower:
            found.append(_Signal("outside_limits", (i,), -1))
    sides = [(i, _sign(values[i] - centre)) for i in usable]
    found += [_Signal("shift", run, side) for run, side in _runs(sides, rules.shift_length)]
    steps = [(b, _sign(values[b] - values[a])) for a, b in pairwise(usable)]
    previous = {b: a for a, b in pairwise(usable)}
    for run, side in _runs(steps, rules.trend_length - 1):
        found.append(_Signal("trend", (previous[run[0]], *run), side))
    for start in range(len(usable) - 2):
        window = usable[start : start + 3]
        for side in (1, -1):
            close = tuple(i for i in window if side * (values[i] - centre) > 2 * bands[i].sigma)
            if len(close) >= 2:
                found.append(_Signal("two_of_three", close, side))
    return found


def _runs(sides: list[tuple[int, int]], min_length: int) -> list[tuple[tuple[int, ...], int]]:
    """The longest runs of one non-zero side, at least min_length long; a zero breaks a run."""
    runs: list[tuple[tuple[int, ...], int]] = []
    current: list[int] = []
    current_side = 0
    for index, side in [*sides, (-1, 0)]:
        if side != current_side or side == 0:
            if current_side != 0 and len(current) >= min_length:
                runs.append((tuple(current), current_side))
            current, current_side = [], side
        current.append(index)
    return runs


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _direction(signals: list[_Signal], higher: bool) -> str:
    sides = {signal.side for signal in signals}
    if len(sides) > 1:
        return "neutral"
    return "improvement" if (sides.pop() > 0) == higher else "concern"


def _reason(
    signal: _Signal,
    points: Sequence[Point],
    bands: list[_Band],
    centre: float,
    usable: list[int],
    wording: _Wording,
) -> str:
    """Why the verdict is what it is, in words a head of service can check on the chart."""
    first, last = points[signal.indices[0]].label, points[signal.indices[-1]].label
    count, up = len(signal.indices), signal.side > 0
    periods = wording.periods(count)
    if signal.rule == "shift":
        where = f"{'above' if up else 'below'} the average of {wording.value(centre)}"
        if signal.indices[-1] == usable[-1]:
            return f"the last {count} {periods} are all {where}"
        return f"the {count} {periods} from {first} to {last} were all {where}"
    if signal.rule == "trend":
        moved = "rose" if up else "fell"
        return f"it {moved} steadily over the {count} {periods} from {first} to {last}"
    limit_name = "upper" if up else "lower"
    if signal.rule == "outside_limits":
        band = bands[signal.indices[0]]
        limit = band.upper if up else band.lower
        assert limit is not None  # the rule only fires where there is a limit
        value = wording.value(_value(points[signal.indices[0]]))
        beyond = "above" if up else "below"
        return f"{first} ({value}) was {beyond} the {limit_name} limit of {wording.value(limit)}"
    share = "two of the three" if count == 2 else "all three of the"
    return f"{share} {wording.periods(3)} up to {last} were close to the {limit_name} limit"


def _steady_text(centre: float, wording: _Wording, note: str, mixed: bool) -> str:
    average = wording.value(centre)
    if mixed:
        return (
            f"{wording.measure} shows no clear change: recent {wording.periods(2)} give signals "
            f"in both directions around the average of {average}{note}."
        )
    return (
        f"{wording.measure} shows no significant change: recent {wording.periods(2)} vary "
        f"within the expected range around the average of {average}{note}."
    )
