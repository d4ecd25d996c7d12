"""Drawing helpers for the server-made SVG charts in `trend_maths.charts`.

One small canvas that writes SVG elements as text, a linear scale with "nice" ticks, marker
shapes, axes, a legend and an empty state. Everything is plain text with numbers rounded to
0.1 px, so the same data always gives the same bytes. Colours meet WCAG 2.2 contrast on white
(3:1 for lines and markers, 4.5:1 for text), and meaning never rests on colour alone: special
causes also differ in shape, as in NHS England's "Making Data Count" charts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from trend_maths.statistics import format_value

FONT = "Arial, sans-serif"
INK = "#0b0c0c"  # text and axes, 19.6:1 on white
SECONDARY = "#505a5f"  # common-cause points, centre and limit lines, 7.1:1
GRID = "#b1b4b6"  # decorative gridlines only
IMPROVEMENT = "#005eb8"  # NHS blue, 6.4:1
CONCERN = "#b35900"  # Making Data Count orange, darkened from #ed8b00 to 4.8:1
NEUTRAL = "#6f2c91"  # purple, 8.6:1
BAR = "#1d70b8"  # 5.2:1
CHAR_WIDTH = 7.0  # a generous average width of a 12px Arial character, for fitting labels
EMPTY_MESSAGE = "No results to show yet."
_BELOW_PLOT = 84  # under the plot: tick labels, the x axis title and two rows of key
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

# Marker styles, (shape, colour): the shape alone tells the meanings apart.
COMMON = ("circle", SECONDARY)
BETTER = ("diamond", IMPROVEMENT)
WORSE = ("square", CONCERN)
MIXED = ("triangle", NEUTRAL)
VALUE_FORMATS = ("percent", "score", "count")


def text_escape(text: str) -> str:
    """Text made safe for an SVG element or a double-quoted attribute."""
    return escape(text, {'"': "&quot;"})


def px(value: float) -> str:
    """A coordinate to 0.1 px, never "-0.0", so output is byte-for-byte repeatable."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def fits(label: str, width: float) -> str:
    """The label, shortened with an ellipsis if it would not fit in `width` pixels."""
    most = max(3, int(width / CHAR_WIDTH))
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def wrapped(label: str, width: float, most_lines: int = 3) -> list[str]:
    """The label broken between words into lines that fit in `width` pixels, at most
    `most_lines` of them (only a name longer than that is shortened, with an ellipsis)."""
    most = max(3, int(width / CHAR_WIDTH))
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > most_lines:
        lines = [*lines[: most_lines - 1], fits(" ".join(lines[most_lines - 1 :]), width)]
    return [fits(line, width) for line in lines] or [""]


@dataclass(frozen=True)
class Scale:
    """Maps data values in [low, high] linearly onto pixels from `start` to `end`."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def nice_ticks(low: float, high: float, most: int = 6, min_step: float = 0.0) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 × 10ᵏ, at least `min_step`) covering low to high."""
    raw = max(high - low, 1e-9) / max(1, most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), min_step)
    first = math.floor(low / step + 1e-9) * step
    count = max(1, math.ceil((high - first) / step - 1e-9))
    return [round(first + i * step, 10) for i in range(count + 1)]


def value_label(value: float, value_format: str) -> str:
    """A value as the chart shows it: "64%", "2.5" or a whole count."""
    if value_format == "count":
        return f"{round(value):d}"
    return format_value(value, value_format)


def check_format(value_format: str) -> None:
    """Refuse a value format the charts cannot show, before drawing anything."""
    if value_format not in VALUE_FORMATS:
        raise ValueError(f"Unknown value format {value_format!r}: use {', '.join(VALUE_FORMATS)}")


