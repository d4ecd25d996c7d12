"""The staff a person may see, filtered, sorted and a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from qa.access import area_scope, staff_scope, team_scope
from qa.clock import today
from qa.lists import (
    ListFilters,
    Page,
    Problem,
    like,
    page_of,
    pairs,
    read_choice,
    read_id,
    read_search,
)
from qa.org.models import ServiceArea, Staff, Team
from qa.roles import ROLE_LABELS

ROLE_CHOICES = {role.value: label for role, label in ROLE_LABELS.items()}
STATUS_CHOICES = {"current": "In post", "left": "Left", "all": "In post or left"}
SORTS = {"name": "Name", "team": "Team, then name", "job": "Role, then name"}


@dataclass(frozen=True)
class StaffFilters(ListFilters):
    """What the staff list is narrowed to; a blank field matches anything."""

    area: int | None = None
    team: int | None = None
    job: str = ""  # a role's stored value
    status: str = "current"
    q: str = ""
    sort: str = "name"


@dataclass(frozen=True)
class Options:
    areas: dict[int, str]
    teams: dict[int, str]


def options_for(user: Staff) -> Options:
    return Options(
        pairs(
            select(ServiceArea.id, ServiceArea.name)
            .where(area_scope(user))
            .order_by(ServiceArea.name)
        ),
        pairs(select(Team.id, Team.name).where(team_scope(user)).order_by(Team.name)),
    )


def read_filters(user: Staff, args: Mapping[str, str]) -> tuple[StaffFilters, list[Problem]]:
    """The filters in a query string, and a problem for each value that cannot be used."""
    options = options_for(user)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    reads: dict[str, object] = {
        "area": read_id("area", args.get("area", ""), options.areas, "a service area"),
        "team": read_id("team", args.get("team", ""), options.teams, "a team"),
        "job": read_choice("job", args.get("job", ""), ROLE_CHOICES, "a role"),
        "status": read_choice("status", args.get("status", ""), STATUS_CHOICES, "who to show"),
        "q": read_search(args.get("q", "")),
        "sort": read_choice("sort", args.get("sort", ""), SORTS, "an order"),
    }
    for name, read in reads.items():
        if isinstance(read, Problem):
            problems.append(read)
        elif read not in (None, ""):
            values[name] = read
    return StaffFilters(**values), problems


def staff_query(user: Staff, wanted: StaffFilters, on: date | None = None) -> Select[Any]:
    """The staff the person may see that match `wanted`."""
    day = on or today()
    query = select(Staff).outerjoin(Team, Team.id == Staff.team_id).where(staff_scope(user))
    if wanted.area is not None:
        query = query.where(Staff.service_area_id == wanted.area)
    if wanted.team is not None:
        query = query.where(Staff.team_id == wanted.team)
    if wanted.job:
        query = query.where(Staff.role == wanted.job)
    if wanted.status == "current":
        query = query.where(Staff.leaving_date.is_(None) | (Staff.leaving_date > day))
    elif wanted.status == "left":
        query = query.where(Staff.leaving_date <= day)
    if wanted.q:
        query = query.where(Staff.name.ilike(like(wanted.q), escape="\\"))
    return query


def staff_order(wanted: StaffFilters) -> list[Any]:
    if wanted.sort == "team":
        return [Team.name, Staff.name, Staff.id]
    if wanted.sort == "job":
        return [Staff.role, Staff.name, Staff.id]
    return [Staff.name, Staff.id]


def staff_page(user: Staff, wanted: StaffFilters, page: int = 1) -> Page[Staff]:
    return page_of(staff_query(user, wanted), staff_order(wanted), page)
