"""The main journeys, in a real browser, with every page checked by axe-core.

- a service manager draws the monthly audit and completes it with the keyboard alone;
- a head of service returns one audit and signs another off;
- a QA officer plans and draws the six-monthly sample, verifies it, opens the page that gives
  audits to another auditor (and its errors), moderates an audit
  (blind scores, then the agreed result), reads the themes and downloads the period report;
- an administrator imports a staff file with mistakes, fixes it and imports it.
"""

from __future__ import annotations

import re
import warnings
from datetime import date

import pytest

from tests.browser.conftest import NOW
from tests.browser.pages import Checker, TitleBook

pytestmark = pytest.mark.browser

READ_FOCUS = """() => {
  const e = document.activeElement;
  const radio = e.type === "radio";
  return {
    tag: e.tagName, type: e.type || "", value: e.value || "",
    text: (e.innerText || e.value || "").trim(),
    answered: radio && !!document.querySelector(`input[name="${e.name}"]:checked`),
  };
}"""


def keyboard_until(page: Checker, target: str, comment: str = "Seen on the file") -> None:
    """With the keyboard alone: Tab through the page, Space to pick the first answer of any
    question not yet answered, type into empty text boxes, and Enter on `target`.

    The first Tab reaches the skip link (Enter on it goes to the main content), or, on a page
    reached through the skip link's #main-content, the main content itself."""
    keys = page.page.keyboard
    keys.press("Tab")
    if page.page.evaluate(READ_FOCUS)["text"] == "Skip to main content":
        keys.press("Enter")
        keys.press("Tab")
    for _ in range(300):
        focus = page.page.evaluate(READ_FOCUS)
        if focus["type"] == "radio" and not focus["answered"]:
            keys.press("Space")
        elif focus["tag"] == "TEXTAREA" and not focus["value"]:
            keys.type(comment)
        elif focus["text"] == target and focus["tag"] in ("A", "BUTTON", "INPUT"):
            with page.page.expect_navigation():
                keys.press("Enter")
            page.check()
            return
        keys.press("Tab")
    raise AssertionError(f"{page.path}: tabbing never reached {target!r}")


def submitted_audits(count: int, sign_off: int = 0):  # type: ignore[no-untyped-def]
    """Audits of North files by the service manager, submitted (and some signed off)."""

    def make(org):  # type: ignore[no-untyped-def]
        from qa.audits import service, workflow
        from qa.audits.models import Audit
        from qa.extensions import db
        from tests.qa.security.world import CREATED, complete

        made = []
        for number, supervisee in enumerate(["practitioner", "senior_practitioner"][:count]):
            audit = Audit(
                file_id=org.file_of(supervisee).id,
                auditor_id=org.people["service_manager"].id,
                tool_id="supervision-file-audit",
                due_on=date(2026, 11, 30),
                state="selected",
                created_at=CREATED,
            )
            db.session.add(audit)
            db.session.commit()
            service.start(audit, org.people["service_manager"])
            complete(audit, org.people["service_manager"], answer="yes" if number else "partly")
            if number < sign_off:
                workflow.sign_off(
                    audit, org.people["head_of_service"], "A thorough file", early=True
                )
            made.append(audit.id)
        return made

    return make


def test_service_manager_draws_the_monthly_audit_and_completes_it_by_keyboard(page, live):
    page.sign_in("service_manager")
    page.goto("/selections/draw/monthly-team-manager")
    period = page.page.get_by_label("Period")
    period.fill("2026-13")
    page.click("button", "Draw the files")
    assert page.page.title().startswith("Error: ")
    assert page.error_summary_has_focus()
    period.fill(f"{NOW:%Y-%m}")
    page.click("button", "Draw the files")
    assert re.fullmatch(r"/selections/\d+", page.path)
    page.goto("/audits/")
    page.follow(page.page.locator("table a.govuk-link").first)
    keyboard_until(page, "Start the audit")
    keyboard_until(page, page.page.locator(".govuk-task-list a").first.inner_text().strip())
    while "/sections/" in page.path:
        keyboard_until(page, "Save and continue")
    assert page.path.endswith("/check")
    keyboard_until(page, "Submit for sign-off", comment="The answers show a good file")
    assert page.path.endswith("/submitted")
    assert "Audit submitted" in page.page.inner_text("h1")


def test_head_of_service_returns_one_audit_and_signs_one_off(page, live):
    first, second = live.build(submitted_audits(2))
    page.sign_in("head_of_service")
    page.goto("/audits/sign-off")
    page.goto(f"/audits/{first}/sign-off")
    page.page.get_by_label("Return it to the auditor").check()
    page.click("button", "Continue")
    assert page.error_summary_has_focus()
    page.page.get_by_label("Comment").fill("Say more about the child's voice")
    page.click("button", "Continue")
    assert page.path == f"/audits/{first}"
    assert "returned" in page.page.inner_text("main").lower()
    page.goto(f"/audits/{second}/sign-off")
    page.page.get_by_label("Sign off the audit").check()
    page.page.get_by_label("Yes", exact=True).check()
    page.page.get_by_label(re.compile("I am signing off before the replies are in")).check()
    page.page.get_by_label("Comment").fill("A thorough audit")
    page.click("button", "Continue")
    assert page.path == f"/audits/{second}"
    assert "signed off" in page.page.inner_text("main").lower()


