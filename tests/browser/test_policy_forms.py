"""Sampling policies changed in the browser, with no settings typed as code:

- a QA officer changes the monthly policy's size with the radios, previews the number of
  files it would draw today and why, and saves it as a new version; the next draw uses the
  new version, while a selection drawn before keeps its version and its audits;
- a QA officer makes a new one-off thematic audit of chosen files and draws it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from tests.browser.pages import Checker

pytestmark = pytest.mark.browser


def _more_files(org) -> None:  # type: ignore[no-untyped-def]
    """Two more practitioners for each North team manager, so each workload has 3 or more."""
    from qa.extensions import db
    from qa.org.models import Staff, SupervisionFile

    for manager in ("team_manager", "team_manager_n2"):
        boss = org.people[manager]
        for number in (1, 2):
            person = Staff(
                external_id=f"T-{manager}-more-{number}",
                name=f"Robin {manager.split('_')[-1].title()} {number}",
                email=f"{manager}.{number}@council.org.uk",
                role="practitioner",
                service_area=boss.service_area,
                team=boss.team,
                line_manager=boss,
                case_holding=True,
                start_date=date(2020, 1, 6),
            )
            db.session.add(person)
            db.session.add(
                SupervisionFile(supervisee=person, supervisor=boss, opened_on=date(2020, 1, 6))
            )
    db.session.commit()


def _october_run(org):  # type: ignore[no-untyped-def]
    """Last month's selection, drawn under version 1 of the monthly policy."""
    from qa.extensions import db
    from qa.selections import service

    _more_files(org)
    sm = org.people["service_manager"]
    run, _ = service.run_selection("monthly-team-manager", "2026-10", sm, sm)
    run.ran_at = datetime(2026, 10, 1, 9, 0)
    db.session.commit()
    return run.id


def _runs(live, policy: str):  # type: ignore[no-untyped-def]
    def find(org):  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from qa.audits.models import Audit
        from qa.extensions import db
        from qa.selections.models import SelectionRun

        runs = db.session.scalars(
            select(SelectionRun).where(SelectionRun.policy_key == policy).order_by(SelectionRun.id)
        ).all()
        return [
            (
                run.id,
                run.period_key,
                run.policy_version,
                sorted(
                    (a.file.supervisee.name, a.tool_id)
                    for a in db.session.scalars(select(Audit).where(Audit.run_id == run.id))
                ),
            )
            for run in runs
        ]

    return live.build(find)


def test_a_qa_officer_changes_the_monthly_size_with_a_preview_and_the_next_draw_uses_it(
    page: Checker, live
):
    old_run = live.build(_october_run)
    page.sign_in("qa_officer")
    page.goto("/selections/policies")
    page.click("link", "Monthly team manager audit")
    page.page.get_by_label("A fixed number of files").check()
    page.page.get_by_label("Number of files", exact=True).fill("2")
    page.click("button", "Preview the number of files")
    preview = page.page.inner_text("#size-preview")
    assert "Team Manager's workload, drawn by Service Manager: 2 files" in preview
    assert "The policy sets a fixed sample of 2 files." in preview
    page.page.get_by_label("Why are you changing the policy?").fill(
        "Two files a month give the service managers a fuller picture"
    )
    page.click("button", "Save as a new version")
    assert page.path == "/selections/policies"
    assert "Monthly team manager audit: version 2 saved" in page.page.inner_text("main")
    page.sign_out()

    page.sign_in("service_manager")
    page.goto("/selections/draw/monthly-team-manager")
    page.page.get_by_label("Period").fill("2026-11")
    page.click("button", "Draw the files")
    assert re.fullmatch(r"/selections/\d+", page.path), page.path
    assert "Monthly team manager audit, version 2" in page.page.inner_text("main")
    runs = {
        period: (version, audits)
        for _, period, version, audits in _runs(live, "monthly-team-manager")
    }
    assert runs["2026-11"][0] == 2 and len(runs["2026-11"][1]) == 2
    assert runs["2026-10"][0] == 1 and len(runs["2026-10"][1]) == 1
    page.goto(f"/selections/{old_run}")
    assert "Monthly team manager audit, version 1" in page.page.inner_text("main")


def test_a_qa_officer_makes_a_one_off_thematic_audit_of_chosen_files_and_draws_it(
    page: Checker, live
):
    page.sign_in("qa_officer")
    page.goto("/selections/policies")
    page.click("button", "Make a new policy")
    page.page.get_by_label("Title").fill("Voice of the child thematic audit")
    page.page.get_by_label("Once only (an ad hoc or thematic audit)").check()
    page.page.get_by_label("A quality assurance officer, for the whole service").check()
    page.page.get_by_label("A chosen list of files (for a thematic audit)").check()
    page.page.get_by_label("Practitioner, practitioner", exact=True).check()
    page.page.get_by_label("Practitioner South, practitioner").check()
    page.page.get_by_label("Personal supervision audit", exact=False).check()
    page.page.get_by_label("A fixed number of files").check()
    page.page.get_by_label("Number of files", exact=True).fill("5")
    page.click("button", "Preview the number of files")
    preview = page.page.inner_text("#size-preview")
    assert "Across the service: 2 files" in preview and "so we audit them all" in preview
    page.page.get_by_label("Why is this policy needed?").fill(
        "The autumn audits found the child's voice missing in the North and South"
    )
    page.click("button", "Save the new policy")
    assert "Voice of the child thematic audit: version 1 saved" in page.page.inner_text("main")
    page.click("link", "Voice of the child thematic audit")
    assert page.page.get_by_label("Once only (an ad hoc or thematic audit)").is_checked()
    page.goto("/selections/draw/voice-of-the-child-thematic-audit")
    assert page.page.get_by_label("Period").input_value() == "2026-11-23"
    page.click("button", "Draw the files")
    assert re.fullmatch(r"/selections/\d+", page.path), page.path
    ((_, period, version, audits),) = _runs(live, "voice-of-the-child-thematic-audit")
    assert (period, version) == ("2026-11-23", 1)
    assert audits == [
        ("Practitioner", "personal-supervision-audit"),
        ("Practitioner South", "personal-supervision-audit"),
    ]
