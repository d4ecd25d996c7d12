"""What the trends show: which periods, which part of the service, which audit tool.

`Filters` is what a page or a report asks for; `resolve_unit` turns it into the part of the
service the person may actually see (a service manager always gets their own area, whatever
the request says), so every figure is limited by the one access policy in `qa.access`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.access import Forbidden, may_see_trends, reach_of
from qa.clock import today
from qa.extensions import db
from qa.ids import as_id
from qa.org.models import ServiceArea, Staff, Team
from sampling.periods import MONTH_NAMES, months_before, parse_period, period_bounds, period_key

PERIOD_KINDS = {"month": "monthly", "quarter": "quarterly", "half": "six-monthly"}
PERIOD_KIND_LABELS = {"month": "Month", "quarter": "Quarter", "half": "Half-year"}
PERIOD_WORDS = {"month": "month", "quarter": "quarter", "half": "half-year"}
DEFAULT_TOOL = "supervision-file-audit"
DEFAULT_MONTHS = 12
MOST_MONTHS = 121
"""The longest range the page shows: ten years, as long as a council keeps audits, and the
month in progress. A longer range is almost certainly a mistake in the address."""
WHOLE_SERVICE = "service"
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Filters:
    """Periods of one kind from `start` to `end` (inclusive), for one unit and audit tool."""

    period_kind: str
    start: date
    end: date
    area_id: int | None = None
    team_id: int | None = None
    tool_id: str = DEFAULT_TOOL

    @property
    def cadence(self) -> str:
        return PERIOD_KINDS[self.period_kind]

    @property
    def unit_value(self) -> str:
        if self.team_id is not None:
            return f"team-{self.team_id}"
        if self.area_id is not None:
            return f"area-{self.area_id}"
        return WHOLE_SERVICE

    def query_args(self) -> dict[str, str]:
        """The filters as the query string of a page or export with the same figures."""
        return {
            "period": self.period_kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "unit": self.unit_value,
            "tool": self.tool_id,
        }


@dataclass(frozen=True)
class Unit:
    """The part of the service a figure covers, after the access policy has had its say."""

    area_id: int | None
    team_id: int | None
    label: str
    area_name: str | None = None


def default_filters(user: Staff, on: date | None = None) -> Filters:
    """The last 12 months by month, for the person's own part of the service."""
    end = on or today()
    start = months_before(end.replace(day=1), DEFAULT_MONTHS - 1)
    unit = _default_unit(user)
    return Filters("month", start, end, unit.area_id, unit.team_id, DEFAULT_TOOL)


def filters_from_args(user: Staff, args: Mapping[str, str]) -> Filters:
    """Filters from a query string; anything unreadable or not allowed falls back quietly to
    the default, so a stale bookmark still shows a page."""
    default = default_filters(user)
    kind = args.get("period", "")
    start = _read_date(args.get("start", ""), last=False)
    end = _read_date(args.get("end", ""), last=True)
    filters = default
    if kind in PERIOD_KINDS:
        filters = replace(filters, period_kind=kind)
    if (
        start is not None
        and end is not None
        and start <= end
        and _months(start, end) <= MOST_MONTHS
    ):
        filters = replace(filters, start=start, end=end)
    area_id, team_id = _read_unit(args.get("unit", ""))
    if (area_id, team_id) != (None, None) or args.get("unit") == WHOLE_SERVICE:
        wanted = replace(filters, area_id=area_id, team_id=team_id)
        if _allowed(user, wanted):
            filters = wanted
    tool = args.get("tool", "")
    if tool and tool in tool_ids():
        filters = replace(filters, tool_id=tool)
    return filters


def tool_ids() -> list[str]:
    """The audit tools with a stored version (the default one before any is stored)."""
    from qa.audits.models import AuditToolVersion

    stored = set(db.session.scalars(select(AuditToolVersion.tool_id).distinct()))
    return sorted(stored | {DEFAULT_TOOL})


def resolve_unit(user: Staff, filters: Filters) -> Unit:
    """The unit the figures cover: the one asked for if the person may see it, else theirs.

    Raises Forbidden for someone who may not see trends at all.
    """
    if not may_see_trends(user):
        raise Forbidden
    if _allowed(user, filters):
        return _unit(filters.area_id, filters.team_id)
    return _default_unit(user)


def unit_label(user: Staff, filters: Filters) -> str:
    """What the figures for these filters cover, in words ("North service area")."""
    return resolve_unit(user, filters).label


