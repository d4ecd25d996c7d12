"""The selections list, a page at a time: the runs a person may see, filtered by policy and
period, most recent first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from qa.access import run_scope
from qa.extensions import db
from qa.org.models import Staff
from qa.selections.models import SelectionRun

PER_PAGE = 50


@dataclass(frozen=True)
class RunPage:
    """One page of the runs that match, most recent first."""

    runs: list[SelectionRun]
    page: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.runs else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * PER_PAGE + len(self.runs)


def runs_page(user: Staff, policy_key: str = "", period: str = "", page: int = 1) -> RunPage:
    """The runs `user` may see for the policy (any when blank) and periods starting with
    `period` ("2026" for the year, "2026-Q4", "2026-11"); a page past the end is the last."""
    query = select(SelectionRun).where(run_scope(user))
    if policy_key:
        query = query.where(SelectionRun.policy_key == policy_key)
    if period.strip():
        query = query.where(SelectionRun.period_key.startswith(period.strip().upper()))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    ordered = query.order_by(SelectionRun.ran_at.desc(), SelectionRun.id.desc())
    runs = db.session.scalars(ordered.offset((page - 1) * PER_PAGE).limit(PER_PAGE))
    return RunPage(list(runs), page, pages, total)
