"""Server-made SVG charts for the quality trends: the same drawing in the page and the PDF.

Each chart is one SVG string that stands alone: role="img" with a <title> (what it shows)
and a <desc> (what it says, in words), explicit size, Arial, no script, no external files,
and no ids unless the caller gives a `chart_id` to prefix them. Pages still show a table of
the same data beside each chart. Special causes follow NHS England's "Making Data Count":
blue for improvement, orange for concern, and a different shape for each, so that no
meaning rests on colour alone. The page, not the chart, carries the visible heading.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from trend_maths.chart_svg import (
    BETTER,
    CHAR_WIDTH,
    COMMON,
    INK,
    MIXED,
    SECONDARY,
    WORSE,
    Canvas,
    LegendItem,
    Scale,
    axis_titles,
    check_format,
    empty,
    fits,
    legend,
    nice_ticks,
    plot_bottom,
    px,
    value_label,
    wrapped,
    x_axis,
    y_axis,
)
from trend_maths.statistics import Funnel, FunnelPoint, SpcChart, SpcPoint

LEFT = 64  # room for tick labels and the turned y axis title
TOP = 16
RULE_WORDS = {
    "outside_limits": "outside the limits",
    "shift": "a shift",
    "trend": "a trend",
    "two_of_three": "two of three near a limit",
}
SPC_KEY = (
    ("", COMMON, "Common cause"),
    ("improvement", BETTER, "Improvement"),
    ("concern", WORSE, "Concern"),
    ("neutral", MIXED, "Special cause, neither better nor worse"),
)
TARGET_DASH = "2 3"
REBASE_DASH = "1 3"
FUNNEL_KEY = {
    "above 99.8% limits": "Above 99.8%",
    "above 95% limits": "Above 95%",
    "within limits": "Within limits",
    "below 95% limits": "Below 95%",
    "below 99.8% limits": "Below 99.8%",
}
LIMIT_DASH = "6 4"
PARTIAL_DASH = "3 3"
AXIS_NAMES = {"percent": "Percentage", "score": "Score", "count": "Number"}


def spc_svg(
    chart: SpcChart,
    title: str,
    value_format: str = "percent",
    width: int = 640,
    height: int = 320,
    *,
    x_label: str = "Period",
    y_label: str | None = None,
    chart_id: str | None = None,
) -> str:
    """An XmR or p-chart: the values joined by a line, the average, the process limits
    (stepped for a p-chart, whose limits vary with n) and a marker per value in the shape
    of its meaning (common cause, improvement, concern, or mixed)."""
    check_format(value_format)
    valued = [(i, p.value) for i, p in enumerate(chart.points) if p.value is not None]
    if not valued:
        return empty(width, height, title, chart_id)
    enough = chart.verdict != "not enough data"
    span, right = (TOP, plot_bottom(height)), width - 16
    slot = (right - LEFT) / len(chart.points)

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * slot

    limits = [v for p in chart.points for v in (p.lower, p.upper) if v is not None]
    targets = [chart.target] if chart.target is not None and enough else []
    drawn = [v for _, v in valued] + limits + ([chart.centre] if enough else []) + targets
    scale, ticks = _value_scale(drawn, value_format, span)
    canvas = Canvas(width, height, title, _spc_desc(chart, value_format), chart_id)
    y_axis(canvas, scale, ticks, value_format, LEFT)
    canvas.line(LEFT, span[1], right, span[1])
    _period_labels(canvas, [p.label for p in chart.points], x, slot, span[1])
    if enough:
        for side in ("lower", "upper"):
            canvas.path(_stepped(chart.points, side, x, slot, scale), SECONDARY, 1, LIMIT_DASH)
        canvas.path(_stepped(chart.points, "centre", x, slot, scale), INK, 1)
        for segment in chart.segments[1:]:
            at = next(i for i, p in enumerate(chart.points) if p.label == segment.start)
            canvas.line(x(at) - slot / 2, span[0], x(at) - slot / 2, span[1], INK, REBASE_DASH)
        for target in targets:
            canvas.path(f"M{px(LEFT)} {px(scale(target))} H{px(right)}", INK, 1.5, TARGET_DASH)
    line = [
        (x(i), scale(point.value)) if point.value is not None and not point.partial else None
        for i, point in enumerate(chart.points)
    ]
    canvas.path(_joined(line), SECONDARY)
    canvas.path(_to_partial(chart.points, x, scale), SECONDARY, 1.5, PARTIAL_DASH)
    for i, point in enumerate(chart.points):
        if point.value is not None:
            style = next(s for direction, s, _ in SPC_KEY if direction == point.direction)
            tooltip = _spc_tooltip(point, chart.kind, value_format)
            canvas.marker(style, x(i), scale(point.value), tooltip, filled=not point.partial)
    axis_titles(canvas, (x_label, y_label or AXIS_NAMES[value_format]), LEFT, span)
    legend(canvas, _spc_key(chart, enough, targets, value_format))
    return canvas.render()


def _spc_key(
    chart: SpcChart, enough: bool, targets: list[float], value_format: str
) -> list[LegendItem]:
    """The key of an SPC chart: the kinds of point it shows, then its lines."""
    present = {p.direction for p in chart.points if p.value is not None} | {""}
    key: list[LegendItem] = [("marker", s, True, t) for d, s, t in SPC_KEY if d in present]
    if any(p.partial and p.value is not None for p in chart.points):
        key.append(("marker", COMMON, False, "Not complete yet"))
    if enough:
        key.append(("", ("line", INK), True, "Average"))
        key.append((LIMIT_DASH, ("line", SECONDARY), True, "Process limits"))
        if len(chart.segments) > 1:
            key.append((REBASE_DASH, ("line", INK), True, "Limits recalculated"))
        if targets:
            target_text = f"Target {value_label(targets[0], value_format)}"
            key.append((TARGET_DASH, ("line", INK), True, target_text))
    return key


def funnel_svg(
    funnel: Funnel,
    title: str,
    width: int = 640,
    height: int = 360,
    *,
    higher_is_better: bool = True,
    x_label: str = "Number of audits",
    y_label: str = "Compliance",
    chart_id: str | None = None,
) -> str:
    """A funnel plot: each team's rate against its number of audits, the line of the
    average the teams are compared with and the 95% (dashed) and 99.8% (solid) limits. Teams
    beyond the limits are blue diamonds when better than expected and orange squares when
    worse: hollow beyond 95%, filled beyond 99.8%. Teams are named where the names fit."""
    audited = [p for p in funnel.points if p.rate is not None]
    if not audited or not funnel.curve:
        return empty(width, height, title, chart_id)
    span, right = (TOP, plot_bottom(height)), width - 16
    x_ticks = nice_ticks(0, funnel.curve[-1][0], 6, min_step=1)
    xs = Scale(0, x_ticks[-1], LEFT, right)
    ys = Scale(0, 1, span[1], TOP)
    canvas = Canvas(width, height, title, _funnel_desc(funnel), chart_id)
    y_axis(canvas, ys, [i / 5 for i in range(6)], "percent", LEFT)
    x_axis(canvas, xs, x_ticks, "count", span)
    rows = _sample(funnel.curve, int(right - LEFT))
    for column, dash in ((1, ""), (2, LIMIT_DASH), (3, LIMIT_DASH), (4, "")):
        canvas.path(_joined([(xs(row[0]), ys(row[column])) for row in rows]), SECONDARY, 1.5, dash)
    canvas.path(f"M{px(LEFT)} {px(ys(funnel.target))} H{px(right)}", INK, 2)
    placed: list[Box] = []
    for point in audited:
        style, filled = _funnel_style(point.position, higher_is_better)
        x, y = xs(point.n), ys(point.rate or 0.0)
        canvas.marker(style, x, y, _funnel_tooltip(point), filled)
        placed.append((x - 6, y - 6, x + 6, y + 6))
    # Teams beyond the limits are named first, then the largest teams, each where its name
    # overlaps no other name or point; a name that fits nowhere is left off the picture
    # (every team is in the point's tooltip, the description and the table of figures).
    # A long name is wrapped onto up to three lines rather than cut short.
    for point in sorted(audited, key=lambda p: (p.position == "within limits", -p.n, p.label)):
        x, y = xs(point.n), ys(point.rate or 0.0)
        name = wrapped(point.label, 120)
        wide = max(len(line) for line in name) * CHAR_WIDTH * 11 / 12  # labels are 11px
        top = y - 7 - (len(name) - 1) * 13 / 2
        bottom = top + 13 * len(name)
        sides = [(x + 9, "start"), (x - 9, "end")]
        if x + 9 + wide > right:
            sides.reverse()
        for at, anchor in sides:
            box = (
                (at, top, at + wide, bottom) if anchor == "start" else (at - wide, top, at, bottom)
            )
            if not any(_overlap(box, other) for other in placed):
                if len(name) == 1:
                    canvas.text(at, y + 4, name[0], anchor=anchor, size=11)
                else:
                    canvas.lines(at, top + 11, name, anchor=anchor, size=11)
                placed.append(box)
                break
    axis_titles(canvas, (x_label, y_label), LEFT, span)
    key: list[LegendItem] = []
    for position, text in FUNNEL_KEY.items():
        if any(point.position == position for point in audited):
            style, filled = _funnel_style(position, higher_is_better)
            key.append(("marker", style, filled, text))
    key += [
        ("", ("line", INK), True, f"Average {value_label(funnel.target, 'percent')}"),
        (LIMIT_DASH, ("line", SECONDARY), True, "95% limits"),
        ("", ("line", SECONDARY), True, "99.8% limits"),
    ]
    legend(canvas, key)
    return canvas.render()


def bar_svg(
    items: Sequence[tuple[str, float | None]],
    title: str,
    value_format: str = "percent",
    width: int = 640,
    *,
    scale_max: float | None = None,
    x_label: str | None = None,
    chart_id: str | None = None,
) -> str:
    """Horizontal bars, one per item, with labels on the left and values at the bar ends.

    Rates run from 0% to 100% unless `scale_max` says otherwise; scores and counts from 0
    to the largest value. An item without a value says "No data" in place of a bar.
    """
    check_format(value_format)
    if not items:
        return empty(width, 120, title, chart_id)
    values = [v for _, v in items if v is not None]
    label_width = min(max(len(label) for label, _ in items) * CHAR_WIDTH, width * 0.4)
    names = [wrapped(label, label_width, 2) for label, _ in items]  # long names: two lines
    row = 28 if max(len(lines) for lines in names) == 1 else 40
    height = TOP + row * len(items) + 48
    left, right = 16 + label_width + 8, width - 56
    high = scale_max or (1.0 if value_format == "percent" else max([*values, 0.0]) or 1.0)
    ticks = nice_ticks(min([*values, 0.0]), high, 6, 1 if value_format == "count" else 0.01)
    scale = Scale(ticks[0], ticks[-1], left, right)
    span = (TOP, TOP + row * len(items))
    canvas = Canvas(width, height, title, _bar_desc(items, value_format), chart_id)
    x_axis(canvas, scale, ticks, value_format, span)
    for i, (label, value) in enumerate(items):
        y = TOP + i * row
        if len(names[i]) == 1:
            canvas.text(left - 8, y + row / 2 + 4, names[i][0], anchor="end")
        else:
            canvas.lines(left - 8, y + row / 2 + 4 - 7 * (len(names[i]) - 1), names[i], "end")
        if value is None:
            canvas.text(scale(0) + 6, y + row / 2 + 4, "No data")
            continue
        start, end = scale(min(value, 0.0)), scale(max(value, 0.0))
        shown = value_label(value, value_format)
        canvas.rect(start, y + 5, end - start, row - 10, f"{label}: {shown}")
        canvas.text(end + 6, y + row / 2 + 4, shown)
    canvas.line(scale(0), span[0], scale(0), span[1], INK)
    axis_titles(canvas, (x_label or AXIS_NAMES[value_format], ""), left, span)
    return canvas.render()


def _value_scale(
    values: Sequence[float], value_format: str, span: tuple[float, float]
) -> tuple[Scale, list[float]]:
    """A y scale with round ticks that covers the values, never narrower than a readable
    minimum (10 points for rates), and kept within 0% to 100% when the values are."""
    low, high = min(values), max(values)
    least = {"percent": 0.1, "score": 0.2, "count": 2.0}[value_format]
    if high - low < least:
        middle = (low + high) / 2
        low, high = middle - least / 2, middle + least / 2
        if value_format == "percent" and min(values) >= 0 and max(values) <= 1:
            low, high = max(0.0, low), min(1.0, high)
    ticks = nice_ticks(low, high, 6, 1 if value_format == "count" else 0.01)
    return Scale(ticks[0], ticks[-1], span[1], span[0]), ticks


def _period_labels(
    canvas: Canvas, labels: list[str], x: Callable[[int], float], slot: float, bottom: float
) -> None:
    """Tick labels under the periods, skipping some evenly when they would overlap."""
    every = max(1, math.ceil((max(len(label) for label in labels) * CHAR_WIDTH + 8) / slot))
    for i in range(0, len(labels), every):
        canvas.line(x(i), bottom, x(i), bottom + 4)
        canvas.text(x(i), bottom + 17, fits(labels[i], every * slot - 4), anchor="middle")


def _stepped(
    points: Sequence[SpcPoint], side: str, x: Callable[[int], float], slot: float, scale: Scale
) -> str:
    """A limit or centre line as steps: level across each period's slot, broken where it
    has none (a centre line is broken only where the limits are)."""
    parts: list[str] = []
    level = ""  # the pen's height, or "" when it is lifted
    for i, point in enumerate(points):
        limit = point.lower if side == "lower" else point.upper
        if side == "centre":
            limit = None if point.upper is None and point.lower is None else point.centre
        if limit is None:
            level = ""
            continue
        y, end = px(scale(limit)), px(x(i) + slot / 2)
        if not level:
            parts.append(f"M{px(x(i) - slot / 2)} {y}")
        elif y == level:
            parts.pop()  # carry the level line on instead of starting a new segment
        else:
            parts.append(f"V{y}")
        parts.append(f"H{end}")
        level = y
    return " ".join(parts)


def _joined(points: Sequence[tuple[float, float] | None]) -> str:
    """A path through the points, lifting the pen at each None (a period with no data)."""
    parts: list[str] = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{px(point[0])} {px(point[1])}")
        pen_down = True
    return " ".join(parts)


def _to_partial(points: Sequence[SpcPoint], x: Callable[[int], float], scale: Scale) -> str:
    """A dashed line from the last complete value to each value of a period not over yet."""
    parts: list[str] = []
    last: tuple[float, float] | None = None
    for i, point in enumerate(points):
        if point.value is None:
            continue
        here = (x(i), scale(point.value))
        if point.partial and last is not None:
            parts.append(f"M{px(last[0])} {px(last[1])} L{px(here[0])} {px(here[1])}")
        last = here
    return " ".join(parts)


def _sample(
    rows: tuple[tuple[int, float, float, float, float], ...], most: int
) -> list[tuple[int, float, float, float, float]]:
    """At most about `most` rows of the funnel curve, evenly spaced, always with the last."""
    step = max(1, math.ceil(len(rows) / max(most, 1)))
    sampled = list(rows[::step])
    return sampled if sampled[-1] == rows[-1] else [*sampled, rows[-1]]


def _funnel_style(position: str, higher_is_better: bool) -> tuple[tuple[str, str], bool]:
    if position == "within limits":
        return COMMON, True
    better = position.startswith("above") == higher_is_better
    return (BETTER if better else WORSE), "99.8%" in position


def _spc_tooltip(point: SpcPoint, kind: str, value_format: str) -> str:
    text = f"{point.label}: {value_label(point.value or 0.0, value_format)}"
    if kind == "p":
        text += f" of {point.n} audited"
    if point.partial:
        text += " (not complete yet)"
    if point.special_cause:
        rules = ", ".join(RULE_WORDS[rule] for rule in point.special_cause)
        text += f"; {point.direction or 'special cause'} ({rules})"
    return text


def _funnel_tooltip(point: FunnelPoint) -> str:
    rate = value_label(point.rate or 0.0, "percent")
    return f"{point.label}: {point.k} of {point.n} ({rate}), {point.position}"


def _spc_desc(chart: SpcChart, value_format: str) -> str:
    valued = [p for p in chart.points if p.value is not None]
    shown = f"The chart shows {len(valued)} values from {valued[0].label} to {valued[-1].label}"
    if len(valued) == 1:
        shown = f"The chart shows 1 value, for {valued[0].label}"
    unfinished = [p.label for p in valued if p.partial]
    if unfinished and "not complete yet" not in chart.verdict_text:
        shown = f"{shown} ({' and '.join(unfinished)} is not complete yet)"
    if chart.verdict == "not enough data":
        return f"{chart.verdict_text} {shown}."
    limits = "process limits that vary with the number audited"
    if chart.kind == "xmr" and valued[0].lower is not None and valued[0].upper is not None:
        low, high = (value_label(v, value_format) for v in (valued[0].lower, valued[0].upper))
        limits = f"process limits of {low} to {high}"
    flagged = sum(1 for p in valued if p.special_cause)
    average = value_label(chart.centre, value_format)
    text = (
        f"{chart.verdict_text} {shown}, around an average of {average} with {limits}; "
        f"{flagged} of them show special cause variation."
    )
    for segment in chart.segments[1:]:
        reason = f": {segment.reason}" if segment.reason else ""
        text += f" The limits were recalculated from {segment.start}{reason}."
    if chart.assurance_text:
        text += f" {chart.assurance_text}"
    return text


Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _funnel_desc(funnel: Funnel) -> str:
    audited = [p for p in funnel.points if p.rate is not None]
    within = sum(1 for p in audited if p.position == "within limits")
    parts = [
        f"{len(audited)} teams compared with their average of "
        f"{value_label(funnel.target, 'percent')}: {within} within the limits."
    ]
    for position in [*FUNNEL_KEY, "no audits"]:
        names = [p.label for p in funnel.points if p.position == position]
        if names and position != "within limits":
            parts.append(f"{position.capitalize()}: {', '.join(names)}.")
    parts.append(funnel.method_text)
    if funnel.dispersion > 1:
        parts.append(dispersion_words(funnel.dispersion))
    return " ".join(parts)


def dispersion_words(factor: float) -> str:
    """What widening the funnel limits for clustered answers means, in a sentence."""
    return (
        f"The answers of one audit tend to go together, so the limits are "
        f"{factor**0.5:.1f} times as wide as for independent answers (a design effect of "
        f"{factor:.1f}, measured between the audits of each team)."
    )


def _bar_desc(items: Sequence[tuple[str, float | None]], value_format: str) -> str:
    shown = [
        f"{label} {'no data' if value is None else value_label(value, value_format)}"
        for label, value in items
    ]
    return "; ".join(shown) + "."
