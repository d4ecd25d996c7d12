"""The selections list, a page at a time: the runs a person may see, filtered by policy and
period, most recent first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from qa.access import run_scope
from qa.lists import ListFilters, Page, page_of
from qa.org.models import Staff
from qa.selections.models import SelectionRun

MOST_RECENT_FIRST = (SelectionRun.ran_at.desc(), SelectionRun.id.desc())


@dataclass(frozen=True)
class RunFilters(ListFilters):
    """What the selections list is narrowed to: a policy (by key) and periods starting with
    `period` ("2026" for the year, "2026-Q4", "2026-11"); blank matches anything."""

    policy: str = ""
    period: str = ""


def read_filters(args: Mapping[str, str]) -> RunFilters:
    return RunFilters(args.get("policy", "")[:64], args.get("period", "")[:10])


def runs_query(user: Staff, wanted: RunFilters) -> Select[Any]:
    """The runs `user` may see that match `wanted`."""
    query = select(SelectionRun).where(run_scope(user))
    if wanted.policy:
        query = query.where(SelectionRun.policy_key == wanted.policy)
    if wanted.period.strip():
        query = query.where(SelectionRun.period_key.startswith(wanted.period.strip().upper()))
    return query


def runs_page(user: Staff, wanted: RunFilters, page: int = 1) -> Page[SelectionRun]:
    """A page of the runs, most recent first; a page past the end is the last."""
    return page_of(runs_query(user, wanted), MOST_RECENT_FIRST, page)
