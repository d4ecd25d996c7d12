"""Retention of case data: a case closed before the cut-off, with its allocations, statuses
and discussions, is deleted by the retention rule for closed cases (qa/jobs/retention.yaml).
A case reopened after its closure is not closed, so it stays."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import delete, func, select

from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.extensions import db
from qa.formatting import long_date


class CaseItem(NamedTuple):
    id: int
    label: str


def closed_cases(cutoff: date) -> Iterator[CaseItem]:
    """Cases whose latest status is Closed, from a day on or before `cutoff`."""
    latest = (
        select(CaseStatus.case_id, func.max(CaseStatus.starts_on).label("last"))
        .group_by(CaseStatus.case_id)
        .subquery()
    )
    query = (
        select(Case.id, Case.reference, CaseStatus.starts_on)
        .join(latest, latest.c.case_id == Case.id)
        .join(
            CaseStatus,
            (CaseStatus.case_id == Case.id) & (CaseStatus.starts_on == latest.c.last),
        )
        .where(CaseStatus.status == "closed", CaseStatus.starts_on <= cutoff)
        .order_by(Case.id)
    )
    for case_id, reference, closed in db.session.execute(query):
        yield CaseItem(case_id, f"Case {reference}, closed {long_date(closed)}")


def delete_cases(ids: Sequence[int]) -> None:
    """Delete the cases and everything recorded about them."""
    for start in range(0, len(ids), 1000):
        chunk = list(ids[start : start + 1000])
        for model in (CaseDiscussion, CaseStatus, CaseAllocation):
            db.session.execute(delete(model).where(model.case_id.in_(chunk)))
        db.session.execute(delete(Case).where(Case.id.in_(chunk)))
