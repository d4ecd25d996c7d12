"""The selections list, a page at a time: the runs a person may see, filtered by policy and
period, most recent first."""

from __future__ import annotations

from sqlalchemy import select

from qa.access import run_scope
from qa.lists import Page, page_of
from qa.org.models import Staff
from qa.selections.models import SelectionRun


def runs_page(
    user: Staff, policy_key: str = "", period: str = "", page: int = 1
) -> Page[SelectionRun]:
    """The runs `user` may see for the policy (any when blank) and periods starting with
    `period` ("2026" for the year, "2026-Q4", "2026-11"); a page past the end is the last."""
    query = select(SelectionRun).where(run_scope(user))
    if policy_key:
        query = query.where(SelectionRun.policy_key == policy_key)
    if period.strip():
        query = query.where(SelectionRun.period_key.startswith(period.strip().upper()))
    return page_of(query, [SelectionRun.ran_at.desc(), SelectionRun.id.desc()], page)
