"""Cases written straight to the database for the page and audit tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.extensions import db
from qa.org.models import Staff


def add_case(
    reference: str,
    holders: Sequence[tuple[date, Staff]],
    statuses: Sequence[tuple[date, str]],
    discussions: Sequence[tuple[date, Staff, Staff]] = (),
) -> Case:
    """A case held by each of `holders` from their date, with its statuses and its
    discussions (date, supervisee, supervisor)."""
    case = Case(reference=reference)
    db.session.add(case)
    for allocated_on, worker in holders:
        db.session.add(CaseAllocation(case=case, worker=worker, allocated_on=allocated_on))
    for starts_on, status in statuses:
        db.session.add(CaseStatus(case=case, status=status, starts_on=starts_on))
    for held_on, supervisee, supervisor in discussions:
        db.session.add(
            CaseDiscussion(case=case, supervisee=supervisee, supervisor=supervisor, held_on=held_on)
        )
    db.session.flush()
    return case
