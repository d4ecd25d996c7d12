"""The four special-cause rules of "Making Data Count", as NHSRplotthedots applies them.

Given one segment of a chart (the points between two recalculations of the limits), each
rule finds the runs of points it flags, and each point takes one type from the first rule
that flags it, in the published order of priority: outside the limits, then a trend, then
two of three near a limit, then a shift. The rules:

- outside the limits: a point above the upper or below the lower process limit;
- trend: seven or more points in a row, each higher (or each lower) than the last; a
  repeated value breaks it;
- two of three: two or three of three points in a row between two sigma and the limit on
  the same side, with all three on that side of the centre line (points beyond the limit
  count as outside, not as near);
- shift: seven or more points in a row on the same side of the centre line; a point on
  the line breaks it.

`trend_maths.spc` turns these into charts; import the public names from `statistics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

RULES = ("outside_limits", "trend", "two_of_three", "shift")  # in order of priority


@dataclass(frozen=True)
class Band:
    """The centre and limits at one point, and its sigma (a third of the limits' spread)."""

    centre: float
    lower: float | None
    upper: float | None
    sigma: float


@dataclass(frozen=True)
class Signal:
    """One firing of a rule: the positions it covers and its side (+1 up, -1 down)."""

    rule: str
    indices: tuple[int, ...]
    side: int


@dataclass(frozen=True)
class Lengths:
    """How long a run must be to count as a shift or a trend (seven for both, as published)."""

    shift: int = 7
    trend: int = 7

    def __post_init__(self) -> None:
        if self.shift < 2 or self.trend < 2:
            raise ValueError("A shift or a trend needs a run of at least 2 points")


def signals(values: Sequence[float], bands: Sequence[Band], lengths: Lengths) -> list[Signal]:
    """Every firing of the four rules over one segment's values, positions 0..len-1."""
    found: list[Signal] = []
    outside = [_outside(value, band) for value, band in zip(values, bands, strict=True)]
    found += [Signal("outside_limits", (i,), side) for i, side in enumerate(outside) if side]
    steps = [(i + 1, _sign(later - earlier)) for i, (earlier, later) in enumerate(pairwise(values))]
    for run, side in _runs(steps, lengths.trend - 1):
        found.append(Signal("trend", (run[0] - 1, *run), side))
    sides = [_sign(value - band.centre) for value, band in zip(values, bands, strict=True)]
    found += _two_of_three(values, bands, sides, outside)
    found += [
        Signal("shift", run, side) for run, side in _runs(list(enumerate(sides)), lengths.shift)
    ]
    return found


def point_types(count: int, found: Sequence[Signal]) -> list[Signal | None]:
    """For each position, the signal that gives it its type (None for common cause).

    The first rule in RULES that flags a point decides; a point at the turn between a rising
    and a falling trend takes the direction of the trend that starts there, as NHSRplotthedots
    does.
    """
    types: list[Signal | None] = [None] * count
    for rule in reversed(RULES):
        for signal in (s for s in found if s.rule == rule):
            for i in signal.indices:
                if rule == "trend" and _starts_later_trend(types[i], signal):
                    continue
                types[i] = signal
    return types


def _starts_later_trend(current: Signal | None, signal: Signal) -> bool:
    return (
        current is not None and current.rule == "trend" and current.indices[0] > signal.indices[0]
    )


def _outside(value: float, band: Band) -> int:
    if band.upper is not None and value > band.upper:
        return 1
    if band.lower is not None and value < band.lower:
        return -1
    return 0


def _two_of_three(
    values: Sequence[float], bands: Sequence[Band], sides: list[int], outside: list[int]
) -> list[Signal]:
    near = [
        0 if outside[i] or bands[i].sigma <= 0 else _near(value - bands[i].centre, bands[i].sigma)
        for i, value in enumerate(values)
    ]
    found: list[Signal] = []
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        side = sides[start]
        if side and all(sides[i] == side for i in window):
            close = tuple(i for i in window if near[i] == side)
            if len(close) >= 2:
                found.append(Signal("two_of_three", close, side))
    return found


def _near(distance: float, sigma: float) -> int:
    return _sign(distance) if abs(distance) > 2 * sigma else 0


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