class Canvas:
    """An SVG document built element by element, with role="img", a title and a description."""

    def __init__(
        self, width: int, height: int, title: str, desc: str, chart_id: str | None = None
    ) -> None:
        if chart_id is not None and not _CHART_ID.fullmatch(chart_id):
            raise ValueError(f"A chart id must be letters, digits, - or _, not {chart_id!r}")
        labels = ""
        title_id = desc_id = ""
        if chart_id is not None:
            title_id, desc_id = f' id="{chart_id}-title"', f' id="{chart_id}-desc"'
            labels = f' aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"'
        self.width, self.height = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img"{labels} font-family="{FONT}" '
            f'font-size="12">',
            f"<title{title_id}>{text_escape(title)}</title>",
            f"<desc{desc_id}>{text_escape(desc)}</desc>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        ]

    def line(
        self, x1: float, y1: float, x2: float, y2: float, colour: str = INK, dash: str = ""
    ) -> None:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{px(x1)}" y1="{px(y1)}" x2="{px(x2)}" y2="{px(y2)}" '
            f'stroke="{colour}" stroke-width="1"{dashes}/>'
        )

    def path(self, d: str, colour: str, width: float = 1.5, dash: str = "") -> None:
        if not d:
            return
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}"{dashes}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        anchor: str = "start",
        size: int = 12,
        rotate: bool = False,
        bold: bool = False,
    ) -> None:
        turn = f' transform="rotate(-90 {px(x)} {px(y)})"' if rotate else ""
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{px(x)}" y="{px(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{INK}"{weight}{turn}>{text_escape(content)}</text>'
        )

    def lines(
        self, x: float, y: float, lines: Sequence[str], anchor: str = "start", size: int = 12
    ) -> None:
        """Text of several lines, the first with its baseline at `y`."""
        spans = "".join(
            f'<tspan x="{px(x)}" dy="{0 if i == 0 else size + 2}">{text_escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.parts.append(
            f'<text x="{px(x)}" y="{px(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{INK}">{spans}</text>'
        )

    def rect(self, x: float, y: float, width: float, height: float, tooltip: str) -> None:
        self.parts.append(
            f'<rect class="point" x="{px(x)}" y="{px(y)}" width="{px(width)}" '
            f'height="{px(height)}" fill="{BAR}"><title>{text_escape(tooltip)}</title></rect>'
        )

    def marker(
        self,
        style: tuple[str, str],
        x: float,
        y: float,
        tooltip: str = "",
        filled: bool = True,
        css: str = "point",
    ) -> None:
        """A point drawn in the shape and colour of its meaning, with its values as a tooltip."""
        shape, colour = style
        paint = f'fill="{colour if filled else "#ffffff"}" stroke="{colour}" stroke-width="2"'
        tip = f"<title>{text_escape(tooltip)}</title>" if tooltip else ""
        if shape == "circle":
            self.parts.append(
                f'<circle class="{css}" cx="{px(x)}" cy="{px(y)}" r="4" {paint}>{tip}</circle>'
            )
            return
        corners = {
            "diamond": ((0, -6.5), (6.5, 0), (0, 6.5), (-6.5, 0)),
            "square": ((-5, -5), (5, -5), (5, 5), (-5, 5)),
            "triangle": ((0, -6.5), (6, 4.5), (-6, 4.5)),
        }[shape]
        points = " ".join(f"{px(x + dx)},{px(y + dy)}" for dx, dy in corners)
        self.parts.append(f'<polygon class="{css}" points="{points}" {paint}>{tip}</polygon>')

    def render(self) -> str:
        return "\n".join([*self.parts, "</svg>"]) + "\n"


def y_axis(
    canvas: Canvas, scale: Scale, ticks: Sequence[float], value_format: str, left: float
) -> None:
    """Gridlines across the plot, tick labels to the left of it, and the axis line."""
    for tick in ticks:
        y = scale(tick)
        canvas.line(left, y, canvas.width - 16, y, GRID)
        canvas.text(left - 6, y + 4, value_label(tick, value_format), anchor="end")
    canvas.line(left, scale.start, left, scale.end, INK)


def x_axis(
    canvas: Canvas,
    scale: Scale,
    ticks: Sequence[float],
    value_format: str,
    span: tuple[float, float],
) -> None:
    """Gridlines over the plot's (top, bottom) span, tick marks and labels, and the axis line."""
    top, bottom = span
    for tick in ticks:
        x = scale(tick)
        canvas.line(x, top, x, bottom, GRID)
        canvas.line(x, bottom, x, bottom + 4, INK)
        canvas.text(x, bottom + 17, value_label(tick, value_format), anchor="middle")
    canvas.line(scale.start, bottom, scale.end, bottom, INK)


def axis_titles(
    canvas: Canvas, titles: tuple[str, str], left: float, span: tuple[float, float]
) -> None:
    """The x axis title under the tick labels, and the y axis title turned up the left edge."""
    x_title, y_title = titles
    top, bottom = span
    canvas.text((left + canvas.width - 16) / 2, bottom + 36, x_title, anchor="middle", bold=True)
    if y_title:
        canvas.text(14, (top + bottom) / 2, y_title, anchor="middle", rotate=True, bold=True)


def plot_bottom(height: int) -> float:
    """Where the plot ends: the space below holds tick labels, the x axis title and the key."""
    return height - _BELOW_PLOT


LegendItem = tuple[str, tuple[str, str], bool, str]  # ("marker" | dash, style, filled, text)


def legend(canvas: Canvas, items: Sequence[LegendItem]) -> None:
    """A key under the x axis title: marker shapes, then line styles, wrapping onto a second
    row if the chart is narrow. For a line, the first field is its dash pattern ("" if solid)
    and the style's colour is the line's."""
    x, y = 16.0, canvas.height - 28
    for kind, style, filled, label in items:
        text_at = 18 if kind == "marker" else 30
        width = text_at + len(label) * CHAR_WIDTH + 20
        if x + width > canvas.width and x > 16:
            x, y = 16.0, y + 18
        if kind == "marker":
            canvas.marker(style, x + 6, y - 4, filled=filled, css="key")
        else:
            canvas.path(f"M{px(x)} {px(y - 4)} H{px(x + 24)}", style[1], dash=kind)
        canvas.text(x + text_at, y, label)
        x += width


def empty(width: int, height: int, title: str, chart_id: str | None) -> str:
    """A chart with nothing to draw yet, which says so instead of showing empty axes."""
    canvas = Canvas(width, height, title, EMPTY_MESSAGE, chart_id)
    canvas.line(16, 16, width - 16, 16, GRID)
    canvas.line(16, height - 16, width - 16, height - 16, GRID)
    canvas.text(width / 2, height / 2 + 5, EMPTY_MESSAGE, anchor="middle", size=16)
    return canvas.render()
