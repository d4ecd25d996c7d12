"""A QA officer changes how often staff are supervised, in the browser: the change is a new
version of the council profile, in force from the next day, when the quantity page holds
staff to it; an audit signed off before keeps the version it was made under."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.conftest import NOW
from tests.browser.pages import Checker

pytestmark = pytest.mark.browser


def _setting_up(org):  # type: ignore[no-untyped-def]
    """A team manager last supervised on 20 October (within six weeks on 24 November, not
    within four), and an audit signed off under the shipped Coventry profile."""
    from qa.extensions import db
    from qa.org.models import SupervisionSession
    from tests.qa.reports.helpers import signed_off

    supervision_file = org.file_of("team_manager")
    db.session.add(
        SupervisionSession(
            file=supervision_file,
            supervisor=supervision_file.supervisor,
            held_on=date(2026, 10, 20),
            kind="case",
            recorded_on=date(2026, 10, 20),
            signed_by_supervisor_on=date(2026, 10, 20),
            signed_by_supervisee_on=date(2026, 10, 20),
        )
    )
    db.session.commit()
    audit = signed_off(org)
    audit.profile_name, audit.profile_version = "coventry", 1
    db.session.commit()
    return audit.id


def _audit_rules(audit_id: int):  # type: ignore[no-untyped-def]
    def read(org):  # type: ignore[no-untyped-def]
        from qa.audits import service as audits
        from qa.audits.models import Audit
        from qa.extensions import db

        audit = db.session.get(Audit, audit_id)
        rules = audits.facts_for(audit)
        return audit.state, audit.profile_version, rules.frequency.sessions_expected

    return read


def _overdue(page: Checker) -> dict[str, str]:
    """The quantity page's overdue rows, by the person's name."""
    page.goto("/trends/quantity")
    rows = page.page.locator("main table tbody tr").all_inner_texts()
    return {row.split("\t")[0].strip(): row for row in rows}


def test_a_qa_officer_changes_a_frequency_used_from_the_next_day(page, live):
    audit_id = live.build(_setting_up)
    before = live.build(_audit_rules(audit_id))
    page.sign_in("qa_officer")
    team_manager = live.people["team_manager"].name
    assert team_manager not in _overdue(page)  # 34 days since: within Coventry's six weeks

    page.goto("/profiles/coventry")
    page.click("link", "Change this profile’s rules")
    page.page.locator("#c0-interval").fill("28")
    page.click("button", "Save as a new version")
    assert page.error_summary_has_focus()  # no reason given: nothing is saved
    assert "Enter why the profile changes" in page.page.inner_text(".govuk-error-summary")
    assert page.page.locator("#c0-interval").input_value() == "28"  # kept as entered
    page.page.get_by_label("Why the profile changes").fill(
        "The council's revised policy: every four weeks for all staff"
    )
    page.click("button", "Save as a new version")
    assert page.path == "/profiles/coventry", page.path
    main = page.page.inner_text("main")
    assert "version 2 is saved. It is in force from 24 November 2026" in main
    assert "every four weeks for all staff" in main  # the history, with the reason
    assert team_manager not in _overdue(page)  # today keeps its rules

    live.app.config["FIXED_NOW"] = NOW + timedelta(days=1)
    page.sign_in("qa_officer")  # the next day: the last day's sign-in has run out
    overdue = _overdue(page)
    assert "Every 28 days" in overdue[team_manager]  # 35 days since 20 October
    page.goto("/profiles/coventry")
    assert "At least every 28 days" in page.page.inner_text("main")
    assert live.build(_audit_rules(audit_id)) == before  # the signed-off audit keeps version 1
    assert before[:2] == ("signed_off", 1)
