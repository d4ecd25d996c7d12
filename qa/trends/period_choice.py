"""Which periods the trends show when nobody has chosen: months when there are enough audits
a month for each point to say something, otherwise quarters or half-years, said in words.

With one or two audits a month the limits of a monthly chart run from about 38% to 100%, so
no change could ever show; grouping months until each point rests on about five audits
gives limits narrow enough to read. A period not over yet (the current month) is left out
of the count, as it is left out of the charts' rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from qa.org.models import Staff
from qa.trends.context import context_for
from qa.trends.filters import PERIOD_WORDS, Filters, periods_between, unfinished
from qa.trends.queries import audit_months

ENOUGH_PER_POINT = 5
"""Signed-off audits a point should rest on, on average, before a chart of them is shown."""
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6}


@dataclass(frozen=True)
class PeriodChoice:
    """The kind of period to show, and why, in a sentence ("" when nothing needs saying)."""

    kind: str
    words: str


def choose_period(
    audits_by_month: Mapping[str, int], start: date, end: date, on: date
) -> PeriodChoice:
    """Months if the complete months from `start` to `end` average at least
    ENOUGH_PER_POINT signed-off audits; else the shortest of quarters and half-years that
    does, or half-years if none does. `audits_by_month` is keyed "2026-11"."""
    months = [key for key in periods_between("month", start, end) if not unfinished(key, on)]
    total = sum(audits_by_month.get(key, 0) for key in months)
    if not months or total == 0:
        return PeriodChoice("month", "")
    per_month = total / len(months)
    kind = next(
        (k for k, size in MONTHS_IN.items() if per_month * size >= ENOUGH_PER_POINT), "half"
    )
    if kind == "month":
        return PeriodChoice(kind, "")
    word = PERIOD_WORDS[kind]
    per_point = per_month * MONTHS_IN[kind]
    return PeriodChoice(
        kind,
        f"Shown by {word}, not by month: {total} audits were signed off in the "
        f"{len(months)} complete months shown, about {_about(per_month)} a month. A point "
        f"resting on fewer than {ENOUGH_PER_POINT} audits has limits too wide to show a "
        f"change, so the months are grouped into {word}s of about {_about(per_point)} "
        "audits each.",
    )


def _about(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"


def default_period(user: Staff, filters: Filters, on: date) -> PeriodChoice:
    """The period to show these filters by when the address does not say."""
    monthly = replace(filters, period_kind="month")
    counts = {
        f"{row.year:04d}-{row.month:02d}": row.audits
        for row in audit_months(context_for(user, monthly).scope)
    }
    return choose_period(counts, filters.start, filters.end, on)
