"""Spreadsheet exports: typed cells, a frozen header and filters, only what the access policy
allows, no wellbeing comments, and every export in the event log."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from qa.audits.models import AuditAnswer
from qa.events.models import Event
from qa.extensions import db
from qa.jobs.models import AnonymisedRecord
from qa.reports import audit_pdf
from tests.qa.reports.helpers import (
    WELLBEING_SECRET,
    drawn_audit,
    signed_off,
    workbook,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTION = "Record the child's views from the 12 November visit on the supervision record"


@pytest.fixture(autouse=True)
def quick_audit_records(monkeypatch):
    """Sign-off still keeps a record, but these tests are about spreadsheets: skip the layout."""
    monkeypatch.setattr(audit_pdf, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 record")


def rows_of(sheet):
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]


def two_areas(org):
    north = signed_off(org, action=ACTION)
    south = signed_off(
        org,
        supervisee="practitioner_south",
        auditor="service_manager_south",
        head="head_south",
    )
    return north, south


def test_audit_answers_have_typed_cells_a_frozen_header_and_filters(sign_in_as, org):
    audit = signed_off(org)
    response = sign_in_as("head_of_service").get("/reports/audit-answers.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    sheet = workbook(response.data)["Audit answers"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{sheet.max_row}"
    assert sheet.column_dimensions["M"].width >= 40  # the question text
    first = sheet[2]
    assert first[0].value == audit.id and first[0].data_type == "n"
    assert isinstance(first[7].value, datetime) and first[7].is_date
    assert first[7].number_format == "yyyy-mm-dd"
    assert first[9].value == audit.tool_version and first[9].data_type == "n"  # tool version
    rows = rows_of(sheet)
    assert len(rows) == sum(1 for _ in db.session.scalars(select(AuditAnswer)))
    views = next(r for r in rows if r["Question key"] == "views_wishes_feelings")
    assert views["Answer"] == "Yes" and views["Meets the standard"] is True
    assert views["Evidence"] == "Seen on the file: views_wishes_feelings"
    assert views["Supervisee"] == "Practitioner" and views["Team"] == "North Safeguarding"
    assert views["Service area"] == "North" and views["State"] == "Signed off"


def test_no_wellbeing_comment_appears_in_any_spreadsheet(sign_in_as, org):
    signed_off(org, action=ACTION)
    qa = sign_in_as("qa_officer")
    for url in ("/reports/audit-answers.xlsx", "/reports/actions.xlsx", "/reports/quantity.xlsx"):
        book = workbook(qa.get(url).data)
        values = [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row]
        assert not any(WELLBEING_SECRET in v or "bereavement" in v for v in values), url
    answers = rows_of(workbook(qa.get("/reports/audit-answers.xlsx").data)["Audit answers"])
    wellbeing = next(r for r in answers if r["Question key"] == "wellbeing_discussed")
    assert wellbeing["Evidence"] == "Wellbeing discussion"


def test_a_comment_that_looks_like_a_formula_stays_text(sign_in_as, org):
    audit = signed_off(org)
    answer = db.session.scalar(
        select(AuditAnswer).where(
            AuditAnswer.audit_id == audit.id, AuditAnswer.question_key == "child_seen"
        )
    )
    answer.comment = '=HYPERLINK("http://example.com","Click")'
    db.session.commit()
    sheet = workbook(sign_in_as("qa_officer").get("/reports/audit-answers.xlsx").data)[
        "Audit answers"
    ]
    cell = next(row[15] for row in sheet.iter_rows(2) if row[11].value == "child_seen")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_a_service_managers_exports_hold_only_their_own_area(sign_in_as, org):
    north, south = two_areas(org)
    manager = sign_in_as("service_manager")
    answers = rows_of(workbook(manager.get("/reports/audit-answers.xlsx").data)["Audit answers"])
    assert {r["Audit"] for r in answers} == {north.id}
    assert {r["Service area"] for r in answers} == {"North"}
    actions = rows_of(workbook(manager.get("/reports/actions.xlsx").data)["Actions"])
    assert [r["Audit"] for r in actions] == [north.id]
    south_manager = sign_in_as("service_manager_south")
    answers = rows_of(
        workbook(south_manager.get("/reports/audit-answers.xlsx").data)["Audit answers"]
    )
    assert {r["Audit"] for r in answers} == {south.id}


def test_actions_show_owner_due_date_and_status_as_typed_cells(sign_in_as, org):
    audit = signed_off(org, action=ACTION)
    sheet = workbook(sign_in_as("head_of_service").get("/reports/actions.xlsx").data)["Actions"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P2"
    row = rows_of(sheet)[0]
    assert row["Audit"] == audit.id and row["What needs to be done"] == ACTION
    assert row["Owner"] == "Team Manager" and row["Status"] == "Open"
    assert row["Confirmed"] is None and row["Confirmed by"] in ("", None)
    assert row["Due"] == datetime(2026, 12, 18)
    assert sheet["I2"].is_date and isinstance(sheet["K2"].value, datetime)


def test_anonymised_audits_leave_the_supervisees_name_out(sign_in_as, org):
    audit = signed_off(org)
    db.session.add(
        AnonymisedRecord(
            subject_type="audit",
            subject_id=audit.id,
            rule_key="audits-of-leavers",
            rules_version=1,
            anonymised_at=datetime(2026, 11, 23, 10, 0),
        )
    )
    db.session.commit()
    answers = rows_of(
        workbook(sign_in_as("qa_officer").get("/reports/audit-answers.xlsx").data)["Audit answers"]
    )
    assert {r["Supervisee"] for r in answers} == {"Anonymised under the retention policy"}


def test_the_selection_spreadsheet_lists_runs_frames_in_ticket_order_and_tickets(sign_in_as, org):
    run, _ = drawn_audit(org)
    manager = sign_in_as("service_manager")
    assert "Download the selection as a spreadsheet" in manager.get(
        f"/selections/{run.id}"
    ).get_data(as_text=True)
    book = workbook(manager.get(f"/reports/selections/{run.id}.xlsx").data)
    assert book.sheetnames == ["Selection runs", "Frames", "Left out"]
    runs = rows_of(book["Selection runs"])
    assert runs[0]["Run"] == run.id and runs[0]["Seed"] == run.seed
    assert runs[0]["Frame hash (SHA-256)"] == run.frame_hash
    assert runs[0]["Policy"] == "Monthly team manager audit" and runs[0]["Period"] == "2026-11"
    assert isinstance(runs[0]["Made at"], datetime)
    frames = rows_of(book["Frames"])
    for draw in run.draw_list:
        mine = [r for r in frames if r["Draw"] == draw["label"]]
        assert [r["Unit"] for r in mine] == list(draw["selected"]) + list(draw["reserves"])
        assert [r["Position in ticket order"] for r in mine] == list(range(1, len(mine) + 1))
        assert [r["Ticket"] for r in mine] == sorted(r["Ticket"] for r in mine)
        assert mine[0]["Selected or reserve"] == "Selected"


def test_only_people_who_may_see_a_selection_can_download_it(sign_in_as, org):
    run, _ = drawn_audit(org)
    assert (
        sign_in_as("service_manager_south").get(f"/reports/selections/{run.id}.xlsx").status_code
        == 404
    )
    everything = workbook(sign_in_as("qa_officer").get("/reports/selections.xlsx").data)
    assert [r["Run"] for r in rows_of(everything["Selection runs"])] == [run.id]
    south = workbook(sign_in_as("service_manager_south").get("/reports/selections.xlsx").data)
    assert rows_of(south["Selection runs"]) == []


def test_the_quantity_spreadsheet_has_teams_months_and_who_is_overdue(sign_in_as, org):
    book = workbook(sign_in_as("service_manager").get("/reports/quantity.xlsx").data)
    assert book.sheetnames == ["By team", "Month by month", "Overdue"]
    teams = rows_of(book["By team"])
    assert "South Safeguarding" not in {r["Team"] for r in teams}
    months = rows_of(book["Month by month"])
    assert len(months) == 12 and months[-1]["As at"] == datetime(2026, 11, 23)
    assert book["Month by month"]["D2"].number_format == "0.0%"
    overdue = rows_of(book["Overdue"])
    assert all(r["Team"] != "South Safeguarding" for r in overdue)


def test_every_export_is_logged(sign_in_as, org):
    signed_off(org)
    head = sign_in_as("head_of_service")
    for url in (
        "/reports/audit-answers.xlsx",
        "/reports/actions.xlsx",
        "/reports/selections.xlsx",
        "/reports/quantity.xlsx",
    ):
        assert head.get(url).status_code == 200
    details = [
        e.detail
        for e in db.session.scalars(
            select(Event).where(Event.action == "exported").order_by(Event.id)
        )
    ]
    assert len(details) == 4
    assert details[0].startswith("audit answers spreadsheet, 1 audits")


def test_people_who_do_not_report_cannot_download_spreadsheets(sign_in_as, org):
    for who in ("practitioner", "team_manager"):
        client = sign_in_as(who)
        assert client.get("/reports/audit-answers.xlsx").status_code == 403
        assert client.get("/reports/").status_code == 403
        assert "Reports" not in client.get("/").get_data(as_text=True).split("<main")[0]


def test_a_date_only_column_holds_dates(sign_in_as, org):
    signed_off(org)
    sheet = workbook(sign_in_as("qa_officer").get("/reports/audit-answers.xlsx").data)[
        "Audit answers"
    ]
    assert sheet["H2"].value.date() == date(2026, 11, 23)
