"""Retention of case data: a case closed longer ago than the retention file keeps closed
cases is deleted with its history and discussions, shown first in the dry run; open cases,
and cases closed more recently, stay."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.extensions import db
from qa.jobs import retention
from tests.qa.cases.helpers import add_case


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_closed_cases_are_deleted_two_years_after_closure(app, org):
    p, tm = org.people["practitioner"], org.people["team_manager"]
    old = add_case(
        "500001",
        [(date(2023, 1, 9), p)],
        [(date(2023, 1, 9), "child_in_need"), (date(2024, 11, 1), "closed")],
        [(date(2023, 2, 1), p, tm)],
    )
    add_case(
        "500002",
        [(date(2024, 1, 9), p)],
        [(date(2024, 1, 9), "child_in_need"), (date(2025, 1, 6), "closed")],
    )
    add_case(
        "500003",
        [(date(2022, 1, 10), p)],
        [
            (date(2022, 1, 10), "child_in_need"),
            (date(2022, 6, 1), "closed"),
            (date(2024, 3, 1), "child_protection"),
        ],
    )
    db.session.commit()
    plan = {r.rule.key: r for r in retention.plan().reports}
    closed = plan["closed-cases"]
    assert closed.ids == [old.id]
    assert closed.items[0].description == "Case 500001, closed 1 November 2024"
    assert count(Case) == 3
    retention.apply(None)
    assert sorted(db.session.scalars(select(Case.reference))) == ["500002", "500003"]
    assert count(CaseDiscussion) == 0
    assert count(CaseAllocation) == 2 and count(CaseStatus) == 5
