"""Each cadence from draw to signed record, in a real browser, with no dead end between:
draw, audit, submit, sign off by whoever the policy names, then a reply after sign-off that
reaches the signed record and its signer.

- monthly: a service manager draws and audits; the head of service of the area signs off;
- quarterly: a head of service draws and audits; a quality assurance officer signs off
  (the head of service made the audit, Coventry supervision policy (2015), section 9.4);
- six-monthly: a QA officer draws the sample; a manager from another line audits; the head
  of service of the file's area signs off.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import Checker

pytestmark = pytest.mark.browser

FILL_SECTION = """() => {
  const groups = new Set();
  for (const radio of document.querySelectorAll('main input[type=radio]')) {
    if (!groups.has(radio.name)) { groups.add(radio.name); radio.checked = true; }
  }
  for (const box of document.querySelectorAll('main textarea')) {
    if (!box.value) { box.value = 'Seen on the file: the record of 27 October'; }
  }
}"""


def _drawn(live, policy: str, period: str):  # type: ignore[no-untyped-def]
    """The first audit the policy's latest draw made that has an auditor, with the keys of
    its auditor, its signer and its supervisee."""

    def find(org):  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from qa.audits.models import Audit
        from qa.extensions import db
        from qa.selections.models import SelectionRun

        run = db.session.scalar(
            select(SelectionRun).where(
                SelectionRun.policy_key == policy, SelectionRun.period_key == period
            )
        )
        audit = db.session.scalar(
            select(Audit)
            .where(Audit.run_id == run.id, Audit.auditor_id.is_not(None))
            .order_by(Audit.id)
        )
        key_of = {person.id: key for key, person in org.people.items()}
        area = audit.file.supervisee.service_area.name
        signer = (
            "qa_officer"
            if audit.sign_off_rule == "quality_assurance"
            else {"North": "head_of_service", "South": "head_south"}[area]
        )
        return audit.id, key_of[audit.auditor_id], signer, key_of[audit.file.supervisee_id]

    return live.build(find)


def _audit(page: Checker, audit_id: int) -> None:
    page.goto(f"/audits/{audit_id}")
    page.click("button", "Start the audit")
    page.follow(page.page.locator(".govuk-task-list a").first)
    while "/sections/" in page.path:
        page.page.evaluate(FILL_SECTION)
        page.click("button", "Save and continue")
    assert page.path.endswith("/check"), page.path
    page.click("button", "Submit for sign-off")
    assert page.path == f"/audits/{audit_id}/submitted", page.path


def _sign_off(page: Checker, audit_id: int) -> None:
    page.goto("/audits/sign-off")
    page.goto(f"/audits/{audit_id}/sign-off")
    page.page.get_by_label("Sign off the audit").check()
    page.page.get_by_label("Yes", exact=True).check()
    page.click("button", "Continue")
    assert page.error_summary_has_focus()  # the replies are not in yet: the signer says so
    page.page.get_by_label(re.compile("I am signing off before the replies are in")).check()
    page.click("button", "Continue")
    assert page.path == f"/audits/{audit_id}"
    assert "signed off" in page.page.inner_text("main").lower()


def _reply_after_sign_off(page: Checker, audit_id: int) -> None:
    page.goto(f"/audits/{audit_id}/reply")
    assert "added to the signed record" in page.page.inner_text("main")
    page.page.get_by_label("I want to respond").check()
    page.page.get_by_label("Your response").fill("The October session was held by phone")
    page.click("button", "Send your reply")
    assert page.path == f"/audits/{audit_id}"


@pytest.mark.parametrize(
    ("policy", "period", "selector"),
    [
        ("monthly-team-manager", "2026-11", "service_manager"),
        ("quarterly-service-manager", "2026-Q4", "head_of_service"),
        ("six-monthly-random", "2026-H2", "qa_officer"),
    ],
)
def test_each_cadence_runs_from_draw_to_a_signed_record_with_a_later_reply(
    page, live, policy, period, selector
):
    page.sign_in(selector)
    page.goto(f"/selections/draw/{policy}")
    page.page.get_by_label("Period").fill(period)
    page.click("button", "Draw the files")
    assert re.fullmatch(r"/selections/\d+", page.path), page.path
    audit_id, auditor, signer, supervisee = _drawn(live, policy, period)
    assert signer != auditor
    page.sign_out()
    page.sign_in(auditor)
    _audit(page, audit_id)
    page.sign_out()
    page.sign_in(signer)
    _sign_off(page, audit_id)
    page.sign_out()
    page.sign_in(supervisee)
    _reply_after_sign_off(page, audit_id)
    page.sign_out()
    page.sign_in(signer)
    page.goto(f"/audits/{audit_id}")
    main = page.page.inner_text("main")
    assert "added to the record after sign-off" in main and "held by phone" in main
