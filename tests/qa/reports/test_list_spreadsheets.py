"""The spreadsheets of the moderation, staff, event log and selections lists: exactly the rows
the list shows with the same filters, refused to whoever the list refuses, typed cells in
plain words, and each download on the event log."""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlalchemy import select

from qa.events.models import Event
from qa.events.service import record
from qa.extensions import db
from tests.pagecheck import internal_ids
from tests.qa.audits.test_moderation_list import submitted
from tests.qa.reports.helpers import drawn_audit, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_of(client, url: str):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == XLSX, response.status_code
    return workbook(response.data).worksheets[0]


def rows_of(sheet) -> list[dict[str, object]]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]


def plain_words(sheet) -> None:
    words = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert not internal_ids(words)


def spreadsheet_link(page: str) -> str:
    """The address of the list's spreadsheet link."""
    found = re.search(r'href="([^"]+\.xlsx[^"]*)">Download th', page)
    assert found, "the list has no spreadsheet link"
    return html.unescape(found.group(1))


def exports() -> list[str]:
    return list(db.session.scalars(select(Event.detail).where(Event.action == "exported")))


def test_the_moderation_spreadsheet_has_the_filtered_candidates_in_plain_words(org, sign_in_as):
    submitted(org, "practitioner")
    submitted(org, "practitioner_n2", state="signed_off")
    submitted(org, "practitioner_south", auditor="service_manager_south")
    qa = sign_in_as("qa_officer")
    south = org.areas["South"].id
    page = qa.get(f"/moderation/?area={south}").get_data(as_text=True)
    assert "Download this audit as a spreadsheet" in page
    sheet = sheet_of(qa, spreadsheet_link(page))
    assert rows_of(sheet) == [
        {
            "Supervision file of": "Practitioner South",
            "Team": "South Safeguarding",
            "Service area": "South",
            "Policy": "Not drawn in a selection (such as re-audits)",
            "Auditor": "Service Manager South",
            "Auditor's role": "Service manager",
            "Drawn": sheet["G2"].value,
            "Submitted": datetime(2026, 11, 10),
            "Stage": "Waiting for sign-off",
        }
    ]
    assert sheet["H2"].is_date and sheet["H2"].number_format == "yyyy-mm-dd"
    by_name = rows_of(sheet_of(qa, "/reports/moderation.xlsx?sort=name&state=waiting"))
    assert [r["Supervision file of"] for r in by_name] == ["Practitioner", "Practitioner South"]
    plain_words(sheet)
    assert exports()[0].startswith("audits to moderate spreadsheet, 1 audits (audits-to-moderate-")


def test_only_those_who_moderate_download_the_moderation_spreadsheet(org, sign_in_as):
    for who in ("service_manager", "head_of_service", "administrator"):
        assert sign_in_as(who).get("/reports/moderation.xlsx").status_code == 403
    bad = sign_in_as("qa_officer").get("/reports/moderation.xlsx?period=soon")
    assert bad.status_code == 302 and "/moderation/?period=soon" in bad.headers["Location"]


def test_the_staff_spreadsheet_has_the_filtered_people_with_typed_cells(org, sign_in_as):
    qa = sign_in_as("qa_officer")
    page = qa.get("/organisation/people?job=team_manager&sort=team").get_data(as_text=True)
    assert "Download these 3 people as a spreadsheet" in page
    sheet = sheet_of(qa, spreadsheet_link(page))
    rows = rows_of(sheet)
    assert [(r["Name"], r["Team"]) for r in rows] == [
        ("Team Manager N2", "North Children in Care"),
        ("Team Manager", "North Safeguarding"),
        ("Team Manager South", "South Safeguarding"),
    ]
    assert {r["Role"] for r in rows} == {"Team manager"}
    assert rows[0]["Line manager"] == "Service Manager"
    assert rows[0]["Line manager's role"] == "Service manager"
    assert rows[0]["Case-holding"] is False and sheet["G2"].data_type == "b"
    assert rows[0]["Started"] == datetime(2020, 1, 6) and sheet["I2"].is_date
    plain_words(sheet)


def test_the_staff_spreadsheet_holds_only_the_people_the_list_shows(org, sign_in_as):
    south = rows_of(sheet_of(sign_in_as("head_south"), "/reports/staff.xlsx"))
    assert sorted(r["Name"] for r in south) == [
        "Head South",
        "Practitioner South",
        "Service Manager South",
        "Team Manager South",
    ]
    other_area = f"/reports/staff.xlsx?area={org.areas['North'].id}"
    assert sign_in_as("head_south").get(other_area).status_code == 302
    assert sign_in_as("practitioner").get("/reports/staff.xlsx").status_code == 403
    team = rows_of(sheet_of(sign_in_as("team_manager"), "/reports/staff.xlsx?q=senior"))
    assert [r["Name"] for r in team] == ["Senior Practitioner"]


def test_the_event_log_spreadsheet_has_the_searched_events(org, sign_in_as):
    qa_officer = org.people["qa_officer"]
    record(qa_officer, "file_viewed", "file", 1, "Opened the file")
    record(qa_officer, "report_downloaded", "period_report", 4, "The 2026-Q3 report")
    record(qa_officer, "password_set", "staff", org.people["practitioner"].id, "Set by hand")
    db.session.commit()
    admin = sign_in_as("administrator")
    page = admin.get("/events/?action=report_downloaded").get_data(as_text=True)
    sheet = sheet_of(admin, spreadsheet_link(page))
    rows = rows_of(sheet)
    assert len(rows) == 1
    assert rows[0]["Who"] == "Qa Officer" and rows[0]["Their role"] == "Quality assurance officer"
    assert rows[0]["What happened"] == "Report downloaded"
    assert rows[0]["Record"] == "Period report" and rows[0]["Detail"] == "The 2026-Q3 report"
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    password = rows_of(sheet_of(admin, "/reports/event-log.xlsx?action=password_set"))
    assert password[0]["Record"] == "Practitioner" and password[0]["Record number"] is None
    plain_words(sheet)


def test_only_readers_of_the_event_log_download_it(org, sign_in_as):
    for who in ("head_of_service", "service_manager", "team_manager"):
        assert sign_in_as(who).get("/reports/event-log.xlsx").status_code == 403
    bad = sign_in_as("qa_officer").get("/reports/event-log.xlsx?action=nothing_like_it")
    assert bad.status_code == 302 and "/events/?action=nothing_like_it" in bad.headers["Location"]


def test_the_selections_spreadsheet_has_the_runs_of_the_filtered_list(org, sign_in_as):
    november, _ = drawn_audit(org)
    october, _ = drawn_audit(org, period="2026-10")
    admin = sign_in_as("administrator")
    page = admin.get("/selections/?period=2026-11").get_data(as_text=True)
    assert "Download this selection as a spreadsheet" in page
    runs = rows_of(sheet_of(admin, spreadsheet_link(page)))
    assert [r["Run"] for r in runs] == [november.id]
    every = rows_of(sheet_of(admin, "/reports/selections.xlsx"))
    assert [r["Run"] for r in every] == [october.id, november.id]  # the newest run first
    south = rows_of(sheet_of(sign_in_as("service_manager_south"), "/reports/selections.xlsx"))
    assert south == []
