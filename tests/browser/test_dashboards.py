"""The home dashboards and the lists at scale, in a real browser at a desktop's width
(1280 px) and a phone's (390 px): axe-core finds nothing on any of them, no page is wider
than the screen, and a figure's link leads to a list of exactly that many.

With QA_SCREENSHOTS=1 the test also saves each home page at both widths into
docs/screenshots/, the images the README shows.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.browser.pages import Checker
from tests.browser.test_journeys import submitted_audits

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth"


def more_audits(org):  # type: ignore[no-untyped-def]
    """Audits at every stage drawn by a selection, one overdue, and an overdue action."""
    from qa.actions.models import Action
    from qa.audits.models import Audit
    from qa.extensions import db

    stages = [
        ("practitioner_n2", "selected", date(2026, 11, 20)),
        ("team_manager", "in_progress", date(2026, 11, 30)),
        ("team_manager_n2", "returned", date(2026, 12, 15)),
        ("practitioner_south", "selected", date(2026, 12, 31)),
    ]
    from qa.selections.models import SelectionRun
    from qa.selections.policies import current_policies

    run = SelectionRun(
        policy_key=current_policies()[0][0].key,
        policy_version=1,
        period_key="2026-11",
        selector_key="service_manager",
        selector_id=org.people["service_manager"].id,
        seed="12345678901234567890",
        algorithm="consistent sampling",
        algorithm_version="1",
        frame_hash="0" * 64,
        frame_size=4,
        draws="[]",
        exclusions="[]",
        notes="",
        ran_at=datetime(2026, 11, 2, 6),
    )
    db.session.add(run)
    db.session.flush()
    made = []
    for supervisee, state, due in stages:
        south = supervisee.endswith("south")
        audit = Audit(
            file_id=org.file_of(supervisee).id,
            auditor_id=org.people["service_manager_south" if south else "service_manager"].id,
            tool_id="supervision-file-audit",
            due_on=due,
            state=state,
            created_at=datetime(2026, 11, 2, 6),
            run_id=run.id,
        )
        db.session.add(audit)
        made.append(audit)
    db.session.flush()
    db.session.add(
        Action(
            audit_id=made[1].id,
            description="Record the child's views from the October visit on the file",
            owner_id=org.people["team_manager"].id,
            due_on=date(2026, 11, 16),
            status="open",
            created_at=datetime(2026, 11, 2, 9),
        )
    )
    db.session.commit()


def at_each_width(page: Checker, path: str, shot: str | None = None) -> None:
    for name, width in WIDTHS.items():
        page.page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        assert not page.page.evaluate(WIDER_THAN_THE_SCREEN), f"{path} is wider than {width} px"
        if shot and os.environ.get("QA_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.page.screenshot(path=str(SCREENSHOTS / f"{shot}-{name}.png"), full_page=True)


def caption_count(page: Checker) -> int:
    caption = page.page.locator("caption").first.inner_text()
    found = re.match(r"(?:\d+ to \d+ of )?(\d+) ", caption)
    assert found, caption
    return int(found.group(1))


@pytest.mark.parametrize(
    ("who", "lists"),
    [
        ("qa_officer", ["/audits/list", "/actions/", "/moderation/", "/organisation/people"]),
        (
            "head_of_service",
            ["/audits/list?state=waiting", "/audits/sign-off", "/organisation/people"],
        ),
        ("service_manager", ["/audits/list?overdue=yes", "/audits/"]),
        ("team_manager", ["/actions/?overdue=yes"]),
    ],
)
def test_home_dashboard_and_lists_at_desktop_and_phone_widths(page, live, who, lists):
    live.build(submitted_audits(2, sign_off=1))
    live.build(more_audits)
    page.sign_in(who)
    at_each_width(page, "/", shot=f"home-{who.replace('_', '-')}")
    for path in lists:
        at_each_width(page, path)


def test_a_figure_leads_to_a_list_of_that_many(page, live):
    live.build(submitted_audits(2, sign_off=1))
    live.build(more_audits)
    page.sign_in("qa_officer")
    page.goto("/")
    link = page.page.locator("main table").first.locator("a").first
    shown = int(link.inner_text())
    page.follow(link)
    assert page.path == "/audits/list"
    assert caption_count(page) == shown


def test_a_bad_filter_shows_its_message_at_a_phones_width(page, live):
    page.sign_in("qa_officer")
    page.page.set_viewport_size({"width": 390, "height": 900})
    response = page.page.goto("/audits/list?period=next+week")
    assert response is not None and response.status == 400
    page.check()
    assert page.error_summary_has_focus()
    assert "Enter the period as a year (2026)" in page.page.inner_text("main")
