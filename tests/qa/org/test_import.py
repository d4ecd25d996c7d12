"""Importing through the app: all or nothing, idempotent, on the command line and the web."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from qa.events.models import Event
from qa.extensions import db
from qa.org.importing import import_bytes
from qa.org.models import (
    ServiceArea,
    Staff,
    SupervisionAgreement,
    SupervisionFile,
    SupervisionSession,
)

STAFF = (
    b"staff_id,name,email,role,team,service_area,line_manager_id,case_holding,asye_start,start_date,leaving_date\n"
    b"H1,Hana Head,hana@council.org.uk,head_of_service,,East,,no,,01/04/2015,\n"
    b"M1,Mo Manager,mo@council.org.uk,service_manager,,East,H1,no,,01/04/2016,\n"
    b"T1,Tia Team,tia@council.org.uk,team_manager,East Duty,East,M1,no,,01/04/2018,\n"
    b"P1,Pat Practitioner,pat@council.org.uk,practitioner,East Duty,East,T1,yes,,2021-09-01,\n"
    b"P2,Ash ASYE,ash@council.org.uk,practitioner,East Duty,East,T1,yes,01/09/2026,01/09/2026,\n"
)

SESSIONS = (
    b"supervisee_id,supervisor_id,session_date,type,recorded_date,signed_by_supervisor,signed_by_supervisee\n"
    b"P1,T1,01/10/2026,case,02/10/2026,05/10/2026,06/10/2026\n"
    b"P1,T1,29/10/2026,Personal reflective,30/10/2026,,\n"
)

AGREEMENTS = (
    b"supervisee_id,supervisor_id,signed_by_supervisor,signed_by_supervisee,review_due\n"
    b"P1,T1,01/02/2026,02/02/2026,01/02/2027\n"
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_staff_import_builds_the_organisation_and_files(app):
    report = import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    assert report.ok and report.created == 5
    pat = db.session.scalar(select(Staff).where(Staff.external_id == "P1"))
    assert pat.line_manager.external_id == "T1"
    assert pat.team.service_area.name == "East"
    assert pat.file.supervisor.external_id == "T1"
    assert _count(SupervisionFile) == 4  # everyone with a line manager


def test_reimporting_the_same_file_changes_nothing(app):
    import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    again = import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    import_bytes("sessions", SESSIONS, "s.csv", None, dry_run=False)
    sessions = import_bytes("sessions", SESSIONS, "s.csv", None, dry_run=False)
    assert (sessions.created, sessions.unchanged) == (0, 2)
    assert _count(SupervisionSession) == 2


def test_a_file_with_any_error_changes_nothing(app):
    bad = STAFF + b"P3,Bad Row,not-an-email,practitioner,East Duty,East,T1,yes,,,\n"
    report = import_bytes("staff", bad, "staff.csv", None, dry_run=False)
    assert not report.ok
    assert any(p.row == 7 and p.column == "email" for p in report.problems)
    assert _count(Staff) == 0 and _count(ServiceArea) == 0


def test_a_dry_run_reports_and_writes_nothing(app):
    report = import_bytes("staff", STAFF, "staff.csv", None, dry_run=True)
    assert report.ok and report.created == 5
    assert _count(Staff) == 0


def test_a_leaver_keeps_their_file_and_history(app):
    import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    import_bytes("sessions", SESSIONS, "s.csv", None, dry_run=False)
    left = STAFF.replace(b"2021-09-01,\n", b"2021-09-01,31/10/2026\n")
    report = import_bytes("staff", left, "staff.csv", None, dry_run=False)
    assert report.updated == 1
    pat = db.session.scalar(select(Staff).where(Staff.external_id == "P1"))
    assert pat.file.closed_on.isoformat() == "2026-10-31"
    assert len(pat.file.sessions) == 2


def test_line_manager_change_moves_the_file_to_the_new_supervisor(app):
    import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    moved = STAFF.replace(b"East Duty,East,T1,yes,,2021", b"East Duty,East,M1,yes,,2021")
    report = import_bytes("staff", moved, "staff.csv", None, dry_run=False)
    assert report.updated == 1
    pat = db.session.scalar(select(Staff).where(Staff.external_id == "P1"))
    assert pat.file.supervisor.external_id == "M1"


def test_sessions_for_someone_without_a_file_are_refused_with_the_row(app):
    import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    rows = SESSIONS + b"H1,M1,01/10/2026,case,,,\n"
    report = import_bytes("sessions", rows, "s.csv", None, dry_run=False)
    assert [p.row for p in report.problems] == [4]
    assert "no supervision file" in report.problems[0].message
    assert _count(SupervisionSession) == 0


def test_agreements_import_and_update(app):
    import_bytes("staff", STAFF, "staff.csv", None, dry_run=False)
    assert import_bytes("agreements", AGREEMENTS, "a.csv", None, dry_run=False).created == 1
    changed = AGREEMENTS.replace(b"01/02/2027", b"15/02/2027")
    assert import_bytes("agreements", changed, "a.csv", None, dry_run=False).updated == 1
    assert db.session.scalar(select(SupervisionAgreement)).review_due.isoformat() == "2027-02-15"


def test_xlsx_with_excel_dates_imports(app):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            " Staff ID ",
            "Name",
            "EMAIL",
            "Role",
            "Team",
            "Service area",
            "line_manager_id",
            "case_holding",
            "asye_start",
            "start_date",
            "leaving_date",
        ]
    )
    sheet.append(
        [
            "H1",
            "Hana Head",
            "hana@council.org.uk",
            "Head of service",
            None,
            "East",
            None,
            "no",
            None,
            datetime(2015, 4, 1),
            None,
        ]
    )
    sheet.append(
        [
            1234,
            "Mo Manager",
            "mo@council.org.uk",
            "Service manager",
            None,
            "East",
            "H1",
            "no",
            None,
            datetime(2016, 4, 1),
            None,
        ]
    )
    sheet.append([None] * 11)
    data = io.BytesIO()
    book.save(data)
    report = import_bytes("staff", data.getvalue(), "staff.xlsx", None, dry_run=False)
    assert report.ok, report.problems
    mo = db.session.scalar(select(Staff).where(Staff.external_id == "1234"))
    assert mo.start_date.isoformat() == "2016-04-01"


def test_administrator_previews_then_confirms_an_import_on_the_web(sign_in_as):
    client = sign_in_as("administrator")
    client.get("/organisation/import")
    preview = client.post(
        "/organisation/import",
        data={"kind": "staff", "upload": (io.BytesIO(STAFF), "staff.csv")},
        content_type="multipart/form-data",
    )
    body = preview.get_data(as_text=True)
    assert "Check the import before you confirm" in body
    assert db.session.scalar(select(Staff).where(Staff.external_id == "P1")) is None
    token = body.split('name="token" type="hidden" value="')[1].split('"')[0]
    done = client.post("/organisation/import/confirm", data={"token": token, "kind": "staff"})
    assert done.status_code == 302
    assert db.session.scalar(select(Staff).where(Staff.external_id == "P1")) is not None
    assert "5 added" in client.get("/organisation/import").get_data(as_text=True)
    assert db.session.scalar(select(Event).where(Event.action == "imported_staff")) is not None


def test_the_web_import_lists_every_problem_with_row_and_column(sign_in_as):
    client = sign_in_as("administrator")
    client.get("/organisation/import")
    bad = STAFF + b"P1,Dup,dup@council.org.uk,wizard,East Duty,East,ZZ,maybe,,,\n"
    response = client.post(
        "/organisation/import",
        data={"kind": "staff", "upload": (io.BytesIO(bad), "staff.csv")},
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert "Nothing has been imported" in body
    for column in ("staff_id", "role", "line_manager_id", "case_holding"):
        assert f'<td class="govuk-table__cell">{column}</td>' in body
    assert "Import the file" not in body


def test_the_import_form_explains_missing_choices(sign_in_as):
    client = sign_in_as("administrator")
    client.get("/organisation/import")
    body = client.post("/organisation/import", data={}).get_data(as_text=True)
    assert "Select what the file contains" in body
    assert "Select a CSV or Excel file" in body


def test_only_administrators_can_import(sign_in_as):
    for role in ("qa_officer", "head_of_service", "team_manager", "practitioner"):
        assert sign_in_as(role).get("/organisation/import").status_code == 403


def test_import_command_reports_problems_and_exits_non_zero(app, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(STAFF + b"P9,No Email,,practitioner,East Duty,East,T1,yes,,,\n")
    result = app.test_cli_runner().invoke(args=["import", "staff", str(path)])
    assert result.exit_code == 1
    assert "Row 7" in result.output
    path.write_bytes(STAFF)
    dry = app.test_cli_runner().invoke(args=["import", "staff", str(path), "--dry-run"])
    assert "Would import 5 rows" in dry.output and _count(Staff) == 0
    real = app.test_cli_runner().invoke(args=["import", "staff", str(path)])
    assert real.exit_code == 0 and _count(Staff) == 5
