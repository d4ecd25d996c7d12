"""The words of the SPC charts: verdicts, reasons, notes on the limits and the assurance,
in sentences a head of service can check against the chart. Used by `trend_maths.spc`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trend_maths.spc_rules import Band, Lengths, Signal
from trend_maths.spc_types import Point, Rebase, Segment

ASSURANCE = ("consistently passing", "hit and miss", "consistently failing")


@dataclass(frozen=True)
class Wording:
    """What the verdict calls the measure and the periods, and how its values read."""

    measure: str
    period: str
    value_format: str

    def periods(self, count: int) -> str:
        return self.period if count == 1 else self.period + "s"

    def value(self, value: float) -> str:
        return format_value(value, self.value_format)


@dataclass(frozen=True)
class Options:
    """What every chart takes besides its points: direction, rules, rebases and target."""

    higher: bool | None
    lengths: Lengths
    wording: Wording
    rebases: tuple[Rebase, ...]
    target: float | None
    note: str = ""  # what the limits allow for beyond the published method, in words


def format_value(value: float, value_format: str = "percent") -> str:
    """A rate as a whole percentage ("64%"), or a score to at most two decimals ("2.5")."""
    if value_format == "percent":
        return f"{round(value * 100):d}%"
    if value_format == "score":
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    raise ValueError(f"Unknown value format {value_format!r}: use 'percent' or 'score'")


def direction_of(side: int, higher: bool | None) -> str:
    if higher is None:
        return "neutral"
    return "improvement" if (side > 0) == higher else "concern"


def limits_note(segment: Segment, wording: Wording, widened: str) -> str:
    """What the reader should know about the limits, in brackets, or "" when nothing."""
    notes = [widened] if widened else []
    if segment.provisional:
        periods = wording.periods(segment.basis)
        notes.insert(0, f"the limits are provisional, from only {segment.basis} {periods}")
    return f" ({'; '.join(notes)})" if notes else ""


def verdict_of(
    signal: Signal | None,
    points: Sequence[Point],
    bands: list[Band | None],
    segment: Segment,
    options: Options,
    note: str,
) -> tuple[str, str]:
    """The most recent point's type, as Making Data Count's variation icon reads it."""
    wording = options.wording
    if signal is None:
        average = wording.value(segment.centre)
        return "no significant change", (
            f"{wording.measure} shows no significant change: the latest {wording.period} is "
            f"within the expected range around the average of {average}{note}."
        )
    reason = reason_for(signal, points, bands, segment.centre, wording)
    direction = direction_of(signal.side, options.higher)
    if direction == "neutral":
        moved = "risen" if signal.side > 0 else "fallen"
        return "changing", f"{wording.measure} has {moved}: {reason}{note}."
    improving = direction == "improvement"
    text = f"{wording.measure} is {'improving' if improving else 'getting worse'}: {reason}"
    return ("improving" if improving else "concerning"), f"{text}{note}."


def reason_for(
    signal: Signal,
    points: Sequence[Point],
    bands: list[Band | None],
    centre: float,
    wording: Wording,
) -> str:
    """Why the verdict is what it is, in words a head of service can check on the chart."""
    first, last = points[signal.indices[0]].label, points[signal.indices[-1]].label
    count, up = len(signal.indices), signal.side > 0
    periods = wording.periods(count)
    if signal.rule == "shift":
        where = f"{'above' if up else 'below'} the average of {wording.value(centre)}"
        return f"the last {count} {periods} are all {where}"
    if signal.rule == "trend":
        moved = "rose" if up else "fell"
        return f"it {moved} steadily over the {count} {periods} from {first} to {last}"
    limit_name = "upper" if up else "lower"
    if signal.rule == "outside_limits":
        band = bands[signal.indices[0]]
        limit = None if band is None else band.upper if up else band.lower
        assert limit is not None  # the rule only fires where there is a limit
        value = wording.value(_value(points[signal.indices[0]]))
        beyond = "above" if up else "below"
        return f"{first} ({value}) was {beyond} the {limit_name} limit of {wording.value(limit)}"
    share = "two of the three" if count == 2 else "all three of the"
    return f"{share} {wording.periods(3)} up to {last} were close to the {limit_name} limit"


def assurance(target: float, lower: float, upper: float, higher_is_better: bool | None) -> str:
    """Making Data Count's assurance: will the process meet its target? One of ASSURANCE, or
    "" when neither direction is better. Consistently passing when the whole range between
    the process limits is on the right side of the target, consistently failing when it is
    all on the wrong side, hit and miss when the target lies between the limits."""
    if higher_is_better is None:
        return ""
    if target < lower:
        return ASSURANCE[0] if higher_is_better else ASSURANCE[2]
    if target > upper:
        return ASSURANCE[2] if higher_is_better else ASSURANCE[0]
    return ASSURANCE[1]


def assurance_verdict(band: Band | None, options: Options) -> tuple[str, str]:
    """The assurance verdict against the latest limits, and a sentence that says why."""
    target = options.target
    if target is None or band is None or band.lower is None or band.upper is None:
        return "", ""
    verdict = assurance(target, band.lower, band.upper, options.higher)
    wording = options.wording
    limits = f"{wording.value(band.lower)} to {wording.value(band.upper)}"
    goal = wording.value(target)
    if verdict == ASSURANCE[0]:
        return verdict, (
            f"{wording.measure} will consistently meet the target of {goal}: the process "
            f"limits ({limits}) are both on the right side of it."
        )
    if verdict == ASSURANCE[2]:
        return verdict, (
            f"{wording.measure} will consistently miss the target of {goal} unless the "
            f"process changes: the process limits ({limits}) are both on the wrong side of it."
        )
    if verdict == ASSURANCE[1]:
        return verdict, (
            f"{wording.measure} will sometimes meet the target of {goal} and sometimes miss "
            f"it: the target lies between the process limits ({limits})."
        )
    return "", ""


def _value(point: Point) -> float:
    if point.value is None:
        raise ValueError(f"{point.label} has no value")
    return float(point.value)
