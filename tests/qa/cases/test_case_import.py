"""Importing cases and case discussions: CSV and Excel, all or nothing, idempotent, every
fault named by row and column with nothing written, and no child's name, address or date of
birth accepted."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.events.models import Event
from qa.extensions import db
from qa.org.importing import KIND_LABELS, import_bytes

STAFF = (
    b"staff_id,name,email,role,team,service_area,line_manager_id,case_holding,asye_start,"
    b"start_date,leaving_date\n"
    b"H1,Hana Head,hana@council.org.uk,head_of_service,,East,,no,,01/04/2015,\n"
    b"M1,Mo Manager,mo@council.org.uk,service_manager,,East,H1,no,,01/04/2016,\n"
    b"T1,Tia Team,tia@council.org.uk,team_manager,East Duty,East,M1,no,,01/04/2018,\n"
    b"P1,Pat Practitioner,pat@council.org.uk,practitioner,East Duty,East,T1,yes,,2021-09-01,\n"
    b"P2,Sam Social,sam@council.org.uk,practitioner,East Duty,East,T1,yes,,2021-09-01,\n"
)

CASES = (
    b"case_reference,worker_id,allocated_on,status,status_from\n"
    b"104233,P1,05/01/2026,Child protection plan,05/01/2026\n"
    b"104233,P1,05/01/2026,Child in need,01/06/2026\n"
    b"104233,P2,01/07/2026,Child in need,01/06/2026\n"
    b"CIN/2201,P2,10/02/2026,LAC,10/02/2026\n"
    b"CIN/2201,P2,10/02/2026,Closed,30/09/2026\n"
)

DISCUSSIONS = (
    b"case_reference,supervisee_id,supervisor_id,discussed_on\n"
    b"104233,P1,T1,20/01/2026\n"
    b"104233,P1,T1,15/02/2026\n"
    b"104233,P2,T1,20/07/2026\n"
    b"CIN/2201,P2,T1,01/03/2026\n"
)


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def staff(app):
    assert import_bytes("staff", STAFF, "staff.csv", None, dry_run=False).ok


def test_both_kinds_are_offered_on_the_import_page_and_the_command_line():
    assert KIND_LABELS["cases"] == "Cases"
    assert KIND_LABELS["case_discussions"] == "Case discussions"


def test_cases_and_discussions_import_with_their_histories(staff):
    report = import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated, report.unchanged) == (2, 3, 0)
    assert (count(Case), count(CaseAllocation), count(CaseStatus)) == (2, 3, 4)
    case = db.session.scalar(select(Case).where(Case.reference == "104233"))
    assert [(a.worker.external_id, a.allocated_on.isoformat()) for a in case.allocations] == [
        ("P1", "2026-01-05"),
        ("P2", "2026-07-01"),
    ]
    assert [s.status for s in case.statuses] == ["child_protection", "child_in_need"]
    report = import_bytes("case_discussions", DISCUSSIONS, "d.csv", None, dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    assert report.created == 4 and count(CaseDiscussion) == 4
    assert db.session.scalar(
        select(func.count()).select_from(Event).where(Event.action == "imported_case_discussions")
    )


def test_importing_the_same_files_again_changes_nothing(staff):
    import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    import_bytes("case_discussions", DISCUSSIONS, "d.csv", None, dry_run=False)
    again = import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 5)
    talks = import_bytes("case_discussions", DISCUSSIONS, "d.csv", None, dry_run=False)
    assert (talks.ok, talks.created, talks.updated, talks.unchanged) == (True, 0, 0, 4)
    assert (count(Case), count(CaseAllocation), count(CaseStatus)) == (2, 3, 4)
    assert count(CaseDiscussion) == 4


def test_an_excel_file_imports_like_a_csv(staff):
    book = Workbook()
    sheet = book.active
    for line in CASES.decode().splitlines():
        sheet.append(line.split(","))
    data = io.BytesIO()
    book.save(data)
    report = import_bytes("cases", data.getvalue(), "cases.xlsx", None, dry_run=False)
    assert report.ok and report.created == 2


def problems(report) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in report.problems]


def test_an_unknown_worker_is_refused_and_nothing_is_written(staff):
    bad = CASES + b"777001,P9,05/01/2026,CIN,05/01/2026\n"
    report = import_bytes("cases", bad, "cases.csv", None, dry_run=False)
    assert not report.ok
    assert problems(report) == [
        (
            7,
            "worker_id",
            "there is no member of staff with staff ID P9; import them in the staff file "
            "first, or correct the ID",
        )
    ]
    assert count(Case) == count(CaseAllocation) == count(CaseStatus) == 0


def test_an_unknown_status_is_refused_and_nothing_is_written(staff):
    bad = CASES + b"777001,P1,05/01/2026,Foster care,05/01/2026\n"
    report = import_bytes("cases", bad, "cases.csv", None, dry_run=False)
    [(row, column, message)] = problems(report)
    assert (row, column) == (7, "status")
    assert message.startswith("enter one of these statuses: Child protection plan, ")
    assert "Looked after, permanency plan agreed" in message and message.endswith("Closed")
    assert count(Case) == 0


def test_a_discussion_before_the_case_was_allocated_is_refused_and_nothing_is_written(staff):
    import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    bad = DISCUSSIONS + b"CIN/2201,P2,T1,09/02/2026\n"
    report = import_bytes("case_discussions", bad, "d.csv", None, dry_run=False)
    assert problems(report) == [
        (
            6,
            "discussed_on",
            "case CIN/2201 was first allocated on 10/02/2026; a discussion cannot come before "
            "the case was allocated, so check the date and the case reference",
        )
    ]
    assert count(CaseDiscussion) == 0


def test_a_discussion_after_closure_by_the_wrong_worker_or_of_no_case_is_refused(staff):
    import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    bad = (
        b"case_reference,supervisee_id,supervisor_id,discussed_on\n"
        b"104233,P1,T1,20/01/2026\n"
        b"CIN/2201,P2,T1,30/09/2026\n"
        b"104233,P1,T1,02/07/2026\n"
        b"555555,P1,T1,02/07/2026\n"
    )
    report = import_bytes("case_discussions", bad, "d.csv", None, dry_run=False)
    found = problems(report)
    assert [(row, column) for row, column, _ in found] == [
        (3, "discussed_on"),
        (4, "supervisee_id"),
        (5, "case_reference"),
    ]
    assert "was closed on 30/09/2026" in found[0][2]
    assert "on 02/07/2026 case 104233 was allocated to P2" in found[1][2]
    assert "there is no case 555555" in found[2][2]
    assert count(CaseDiscussion) == 0


@pytest.mark.parametrize(
    ("heading", "what"),
    [
        ("Child name", "a name"),
        ("Surname", "a name"),
        ("first_name", "a name"),
        ("Address", "an address"),
        ("Post code", "an address"),
        ("DOB", "a date of birth"),
        ("Date of birth", "a date of birth"),
    ],
)
def test_a_column_that_looks_like_a_childs_name_address_or_birth_date_is_refused(
    staff, heading: str, what: str
):
    lines = CASES.decode().splitlines()
    lines[0] += f",{heading}"
    lines[1:] = [line + ",x" for line in lines[1:]]
    report = import_bytes("cases", "\n".join(lines).encode(), "c.csv", None, dry_run=False)
    assert problems(report) == [
        (
            None,
            heading,
            f"this column looks like {what}; a case file must not hold a child's name, "
            "address or date of birth, only the case reference, so that nothing identifying "
            "a child leaves the case-recording system. Delete the column and upload the file "
            "again",
        )
    ]
    assert count(Case) == 0


def test_a_name_like_column_in_a_discussions_file_is_refused_too(staff):
    data = b"case_reference,supervisee_id,supervisor_id,discussed_on,child_surname\n"
    data += b"104233,P1,T1,20/01/2026,Smith\n"
    report = import_bytes("case_discussions", data, "d.csv", None, dry_run=False)
    assert [(row, column) for row, column, _ in problems(report)] == [(None, "child_surname")]


def test_a_case_reference_that_could_be_a_name_is_refused(staff):
    bad = (
        CASES
        + b"Jane Smith,P1,05/01/2026,CIN,05/01/2026\n"
        + b"Smith,P1,05/01/2026,CIN,05/01/2026\n"
    )
    report = import_bytes("cases", bad, "cases.csv", None, dry_run=False)
    assert [(row, column) for row, column, _ in problems(report)] == [
        (7, "case_reference"),
        (8, "case_reference"),
    ]
    assert "never the child's name" in report.problems[0].message
    assert count(Case) == 0


def test_a_file_cannot_change_a_stored_history(staff):
    import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    changed = (
        b"case_reference,worker_id,allocated_on,status,status_from\n"
        b"104233,P2,05/01/2026,Child protection plan,05/01/2026\n"
        b"104233,P2,05/01/2026,Looked after,01/06/2026\n"
    )
    report = import_bytes("cases", changed, "cases.csv", None, dry_run=False)
    assert [(row, column) for row, column, _ in problems(report)] == [
        (2, "worker_id"),
        (3, "worker_id"),
        (3, "status"),
    ]
    assert "already recorded as allocated to P1 on 05/01/2026" in report.problems[0].message
    assert "already recorded as Child in need plan from 01/06/2026" in report.problems[2].message
    assert count(Case) == 2 and count(CaseAllocation) == 3 and count(CaseStatus) == 4


def test_a_file_cannot_contradict_itself(staff):
    data = (
        b"case_reference,worker_id,allocated_on,status,status_from\n"
        b"900001,P1,05/01/2026,CIN,05/01/2026\n"
        b"900001,P2,05/01/2026,CP,05/01/2026\n"
        b"104233,P1,P1,CIN,05/01/2026\n"
    )
    report = import_bytes("cases", data, "cases.csv", None, dry_run=False)
    assert [(row, column) for row, column, _ in problems(report)] == [
        (3, "allocated_on"),
        (3, "status_from"),
        (4, "allocated_on"),
    ]
    assert report.problems[0].message == (
        "row 2 says case 900001 was allocated to P1 on 05/01/2026, this row says P2; a case "
        "has one on each day, so correct one of them"
    )
    assert count(Case) == 0


def test_the_supervisor_of_a_discussion_is_someone_else(staff):
    import_bytes("cases", CASES, "cases.csv", None, dry_run=False)
    data = b"case_reference,supervisee_id,supervisor_id,discussed_on\n104233,P1,P1,21/01/2026\n"
    report = import_bytes("case_discussions", data, "d.csv", None, dry_run=False)
    assert problems(report) == [
        (2, "supervisor_id", "the supervisor must be someone other than the supervisee")
    ]
    assert count(CaseDiscussion) == 0


def test_a_case_needs_a_status_when_first_allocated(staff):
    data = (
        b"case_reference,worker_id,allocated_on,status,status_from\n"
        b"900001,P1,05/01/2026,CIN,01/02/2026\n"
    )
    report = import_bytes("cases", data, "cases.csv", None, dry_run=False)
    assert [(row, column) for row, column, _ in problems(report)] == [(2, "status_from")]
    assert count(Case) == 0


def test_future_dates_and_missing_values_are_refused(staff):
    data = (
        b"case_reference,worker_id,allocated_on,status,status_from\n"
        b"900001,P1,05/01/2027,CIN,05/01/2026\n"
        b"900002,,,CIN,05/01/2026\n"
    )
    report = import_bytes("cases", data, "cases.csv", None, dry_run=False)
    assert [(row, column) for row, column, _ in problems(report)] == [
        (2, "allocated_on"),
        (3, "worker_id"),
        (3, "allocated_on"),
    ]
    assert count(Case) == 0


def test_a_dry_run_writes_nothing(staff):
    report = import_bytes("cases", CASES, "cases.csv", None, dry_run=True)
    assert report.ok and report.created == 2
    assert count(Case) == 0
