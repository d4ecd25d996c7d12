"""A team manager finds the overdue cases of their team on the Case discussions page, in a
real browser with axe-core checking the page, and their service manager and the QA officer
see the same figure for that team in their area's and the whole service's tables."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.browser

LEICESTER = {"COUNCIL_PROFILE": "leicester"}


def caseloads(org):  # type: ignore[no-untyped-def]
    from qa.extensions import db
    from tests.qa.cases.helpers import add_case

    p, sp, tm = (org.people[k] for k in ("practitioner", "senior_practitioner", "team_manager"))
    add_case(
        "104001",
        [(date(2026, 9, 1), p)],
        [(date(2026, 9, 1), "child_protection")],
        [(date(2026, 11, 1), p, tm)],
    )
    add_case(
        "104002",
        [(date(2026, 6, 1), p)],
        [(date(2026, 6, 1), "child_in_need")],
        [(date(2026, 9, 15), p, tm)],
    )
    add_case("104003", [(date(2026, 10, 1), sp)], [(date(2026, 10, 1), "single_agency")])
    n2 = org.people["practitioner_n2"]
    add_case("204001", [(date(2026, 7, 1), n2)], [(date(2026, 7, 1), "looked_after")])
    db.session.commit()


@pytest.mark.parametrize("live", [LEICESTER], indirect=True)
def test_a_team_manager_finds_their_teams_overdue_cases(page, live):
    live.build(caseloads)
    page.sign_in("team_manager")
    page.click("link", "Case discussions")
    assert page.path == "/trends/case-discussions/"
    assert "33% (1 of 3 cases" in page.page.inner_text("main")
    overdue = page.page.locator("table", has_text="Case reference").first.inner_text()
    assert "104002" in overdue and "104003" in overdue
    assert "104001" not in overdue and "204001" not in overdue
    for viewer in ("service_manager", "qa_officer"):
        page.sign_out()
        page.sign_in(viewer)
        page.click("link", "Case discussions")
        by_team = page.page.locator("table", has_text="by team").inner_text()
        assert "North Safeguarding team" in by_team and "1 of 3" in by_team, viewer