def unit_choices(user: Staff) -> list[tuple[str, str]]:
    """(value, label) for each unit the person may choose, their widest first."""
    if not may_see_trends(user):
        return []
    reach = reach_of(user)
    if reach.team_id is not None:
        unit = _default_unit(user)
        return [(f"team-{unit.team_id}", unit.label)]
    choices: list[tuple[str, str]] = []
    areas = select(ServiceArea).options(selectinload(ServiceArea.teams)).order_by(ServiceArea.name)
    if reach.whole_service:
        choices.append((WHOLE_SERVICE, "The whole service"))
    else:
        areas = areas.where(ServiceArea.id == reach.area_id)
    for area in db.session.scalars(areas):
        choices.append((f"area-{area.id}", f"{area.name} service area"))
        for team in area.teams:
            choices.append((f"team-{team.id}", f"{team.name} team"))
    return choices


def _default_unit(user: Staff) -> Unit:
    reach = reach_of(user)
    if reach.team_id is not None:
        return _unit(None, reach.team_id)
    if reach.area_id is not None:
        return _unit(reach.area_id, None)
    return _unit(None, None)


def _allowed(user: Staff, filters: Filters) -> bool:
    if not may_see_trends(user):
        return False
    team = db.session.get(Team, filters.team_id) if filters.team_id is not None else None
    if filters.team_id is not None and team is None:
        return False
    area_id = team.service_area_id if team is not None else filters.area_id
    if filters.area_id is not None and area_id != filters.area_id:
        return False
    if area_id is not None and db.session.get(ServiceArea, area_id) is None:
        return False
    reach = reach_of(user)
    if reach.whole_service:
        return True
    if reach.team_id is not None:
        return team is not None and team.id == reach.team_id
    return area_id is not None and area_id == reach.area_id


def _unit(area_id: int | None, team_id: int | None) -> Unit:
    if team_id is not None:
        team = db.session.get(Team, team_id)
        assert team is not None
        return Unit(team.service_area_id, team.id, f"{team.name} team", team.service_area.name)
    if area_id is not None:
        area = db.session.get(ServiceArea, area_id)
        assert area is not None
        return Unit(area.id, None, f"{area.name} service area", area.name)
    return Unit(None, None, "the whole service")


def _read_unit(value: str) -> tuple[int | None, int | None]:
    kind, _, number = value.partition("-")
    found = as_id(number)
    if found is None:
        return None, None
    if kind == "area":
        return found, None
    if kind == "team":
        return None, found
    return None, None


def _read_date(value: str, *, last: bool) -> date | None:
    """An ISO date, or a month "2026-11" meaning its first (or last) day."""
    text = value.strip()
    try:
        if _MONTH.fullmatch(text):
            first, final = period_bounds(parse_period(text).key)
            return final if last else first
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def unfinished(key: str, on: date) -> bool:
    """Whether the period is not over on `on` (it ends that day or later): its point is
    drawn hollow and left out of the charts' rules."""
    return period_bounds(key)[1] >= on


def periods_between(kind: str, start: date, end: date) -> list[str]:
    """The keys of every period of this kind from the one holding `start` to `end`'s."""
    cadence = PERIOD_KINDS[kind]
    keys: list[str] = []
    day = start.replace(day=1)
    while day <= end:
        key = period_key(cadence, day)
        if not keys or keys[-1] != key:
            keys.append(key)
        day = _next_month(day)
    return keys


@lru_cache(maxsize=4096)
def month_key(kind: str, year: int, month: int) -> str:
    """The key of the period of this kind that holds the month."""
    return period_key(PERIOD_KINDS[kind], date(year, month, 1))


def period_label(key: str) -> str:
    """A short label for a chart axis: "Nov 2026", "Oct–Dec 2026", "Jul–Dec 2026"."""
    first, last = period_bounds(key)
    if first.month == last.month:
        return f"{MONTH_NAMES[first.month - 1][:3]} {first.year}"
    return f"{MONTH_NAMES[first.month - 1][:3]}–{MONTH_NAMES[last.month - 1][:3]} {first.year}"


def period_long_label(key: str) -> str:
    """A label for a sentence: "November 2026", "October to December 2026"."""
    first, last = period_bounds(key)
    if first.month == last.month:
        return f"{MONTH_NAMES[first.month - 1]} {first.year}"
    return f"{MONTH_NAMES[first.month - 1]} to {MONTH_NAMES[last.month - 1]} {first.year}"


def month_choices(latest: date, earliest: date) -> list[tuple[str, str]]:
    """("2026-11", "November 2026") for each month from `latest` back to `earliest`."""
    day, first = latest.replace(day=1), earliest.replace(day=1)
    choices = []
    while day >= first:
        choices.append(
            (f"{day.year:04d}-{day.month:02d}", f"{MONTH_NAMES[day.month - 1]} {day.year}")
        )
        day = months_before(day, 1)
    return choices


def last_day(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
