"""The audits a person may see, filtered, sorted and a page at a time, and the counts the
home page's figures are made of (the same query, so a figure and its list always agree)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import aliased

from qa.access import area_scope, audit_scope, team_scope
from qa.audits.models import Audit
from qa.audits.states import EDITABLE, AuditState
from qa.clock import today
from qa.extensions import db
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
from qa.selections.models import SelectionRun
from qa.selections.policies import current_policies

NOT_DRAWN = "none"  # the policy filter for audits not drawn in a selection (re-audits)
NOT_DRAWN_LABEL = "Not drawn in a selection (such as re-audits)"

# How far audits have got, counting every later state: what the home page's figures count.
STAGES: dict[str, tuple[str, tuple[AuditState, ...]]] = {
    "drawn": (
        "Drawn (not cancelled)",
        (
            AuditState.SELECTED,
            AuditState.IN_PROGRESS,
            AuditState.RETURNED,
            AuditState.SUBMITTED,
            AuditState.SIGNED_OFF,
        ),
    ),
    "started": (
        "Started (in progress or further)",
        (AuditState.IN_PROGRESS, AuditState.RETURNED, AuditState.SUBMITTED, AuditState.SIGNED_OFF),
    ),
    "submitted": (
        "Submitted (waiting for sign-off or signed off)",
        (AuditState.SUBMITTED, AuditState.SIGNED_OFF),
    ),
    "signed_off": ("Signed off", (AuditState.SIGNED_OFF,)),
    "not_started": ("Not started", (AuditState.SELECTED,)),
    "in_progress": ("In progress", (AuditState.IN_PROGRESS,)),
    "waiting": ("Waiting for sign-off", (AuditState.SUBMITTED,)),
    "returned": ("Returned to the auditor", (AuditState.RETURNED,)),
    "cancelled": ("Cancelled", (AuditState.CANCELLED,)),
}
STATE_CHOICES = {value: label for value, (label, _) in STAGES.items()}
# The stages the home page counts: the first four, each including every later one.
FIGURE_STAGES: tuple[str, ...] = tuple(STAGES)[:4]
SORTS = {
    "due": "Due date, earliest first",
    "drawn": "Date drawn, most recent first",
    "name": "Supervisee's name",
    "state": "Stage",
}


@dataclass(frozen=True)
class AuditFilters(ListFilters):
    """What a list of audits is narrowed to; a blank field matches anything."""

    period: str = ""
    policy: str = ""
    area: int | None = None
    team: int | None = None
    state: str = ""
    auditor: int | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "due"


@dataclass(frozen=True)
class Options:
    """What the filter boxes offer this person: only what they may see."""

    policies: dict[str, str]
    areas: dict[int, str]
    teams: dict[int, str]
    auditors: dict[int, str]


def options_for(user: Staff) -> Options:
    policies = {row.key: policy.title for row, policy in current_policies()}
    policies[NOT_DRAWN] = NOT_DRAWN_LABEL
    areas = pairs(
        select(ServiceArea.id, ServiceArea.name).where(area_scope(user)).order_by(ServiceArea.name)
    )
    teams = pairs(select(Team.id, Team.name).where(team_scope(user)).order_by(Team.name))
    auditor = aliased(Staff)
    auditors = pairs(
        _base(user)
        .join(auditor, auditor.id == Audit.auditor_id)
        .with_only_columns(auditor.id, auditor.name)
        .distinct()
        .order_by(auditor.name)
    )
    return Options(policies, areas, teams, auditors)


def read_filters(user: Staff, args: Mapping[str, str]) -> tuple[AuditFilters, list[Problem]]:
    """The filters in a query string, and a problem for each value that cannot be used (that
    filter is then left out)."""
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
    keep("policy", read_choice("policy", args.get("policy", ""), options.policies, "a policy"))
    keep("area", read_id("area", args.get("area", ""), options.areas, "a service area"))
    keep("team", read_id("team", args.get("team", ""), options.teams, "a team"))
    keep("state", read_choice("state", args.get("state", ""), STATE_CHOICES, "a stage"))
    keep("auditor", read_id("auditor", args.get("auditor", ""), options.auditors, "an auditor"))
    keep("overdue", read_yes("overdue", args.get("overdue", ""), "overdue only"))
    keep("q", read_search(args.get("q", "")))
    sort = read_choice("sort", args.get("sort", ""), SORTS, "an order")
    keep("sort", sort or "due")
    return AuditFilters(**values), problems


def _base(user: Staff) -> Select[Any]:
    """Every audit the person may read, joined to its file and supervisee for the scope."""
    return (
        select(Audit)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .outerjoin(SelectionRun, SelectionRun.id == Audit.run_id)
        .where(audit_scope(user))
    )


def overdue_clause(on: date) -> ColumnElement[bool]:
    return Audit.state.in_(EDITABLE) & (Audit.due_on < on)


def audits_query(user: Staff, wanted: AuditFilters, on: date | None = None) -> Select[Any]:
    """The audits the person may read that match `wanted`."""
    query = _base(user)
    if wanted.period:
        found = read_period(wanted.period)
        if isinstance(found, Period):
            query = query.where(found.covers(Audit.created_at))
    if wanted.policy == NOT_DRAWN:
        query = query.where(Audit.run_id.is_(None))
    elif wanted.policy:
        query = query.where(SelectionRun.policy_key == wanted.policy)
    if wanted.area is not None:
        query = query.where(Staff.service_area_id == wanted.area)
    if wanted.team is not None:
        query = query.where(Staff.team_id == wanted.team)
    if wanted.state:
        query = query.where(Audit.state.in_(STAGES[wanted.state][1]))
    if wanted.auditor is not None:
        query = query.where(Audit.auditor_id == wanted.auditor)
    if wanted.overdue:
        query = query.where(overdue_clause(on or today()))
    if wanted.q:
        auditor = aliased(Staff)
        query = query.outerjoin(auditor, auditor.id == Audit.auditor_id).where(
            Staff.name.ilike(like(wanted.q), escape="\\")
            | auditor.name.ilike(like(wanted.q), escape="\\")
        )
    return query


def audit_order(wanted: AuditFilters) -> list[Any]:
    if wanted.sort == "drawn":
        return [Audit.created_at.desc(), Audit.id.desc()]
    if wanted.sort == "name":
        return [Staff.name, Audit.id]
    if wanted.sort == "state":
        rank = case({s: i for i, s in enumerate(AuditState)}, value=Audit.state, else_=99)
        return [rank, Audit.due_on, Audit.id]
    return [Audit.due_on, Audit.id]


def audits_page(user: Staff, wanted: AuditFilters, page: int = 1) -> Page[Audit]:
    return page_of(audits_query(user, wanted), audit_order(wanted), page)


def audit_count(user: Staff, wanted: AuditFilters) -> int:
    return count_of(audits_query(user, wanted))


@dataclass(frozen=True)
class StageCounts:
    """How far one group's audits have got (each count includes every later stage)."""

    label: str
    filters: AuditFilters
    drawn: int
    started: int
    submitted: int
    signed_off: int

    @property
    def completion(self) -> float | None:
        """The share of audits drawn that are signed off."""
        return self.signed_off / self.drawn if self.drawn else None

    def link_filters(self, stage: str) -> dict[str, str]:
        return {**self.filters.args(), "state": stage}


def stage_counts(user: Staff, period: str, by: str, labels: Mapping[Any, str]) -> list[StageCounts]:
    """For the period, each group's audits by stage: `by` is "policy", "area" or "team",
    `labels` the groups to show (by policy key or id), in order."""
    column = {
        "policy": func.coalesce(SelectionRun.policy_key, NOT_DRAWN),
        "area": Staff.service_area_id,
        "team": Staff.team_id,
    }[by]
    query = audits_query(user, AuditFilters(period=period))
    rows = db.session.execute(
        query.with_only_columns(column, Audit.state, func.count(Audit.id)).group_by(
            column, Audit.state
        )
    ).all()
    counts: dict[Any, dict[str, int]] = {}
    for group, state, n in rows:
        counts.setdefault(group, {})[state] = n
    found = []
    for key, label in labels.items():
        states = counts.get(key, {})
        if not states and by != "policy":
            continue
        totals = {stage: sum(states.get(s, 0) for s in STAGES[stage][1]) for stage in FIGURE_STAGES}
        if by == "policy" and not totals["drawn"]:
            continue
        found.append(StageCounts(label, AuditFilters(period=period, **{by: key}), **totals))
    return found
