"""Which supervision files are left out of a frame, each with its reason in plain English.

A file is left out when its supervisee has left, when it was opened too recently to judge,
when it was audited recently (so audits spread across files), or when the auditor would be
auditing their own supervision (Coventry policy 003_2701f8fa2326f2b4.txt, section 9.2: the
files are audited "by managers", which only works if they are not marking their own work).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from sampling.periods import long_date, months_before


@dataclass(frozen=True)
class Exclusions:
    """The exclusion settings of a policy; 0 weeks or 0 months turns that rule off."""

    leavers: bool = True
    opened_within_weeks: int = 4
    audited_within_months: int = 6
    supervisor_is_auditor: bool = True

    def __post_init__(self) -> None:
        for name in ("leavers", "supervisor_is_auditor"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Exclusion setting {name!r} must be true or false")
        for name in ("opened_within_weeks", "audited_within_months"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Exclusion setting {name!r} must be a whole number, 0 or more")


@dataclass(frozen=True)
class FileUnit:
    """One supervision file as the sampler sees it; ``line_above`` is nearest manager first."""

    file_id: str
    supervisee_id: str
    supervisor_id: str
    service_area: str
    team: str
    opened_on: date
    supervisee_left_on: date | None
    last_audited_on: date | None
    line_above: tuple[str, ...]


@dataclass(frozen=True)
class Exclusion:
    """A file left out of the frame and why, e.g. "the supervisee left on 3 October 2026"."""

    file_id: str
    reason: str


def apply_exclusions(
    units: Sequence[FileUnit], exclusions: Exclusions, as_of: date, auditor_id: str | None
) -> tuple[list[FileUnit], list[Exclusion]]:
    """Split files into those that may be sampled and those left out, keeping input order.

    Every rule that applies to a file is given in its reason, joined by "; ". The auditor
    rule also leaves out the auditor's own supervision file, as a supervisee.
    """
    if len({unit.file_id for unit in units}) < len(units):
        repeated = sorted(f for f, n in Counter(u.file_id for u in units).items() if n > 1)
        raise ValueError(f"File {repeated[0]!r} appears more than once")
    kept: list[FileUnit] = []
    left_out: list[Exclusion] = []
    rules = _Rules(exclusions, as_of, auditor_id)
    for unit in units:
        reasons = rules.reasons(unit)
        if reasons:
            left_out.append(Exclusion(unit.file_id, "; ".join(reasons)))
        else:
            kept.append(unit)
    return kept, left_out


class _Rules:
    """The exclusion rules for one date and auditor, with the cut-off dates worked out once
    for all the files they are applied to."""

    def __init__(self, exclusions: Exclusions, as_of: date, auditor_id: str | None) -> None:
        self.exclusions = exclusions
        self.as_of = as_of
        self.auditor_id = auditor_id

    @cached_property
    def opened_after(self) -> date:
        return self.as_of - timedelta(weeks=self.exclusions.opened_within_weeks)

    @cached_property
    def audited_after(self) -> date:
        return months_before(self.as_of, self.exclusions.audited_within_months)

    def reasons(self, unit: FileUnit) -> list[str]:
        exclusions, as_of, auditor_id = self.exclusions, self.as_of, self.auditor_id
        reasons: list[str] = []
        left_on = unit.supervisee_left_on
        if exclusions.leavers and left_on is not None and left_on <= as_of:
            reasons.append(f"the supervisee left on {long_date(left_on)}")
        weeks = exclusions.opened_within_weeks
        if weeks and unit.opened_on > self.opened_after:
            reasons.append(
                f"the file was opened on {long_date(unit.opened_on)}, less than "
                f"{_count(weeks, 'week')} before {long_date(as_of)}"
            )
        months = exclusions.audited_within_months
        audited = unit.last_audited_on
        if months and audited is not None and audited > self.audited_after:
            reasons.append(
                f"the file was last audited on {long_date(audited)}, within "
                f"{_count(months, 'month')} of {long_date(as_of)}"
            )
        if exclusions.supervisor_is_auditor and auditor_id:
            if unit.supervisor_id == auditor_id:
                reasons.append("the auditor is the supervisor on this file")
            elif unit.supervisee_id == auditor_id:
                reasons.append("the auditor is the supervisee on this file")
        return reasons


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
