"""Changing an audit tool in the browser and auditing with it, at a desktop's width (1280 px)
and a phone's (390 px): a QA officer adds a question, previews and saves a new version and
prints a blank copy; a service manager starts an audit with the new version, answers the new
question and prints the audit before sign-off. axe-core finds nothing on any page."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.browser.pages import AXE_TAGS, RUN_AXE, Checker

pytestmark = pytest.mark.browser

TOOL = "supervision-file-audit"
SHIPPED = 2  # the version the service ships; the editor saves the next
QUESTION = "Is the worker's caseload weighted and discussed?"
WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def not_too_wide(page: Checker) -> None:
    assert not page.page.evaluate(WIDER_THAN_THE_SCREEN), f"{page.path} is wider than the screen"


def print_view(page: Checker, path: str) -> str:
    """A print view has no GOV.UK scripts to run; axe-core still checks it."""
    response = page.page.goto(path)
    assert response is not None and response.status == 200, path
    page.page.add_script_tag(url="/__axe__/axe.min.js")
    violations = page.page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, f"{path}: {violations}"
    not_too_wide(page)
    return str(page.page.inner_text("main"))


def an_audit_to_do(org):  # type: ignore[no-untyped-def]
    from qa.audits.models import Audit
    from qa.extensions import db

    audit = Audit(
        file_id=org.file_of("practitioner").id,
        auditor_id=org.people["service_manager"].id,
        tool_id=TOOL,
        due_on=date(2026, 11, 30),
        state="selected",
        created_at=datetime(2026, 11, 2, 6),
    )
    db.session.add(audit)
    db.session.commit()
    return audit.id


def answer_of(audit_id: int):  # type: ignore[no-untyped-def]
    def read(org):  # type: ignore[no-untyped-def]
        from qa.audits.models import Audit
        from qa.audits.service import answers_of
        from qa.extensions import db

        audit = db.session.get(Audit, audit_id)
        return audit.tool_version, {k: (a.answer, a.comment) for k, a in answers_of(audit).items()}

    return read


@pytest.mark.parametrize("width", [1280, 390])
def test_a_qa_officer_adds_a_question_and_an_auditor_answers_it(page, live, width):
    page.page.set_viewport_size({"width": width, "height": 900})
    page.sign_in("qa_officer")
    page.goto(f"/audits/tools/{TOOL}/{SHIPPED}")
    page.click("button", "Change this tool")
    assert page.path == f"/audits/tools/{TOOL}/draft"
    not_too_wide(page)
    page.click("link", "Add a question to section 1")
    not_too_wide(page)
    form = page.page
    form.get_by_label("Question", exact=True).fill(QUESTION)
    form.get_by_label("What good looks like", exact=True).fill(
        "Caseload weighting is reviewed at each session and recorded."
    )
    form.get_by_label("Policy sections this question comes from", exact=True).fill(
        "Coventry supervision policy (99), section 9.3"
    )
    page.click("button", "Save question")
    assert form.title().startswith("Error: ")
    assert page.error_summary_has_focus()
    form.get_by_label("Policy sections this question comes from", exact=True).fill(
        "Coventry supervision policy (2015), section 9.3"
    )
    page.click("button", "Save question")
    assert QUESTION in form.inner_text("main")
    page.click("button", "Preview what an auditor sees")
    assert QUESTION in form.inner_text("main")
    not_too_wide(page)
    page.goto(f"/audits/tools/{TOOL}/draft")
    page.click("button", "Save as a new version")
    form.get_by_label("Why are you making this version?", exact=True).fill(
        "Caseloads are audited from December"
    )
    page.click("button", "Save as a new version")
    assert page.path == f"/audits/tools/{TOOL}/{SHIPPED + 1}"
    assert f"version {SHIPPED + 1} saved" in form.inner_text("main")
    assert QUESTION in print_view(page, f"/audits/tools/{TOOL}/{SHIPPED + 1}/print")

    audit_id = live.build(an_audit_to_do)
    form.context.clear_cookies()  # signed out (the phone's menu hides the button)
    page.sign_in("service_manager")
    page.goto(f"/audits/{audit_id}")
    page.click("button", "Start the audit")
    page.follow(form.locator(".govuk-task-list a").first)
    not_too_wide(page)
    question = form.get_by_role("group", name=QUESTION)
    question.get_by_label("Partly", exact=True).check()
    evidence = form.locator("textarea").first
    evidence.fill("Weighting recorded in two of the last three sessions")
    page.click("button", "Save and come back later")
    version, answers = live.build(answer_of(audit_id))
    assert version == SHIPPED + 1
    assert ("partly", "Weighting recorded in two of the last three sessions") in answers.values()
    printed = print_view(page, f"/audits/{audit_id}/print")
    assert QUESTION in printed and "Not signed off" in printed
