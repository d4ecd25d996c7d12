"""The demo council's caseloads: realistic numbers and statuses, transfers and closures, and
discussions that make some teams good and some poor, all through the import; the database
judges them as the Python rules did."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from qa.cases.models import Case, CaseAllocation, CaseStatus
from qa.cases.service import case_discussions
from qa.demo import organisation as demo
from qa.extensions import db
from qa.org.models import Staff
from tests.qa.cases.case_reference import reference_case_discussions

TODAY = date(2026, 11, 23)


def test_the_demo_council_has_caseloads_with_good_and_poor_teams(app):
    demo.load(TODAY, profile="leicester")
    assert db.session.scalar(select(func.count(Case.id))) > 1000
    transferred = db.session.scalar(
        select(func.count()).select_from(
            select(CaseAllocation.case_id)
            .group_by(CaseAllocation.case_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    closed = db.session.scalar(
        select(func.count(CaseStatus.id)).where(CaseStatus.status == "closed")
    )
    assert transferred > 20 and closed > 50
    qa_officer = db.session.scalar(select(Staff).where(Staff.role == "qa_officer"))
    page = case_discussions(qa_officer, TODAY)
    shares = {share.label: share for share in page.by_team}
    assert shares["Safeguarding North team"].rate > shares["Safeguarding South team"].rate + 0.1
    per_worker = [share.n for share in page.by_worker if share.label]
    safeguarding = [line.worker for line in page.cases if line.team == "Safeguarding North team"]
    counts = [safeguarding.count(worker) for worker in set(safeguarding)]
    assert min(counts) >= 8 and max(counts) <= 30 and len(per_worker) > 50
    statuses = {line.status for line in page.cases}
    assert {
        "Child protection plan",
        "Looked after",
        "Care leaver in suitable accommodation",
    } <= statuses
    manager = db.session.scalar(select(Staff).where(Staff.role == "team_manager").limit(1))
    for user, on in ((qa_officer, TODAY), (qa_officer, date(2026, 2, 28)), (manager, TODAY)):
        found = case_discussions(user, on)
        assert (found.cases, found.over_time) == reference_case_discussions(user, on)