def test_qa_officer_samples_verifies_moderates_and_reports(page, live):
    _, audit_id = live.build(submitted_audits(2, sign_off=1))
    page.sign_in("qa_officer")
    page.goto("/selections/draw/six-monthly-random")
    assert "can be drawn today" in page.page.inner_text("main")
    page.click("button", "Draw the files")
    assert re.fullmatch(r"/selections/\d+", page.path)
    page.click("button", "Verify this selection")
    assert "match" in page.page.inner_text("main").lower()
    run_path = page.path
    page.click("link", "Give several of these audits to another auditor")
    assert page.path.endswith("/give")
    page.click("button", "Give the audits")
    assert "Select at least one audit" in page.page.inner_text("main")
    page.goto(run_path)
    page.goto("/selections/?period=2026")
    assert "Selections 1 to" in page.page.inner_text("main")

    page.goto("/moderation/")
    page.page.check(f"#audit-{audit_id}")
    page.click("button", "Moderate the chosen audits")
    assert re.fullmatch(r"/moderation/\d+", page.path)
    form = page.page.locator("main form")
    for name in sorted(
        set(form.locator("input[type=radio]").evaluate_all("radios => radios.map(r => r.name)"))
    ):
        form.locator(f"input[type=radio][name='{name}']").first.check()
    for box in form.locator("textarea").all():
        box.fill("Seen on the file by the moderator")
    page.click("button", "Submit my scores")
    assert page.path.endswith("/compare")
    page.page.get_by_label("Good", exact=True).check()
    page.page.get_by_label("How was the result agreed?").fill("Agreed at the moderation panel")
    page.click("button", "Record the agreed result")
    assert "agreed" in page.page.inner_text("main").lower()

    if live.has_route("/trends/"):
        page.goto("/trends/")
        charts = page.page.locator("main svg")
        assert charts.count() > 0 and charts.first.is_visible(), "charts should show"
    if live.has_route("/trends/themes"):
        page.goto("/trends/themes")
    else:
        warnings.warn("Skipped the themes step: /trends/themes does not exist yet", stacklevel=1)
    if live.has_route("/reports/"):
        page.goto("/reports/")
        page.page.get_by_label("Half-year").check()
        page.page.get_by_label("Which one?").fill("2026-H2")
        page.click("button", "Make the report")
        assert page.page.title().startswith("Your report is ready"), page.page.title()
        with page.page.expect_download() as download:
            page.page.get_by_role("button", name="Download the report (PDF)").click()
        path = download.value.path()
        with open(path, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    else:
        warnings.warn("Skipped the report step: /reports/ does not exist yet", stacklevel=1)


STAFF_WITH_MISTAKES = (
    "staff_id,name,email,role,team,service_area,line_manager_id\n"
    "E1,Esme East,esme@council.org.uk,head_of_service,,East,\n"
    "E2,Eli East,not-an-email,service_manager,,East,E1\n"
    "E3,Eve East,eve@council.org.uk,wizard,East Duty,East,E2\n"
)
STAFF_FIXED = (
    "staff_id,name,email,role,team,service_area,line_manager_id\n"
    "E1,Esme East,esme@council.org.uk,head_of_service,,East,\n"
    "E2,Eli East,eli@council.org.uk,service_manager,,East,E1\n"
    "E3,Eve East,eve@council.org.uk,team_manager,East Duty,East,E2\n"
)


def test_administrator_fixes_a_staff_file_and_imports_it(page, live):
    page.sign_in("administrator")
    page.goto("/organisation/import")
    page.click("button", "Check the file")
    assert page.error_summary_has_focus()
    for text in (STAFF_WITH_MISTAKES, STAFF_FIXED):
        page.page.get_by_label("Staff", exact=True).check()
        page.page.get_by_label("Upload a file").set_input_files(
            {"name": "staff.csv", "mimeType": "text/csv", "buffer": text.encode()}
        )
        page.click("button", "Check the file")
        if text is STAFF_WITH_MISTAKES:
            assert "The file has 2 problems" in page.page.inner_text("h1")
            assert "not-an-email" in page.page.inner_text("main")
            page.click("link", "Upload a different file")
    assert "Check the import" in page.page.inner_text("h1")
    page.click("button", "Import the file")
    assert page.path == "/organisation/import"
    assert "3 added" in page.page.inner_text("main")


def test_error_summary_links_move_focus_to_the_field(page, live):
    page.goto("/sign-in")
    page.click("button", "Sign in")
    assert page.error_summary_has_focus()
    page.page.locator(".govuk-error-summary a").first.click()
    assert page.page.evaluate("document.activeElement.id") == "email"


UNREACHABLE_PROVIDER = {
    "OIDC_DISCOVERY_URL": "http://127.0.0.1:9/.well-known/openid-configuration",
    "OIDC_CLIENT_ID": "supervision-file-audit",
    "OIDC_CLIENT_SECRET": "not-used",
}


@pytest.mark.parametrize("live", [UNREACHABLE_PROVIDER], indirect=True)
def test_the_council_account_button_and_its_refusal_page_are_accessible(page, live):
    page.goto("/sign-in")
    page.click("button", "Sign in with your council account")
    assert "could not be reached" in page.page.inner_text("main")
    page.click("link", "Go to the sign-in page")


def test_page_titles_are_unique_for_each_page(titles: TitleBook):
    """Run after the journeys: two different pages never share a title."""
    if len(titles.by_route) < 10:
        pytest.skip("run with the journeys above, which collect the titles")
    assert not titles.shared(), titles.shared()
