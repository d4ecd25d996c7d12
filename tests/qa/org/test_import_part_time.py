"""The optional full-time equivalent in the staff file and session length in the sessions
file: read in the forms people type them, refused with the row, column and value when they
cannot be used, all or nothing, and left alone by a file without the column."""

from __future__ import annotations

import io
from datetime import time

import openpyxl
from sqlalchemy import select

from qa.extensions import db
from qa.org.importing import import_bytes
from qa.org.models import Staff, SupervisionSession

STAFF = (
    "staff_id,name,email,role,team,service_area,line_manager_id,case_holding,start_date,fte\n"
    "M1,Mo Manager,mo@council.gov.uk,service_manager,,North,,no,01/04/2016,\n"
    "T1,Tia Team,tia@council.gov.uk,team_manager,Duty,North,M1,no,01/04/2018,1\n"
    "P1,Pat Practitioner,pat@council.gov.uk,practitioner,Duty,North,T1,yes,01/09/2021,{p1}\n"
    "P2,Ash Part,ash@council.gov.uk,practitioner,Duty,North,T1,yes,01/09/2021,{p2}\n"
)
SESSIONS = (
    "supervisee_id,supervisor_id,session_date,type,length_minutes\n"
    "P1,T1,01/10/2026,case,{first}\n"
    "P1,T1,29/10/2026,personal,{second}\n"
)


def _staff(p1: str = "0.6", p2: str = "60%") -> bytes:
    return STAFF.format(p1=p1, p2=p2).encode()


def _fte() -> dict[str, float | None]:
    return {
        row.external_id: row.fte for row in db.session.execute(select(Staff.external_id, Staff.fte))
    }


def _lengths() -> list[int | None]:
    return list(
        db.session.scalars(
            select(SupervisionSession.length_minutes).order_by(SupervisionSession.held_on)
        )
    )


def test_the_full_time_equivalent_is_imported_as_a_number_or_a_percentage(app):
    report = import_bytes("staff", _staff("0.6", "80%"), "staff.csv", None, dry_run=False)
    assert report.ok and report.created == 4
    assert _fte() == {"M1": None, "T1": 1.0, "P1": 0.6, "P2": 0.8}


def test_a_bad_full_time_equivalent_names_the_row_column_and_value_and_imports_nothing(app):
    data = _staff("three days", "1.5")
    report = import_bytes("staff", data, "staff.csv", None, dry_run=False)
    assert [str(problem) for problem in report.problems] == [
        "Row 4, column fte (‘three days’): enter the full-time equivalent as a number, "
        "like 0.6 for three days a week",
        "Row 5, column fte (‘1.5’): the full-time equivalent must be more than 0 and no more "
        "than 1 (1 is full time), like 0.6 for three days a week",
    ]
    assert _fte() == {}
    zero = import_bytes("staff", _staff("0", "0.5"), "staff.csv", None, dry_run=False)
    assert [(p.row, p.column, p.value) for p in zero.problems] == [(4, "fte", "0")]
    assert _fte() == {}


def test_a_staff_file_without_the_column_leaves_the_full_time_equivalent_alone(app):
    import_bytes("staff", _staff("0.6", "0.5"), "staff.csv", None, dry_run=False)
    without = "\n".join(line.rsplit(",", 1)[0] for line in _staff().decode().splitlines())
    report = import_bytes("staff", without.encode(), "staff.csv", None, dry_run=False)
    assert report.ok and report.unchanged == 4
    assert _fte()["P1"] == 0.6
    blank = import_bytes("staff", _staff("", "0.5"), "staff.csv", None, dry_run=False)
    assert blank.ok and blank.updated == 1 and _fte()["P1"] is None  # blank: full time


def test_session_lengths_are_imported_in_minutes_or_hours_and_minutes(app):
    import_bytes("staff", _staff(), "staff.csv", None, dry_run=False)
    data = SESSIONS.format(first="90", second="1:15").encode()
    report = import_bytes("sessions", data, "sessions.csv", None, dry_run=False)
    assert report.ok and report.created == 2
    assert _lengths() == [90, 75]


def test_an_excel_time_cell_is_read_as_the_session_length(app):
    import_bytes("staff", _staff(), "staff.csv", None, dry_run=False)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["supervisee_id", "supervisor_id", "session_date", "type", "length_minutes"])
    sheet.append(["P1", "T1", "01/10/2026", "case", time(1, 30)])
    sheet.append(["P1", "T1", "29/10/2026", "personal", 45])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_bytes("sessions", buffer.getvalue(), "s.xlsx", None, dry_run=False)
    assert report.ok, report.problems
    assert _lengths() == [90, 45]


def test_a_bad_session_length_names_the_row_column_and_value_and_imports_nothing(app):
    import_bytes("staff", _staff(), "staff.csv", None, dry_run=False)
    data = SESSIONS.format(first="an hour", second="600").encode()
    report = import_bytes("sessions", data, "sessions.csv", None, dry_run=False)
    assert [str(problem) for problem in report.problems] == [
        "Row 2, column length_minutes (‘an hour’): enter the length of the session in "
        "minutes, like 90, or as 1:30",
        "Row 3, column length_minutes (‘600’): a session cannot be longer than 8 hours "
        "(480 minutes); check the length",
    ]
    assert _lengths() == []
    for bad, message in (("0", "at least 1 minute"), ("1:70", "less than 60")):
        again = import_bytes(
            "sessions",
            SESSIONS.format(first="90", second=bad).encode(),
            "s.csv",
            None,
            dry_run=False,
        )
        assert [(p.row, p.column, p.value) for p in again.problems] == [(3, "length_minutes", bad)]
        assert message in again.problems[0].message
        assert _lengths() == []


def test_a_sessions_file_without_the_column_leaves_the_lengths_alone(app):
    import_bytes("staff", _staff(), "staff.csv", None, dry_run=False)
    data = SESSIONS.format(first="90", second="60").encode()
    import_bytes("sessions", data, "sessions.csv", None, dry_run=False)
    without = "\n".join(line.rsplit(",", 1)[0] for line in data.decode().splitlines())
    report = import_bytes("sessions", without.encode(), "sessions.csv", None, dry_run=False)
    assert report.ok and report.unchanged == 2
    assert _lengths() == [90, 60]
    changed = SESSIONS.format(first="120", second="60").encode()
    report = import_bytes("sessions", changed, "sessions.csv", None, dry_run=False)
    assert report.updated == 1 and _lengths() == [120, 60]
