"""The actions a person may see, filtered, sorted and a page at a time: the list behind the
home page's count of overdue actions (the same query, so the two always agree)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, select
from sqlalchemy.orm import aliased

from qa.access import area_scope, staff_scope, team_scope
from qa.actions.models import Action
from qa.actions.states import LABELS, ActionState
from qa.audits.models import Audit
from qa.clock import today
from qa.lists import (
    ListFilters,
    Page,
    Period,
    Problem,
    count_of,
    like,
    page_of,
    pairs,
    read_choice,
    read_id,
    read_period,
    read_search,
    read_yes,
)
from qa.org.models import ServiceArea, Staff, SupervisionFile, Team

STATE_CHOICES = {state.value: LABELS[state] for state in ActionState}
SORTS = {
    "due": "Open first, then by due date",
    "owner": "Owner's name",
    "raised": "Date raised, most recent first",
}


@dataclass(frozen=True)
class ActionFilters(ListFilters):
    """What a list of actions is narrowed to; a blank field matches anything."""

    period: str = ""
    area: int | None = None
    team: int | None = None
    state: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "due"


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


def read_filters(user: Staff, args: Mapping[str, str]) -> tuple[ActionFilters, list[Problem]]:
    """The filters in a query string, and a problem for each value that cannot be used."""
    options = options_for(user)
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def keep(name: str, read: object) -> None:
        if isinstance(read, Problem):
            problems.append(read)
        else:
            values[name] = read

    period = args.get("period", "").strip()
    if period:
        found = read_period(period)
        keep("period", found.key if isinstance(found, Period) else found)
    keep("area", read_id("area", args.get("area", ""), options.areas, "a service area"))
    keep("team", read_id("team", args.get("team", ""), options.teams, "a team"))
    keep("state", read_choice("state", args.get("state", ""), STATE_CHOICES, "a status"))
    keep("overdue", read_yes("overdue", args.get("overdue", ""), "overdue only"))
    keep("q", read_search(args.get("q", "")))
    keep("sort", read_choice("sort", args.get("sort", ""), SORTS, "an order") or "due")
    return ActionFilters(**values), problems


def overdue_clause(on: date) -> ColumnElement[bool]:
    """Still open, not marked done, after its due date (as `Action.is_overdue`)."""
    return (Action.status == ActionState.OPEN) & (Action.due_on < on)


def actions_query(user: Staff, wanted: ActionFilters, on: date | None = None) -> Select[Any]:
    """The actions the person may see (those owned by staff in their scope) that match."""
    supervisee = aliased(Staff)
    query = (
        select(Action)
        .join(Staff, Staff.id == Action.owner_id)
        .join(Audit, Audit.id == Action.audit_id)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(supervisee, supervisee.id == SupervisionFile.supervisee_id)
        .where(staff_scope(user))
    )
    if wanted.period:
        found = read_period(wanted.period)
        if isinstance(found, Period):
            query = query.where(found.covers(Action.due_on))
    if wanted.area is not None:
        query = query.where(Staff.service_area_id == wanted.area)
    if wanted.team is not None:
        query = query.where(Staff.team_id == wanted.team)
    if wanted.state:
        query = query.where(Action.status == wanted.state)
    if wanted.overdue:
        query = query.where(overdue_clause(on or today()))
    if wanted.q:
        pattern = like(wanted.q)
        query = query.where(
            Staff.name.ilike(pattern, escape="\\")
            | supervisee.name.ilike(pattern, escape="\\")
            | Action.description.ilike(pattern, escape="\\")
        )
    return query


def _order(wanted: ActionFilters) -> list[Any]:
    if wanted.sort == "owner":
        return [Staff.name, Action.due_on, Action.id]
    if wanted.sort == "raised":
        return [Action.created_at.desc(), Action.id.desc()]
    rank = case({s.value: i for i, s in enumerate(ActionState)}, value=Action.status, else_=9)
    return [rank, Action.due_on, Action.id]


def actions_page(user: Staff, wanted: ActionFilters, page: int = 1) -> Page[Action]:
    return page_of(actions_query(user, wanted), _order(wanted), page)


def action_count(user: Staff, wanted: ActionFilters) -> int:
    return count_of(actions_query(user, wanted))
