"""The trends pages for each role, with and without signed-off audits. The client fixture
checks every page: a title, one h1, unique ids, labels that point at fields."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from qa.events.models import Event
from qa.extensions import db
from tests.qa.cases.test_case_discussions_page import caseloads  # noqa: F401 (a fixture)
from tests.qa.trends.test_service import three_audits  # noqa: F401 (a fixture)

RANGE = "?period=month&start=2026-10&end=2026-11"
MANAGERS = ("qa_officer", "head_of_service", "service_manager", "team_manager")
EVERY_PAGE = (
    "/trends/",
    "/trends/quantity",
    "/trends/questions/views_wishes_feelings",
    "/trends/themes",
    "/trends/self-evaluation",
)
THEME_PAGES = ("/trends/themes", "/trends/self-evaluation", "/trends/self-evaluation.xlsx")


def _allowed(role: str, page: str) -> bool:
    return role in ("qa_officer", "head_of_service") or page not in THEME_PAGES


@pytest.mark.parametrize("role", MANAGERS)
def test_every_page_explains_itself_before_any_audit_is_signed_off(sign_in_as, role):
    client = sign_in_as(role)
    for page in EVERY_PAGE:
        response = client.get(page)
        if not _allowed(role, page):
            assert response.status_code == 403, page
            continue
        assert response.status_code == 200, page
        body = response.get_data(as_text=True)
        if page != "/trends/quantity":
            assert "once audits are signed off" in body, page


@pytest.mark.parametrize("role", MANAGERS)
def test_every_page_shows_its_figures_once_audits_are_signed_off(sign_in_as, three_audits, role):  # noqa: F811
    client = sign_in_as(role)
    for page in (*EVERY_PAGE, "/trends/export.xlsx", "/trends/self-evaluation.xlsx"):
        response = client.get(page + RANGE)
        if not _allowed(role, page):
            assert response.status_code == 403, page
            continue
        assert response.status_code == 200, page
        if page.endswith(".xlsx"):
            assert response.mimetype.endswith("spreadsheetml.sheet")
            load_workbook(io.BytesIO(response.data))
    body = client.get("/trends/" + RANGE).get_data(as_text=True)
    assert 'role="img"' in body and "<title" in body
    assert "Compliance over time" in body and "Show the figures" in body
    assert "Download as a spreadsheet" in body


def test_the_dashboard_shows_the_hand_computed_compliance(sign_in_as, three_audits):  # noqa: F811
    body = sign_in_as("qa_officer").get("/trends/" + RANGE).get_data(as_text=True)
    assert "7 of 11 applicable answers met the standard" in body
    assert "The whole service" in body
    assert '<a class="govuk-link" href="/trends/questions/views_wishes_feelings?' in body
    assert "&lt;" not in body  # no markup shown as text


def test_a_service_managers_pages_show_nothing_from_another_area(sign_in_as, three_audits, org):  # noqa: F811
    client = sign_in_as("service_manager")
    south = org.areas["South"].id
    for page in ("/trends/", "/trends/quantity", "/trends/questions/views_wishes_feelings"):
        body = client.get(f"{page}{RANGE}&unit=area-{south}").get_data(as_text=True)
        assert "South" not in body, page
        assert "North service area" in body, page


def test_practitioners_and_administrators_are_refused(sign_in_as):
    for role in ("practitioner", "administrator"):
        client = sign_in_as(role)
        for page in (*EVERY_PAGE, "/trends/export.xlsx"):
            assert client.get(page).status_code == 403, (role, page)
        home = client.get("/").get_data(as_text=True)
        links = set(re.findall(r'href="(/trends/[^"?]*)', home))
        # A practitioner's own caseload is theirs to see (Case discussions); nothing else is.
        assert links == ({"/trends/case-discussions/"} if role == "practitioner" else set())


def test_the_navigation_offers_trends_to_managers_and_themes_to_heads_and_qa(sign_in_as):
    for role in MANAGERS:
        body = sign_in_as(role).get("/").get_data(as_text=True)
        assert 'href="/trends/"' in body and 'href="/trends/quantity"' in body
        assert ('href="/trends/themes"' in body) == (role in ("qa_officer", "head_of_service"))


def test_the_themes_page_never_shows_what_a_sensitive_question_recorded(sign_in_as, org):
    from datetime import datetime

    from tests.qa.trends.test_service import signed_off

    for day in range(1, 7):
        signed_off(
            org,
            "practitioner",
            {
                "wellbeing_discussed": ("no", "SECRET: their health"),
                "child_seen": ("no", "Not seen"),
            },
            datetime(2026, 11, day),
        )
    client = sign_in_as("head_of_service")
    for page in ("/trends/themes", "/trends/questions/wellbeing_discussed", "/trends/"):
        body = client.get(page + RANGE).get_data(as_text=True)
        assert "SECRET" not in body, page
    themes = client.get("/trends/themes" + RANGE).get_data(as_text=True)
    assert "Not seen" in themes
    assert "Comments are not shown for this question" in themes


def test_an_unknown_question_is_not_found(sign_in_as):
    assert sign_in_as("qa_officer").get("/trends/questions/nothing_here").status_code == 404


def test_a_spreadsheet_download_is_recorded_in_the_event_log(sign_in_as, three_audits):  # noqa: F811
    sign_in_as("service_manager").get("/trends/export.xlsx" + RANGE)
    event = db.session.scalar(db.select(Event).where(Event.action == "trends_exported"))
    assert event is not None and "quality-trends" in event.detail


def test_a_long_overdue_list_is_cut_to_the_longest_with_the_rest_in_a_spreadsheet(
    sign_in_as, org, monkeypatch
):
    from qa.trends import quantity

    monkeypatch.setattr(quantity, "SHOWN_OVERDUE", 2)
    client = sign_in_as("qa_officer")
    north = f"area-{org.areas['North'].id}"
    body = client.get(f"/trends/quantity?unit={north}").get_data(as_text=True)
    overdue = service_overdue(org)
    assert len(overdue) > 2
    assert f"The 2 longest overdue of {len(overdue)} are listed here" in body
    assert overdue[0] in body and overdue[-1] not in body
    link = re.search(r'href="(/reports/quantity\.xlsx\?[^"]+)"', body)
    assert link is not None and f"unit={north}" in link.group(1)
    book = load_workbook(io.BytesIO(client.get(link.group(1).replace("&amp;", "&")).data))
    text = " ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)
    assert all(name in text for name in overdue)
    assert "Practitioner South" not in text


def service_overdue(org) -> list[str]:
    """Names of North's overdue staff, longest overdue first, as the service works them out."""
    from datetime import date

    from qa.trends import service
    from qa.trends.filters import Filters

    north = Filters("month", date(2025, 12, 1), date(2026, 11, 30), org.areas["North"].id)
    found = service.quantity(org.people["qa_officer"], date(2026, 11, 23), north)
    return [row.name for row in found.overdue]


def test_the_self_evaluation_says_how_often_each_case_is_discussed(
    sign_in_as,
    three_audits,  # noqa: F811
    caseloads,  # noqa: F811 (Leicester's rules and a few cases in each area)
    org,
):
    from datetime import date

    from qa.cases.service import case_discussions

    client = sign_in_as("head_of_service")
    total = case_discussions(org.people["head_of_service"], date(2026, 11, 23)).total
    page = client.get(f"/trends/self-evaluation{RANGE}").get_data(as_text=True)
    assert "How often each case is discussed" in page
    assert f"({total.k} of {total.n}; 95% range" in page
    assert "past their interval, the longest by" in page
    book = load_workbook(io.BytesIO(client.get(f"/trends/self-evaluation.xlsx{RANGE}").data))
    themes = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert themes[-1] == "How often each case is discussed"
