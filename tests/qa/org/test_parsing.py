"""The organisation import's file reading and checks: one failing file per rule.

Files are built in the tests as CSV bytes, or as .xlsx workbooks in memory with openpyxl,
so each test shows exactly what a person uploaded and what they are told about it.
"""

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.cases.parsing import parse_case_table
from qa.org.parsing import (
    COLUMNS,
    ROLES,
    SESSION_TYPES,
    ImportFileError,
    Parsed,
    Problem,
    SessionRecord,
    StaffRecord,
    Table,
    parse_agreements,
    parse_bytes,
    parse_sessions,
    parse_staff,
    read_table,
)
from qa.org.parsing_rules import (
    CellError,
    parse_bool,
    parse_date,
    parse_role,
    parse_session_type,
)

TODAY = date(2026, 3, 31)
STAFF = ",".join(COLUMNS["staff"])
SESSIONS = ",".join(COLUMNS["sessions"])
AGREEMENTS = ",".join(COLUMNS["agreements"])
AREA = "Children's services"
HEAD = f"S1,Hana Head,hana@example.org,Head of service,,{AREA},,no,,01/04/2015,"
SERVICE = f"S2,Sam Service,sam@example.org,Service manager,,{AREA},S1,no,,01/04/2016,"
TEAM = f"S3,Tia Team,tia@example.org,Team manager,Assessment,{AREA},S2,no,,01/04/2017,"
PRACTITIONER = f"S4,Pat Prac,pat@example.org,Practitioner,Assessment,{AREA},S3,yes,,01/09/2025,"
KNOWN = frozenset({"S1", "S2", "S3", "S4"})


def lines(*rows: str) -> bytes:
    """A CSV file from its lines."""
    return ("\n".join(rows) + "\n").encode()


def xlsx(rows: Sequence[Sequence[object]], title: str = "Sheet") -> bytes:
    """An .xlsx workbook with one sheet holding the rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def staff(*rows: str, existing: dict[str, str | None] | None = None) -> Parsed[StaffRecord]:
    return parse_bytes("staff", lines(STAFF, *rows), "staff.csv", TODAY, existing_managers=existing)


def sessions(*rows: str) -> Parsed[SessionRecord]:
    return parse_bytes("sessions", lines(SESSIONS, *rows), "s.csv", TODAY, known_staff=KNOWN)


def agreements(*rows: str) -> Parsed[object]:
    return parse_bytes("agreements", lines(AGREEMENTS, *rows), "a.csv", TODAY, known_staff=KNOWN)


def only(parsed: Parsed[object]) -> Problem:
    """The one problem a file has (failing loudly with all of them otherwise)."""
    assert len(parsed.problems) == 1, [str(problem) for problem in parsed.problems]
    return parsed.problems[0]


def file_error(data: bytes, filename: str = "staff.csv", kind: str = "staff") -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        read_table(data, filename, kind)
    return raised.value


# Reading files


def test_a_clean_staff_file_gives_a_checked_record_for_every_row() -> None:
    parsed = staff(HEAD, SERVICE, TEAM, PRACTITIONER)
    assert parsed.ok
    assert [record.staff_id for record in parsed.records] == ["S1", "S2", "S3", "S4"]
    pat = parsed.records[3]
    assert (pat.row, pat.role, pat.team, pat.line_manager_id) == (
        5,
        "practitioner",
        "Assessment",
        "S3",
    )
    assert (pat.case_holding, pat.start_date, pat.leaving_date) == (True, date(2025, 9, 1), None)
    assert parsed.columns == frozenset(COLUMNS["staff"])


def test_headings_are_recognised_in_any_case_with_spaces_or_underscores() -> None:
    headings = "  Staff ID ,NAME,Email,Role,team,Service_Area,Line Manager ID"
    data = lines(headings, f"S1,Hana,HANA@Example.org,head of service,,{AREA},")
    parsed = parse_bytes("staff", data, "staff.csv", TODAY)
    assert parsed.ok, parsed.problems
    assert parsed.records[0].email == "hana@example.org"
    assert parsed.columns == set(COLUMNS["staff"][:7])


def test_a_byte_order_mark_before_the_headings_is_ignored() -> None:
    data = b"\xef\xbb\xbf" + lines(STAFF, HEAD)
    assert parse_bytes("staff", data, "staff.csv", TODAY).ok


def test_a_windows_1252_file_is_read_when_it_is_not_utf8() -> None:
    data = lines(STAFF, HEAD.replace("Hana Head", "Zoë Head")).replace("ë".encode(), b"\xeb")
    parsed = parse_bytes("staff", data, "staff.csv", TODAY)
    assert parsed.records[0].name == "Zoë Head"


def test_a_semicolon_separated_file_is_read() -> None:
    data = lines(STAFF.replace(",", ";"), HEAD.replace(",", ";"))
    assert parse_bytes("staff", data, "staff.csv", TODAY).ok


def test_blank_rows_are_skipped_and_row_numbers_stay_as_a_person_sees_them_in_excel() -> None:
    parsed = staff(HEAD, "", ",,,,,,,,,,", SERVICE.replace("sam@", "sam"), "", " , ,", "")
    assert [record.row for record in parsed.records] == [2]
    problem = only(parsed)
    assert (problem.row, problem.column) == (5, "email")


def test_a_file_that_is_not_csv_or_xlsx_is_refused() -> None:
    error = file_error(b"anything", "staff.xls")
    assert str(error) == "The file must be a CSV or an Excel .xlsx file"
    assert error.problems == (
        Problem(None, None, "", "the file must be a CSV or an Excel .xlsx file"),
    )


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"not a zip", "staff.xlsx", "could not be opened as an Excel workbook"),
        (xlsx([["staff_id"]]), "staff.csv", "Excel workbook with a name ending in .csv"),
        (b"\xff\xfe\x00", "staff.csv", "could not be read"),
        (b"", "staff.csv", "the file is empty"),
        (lines(STAFF, "", ",,"), "staff.csv", "headings but no rows"),
    ],
)
def test_an_unreadable_or_empty_file_is_refused_with_a_clear_problem(
    data: bytes, filename: str, words: str
) -> None:
    problem = only(parse_bytes("staff", data, filename, TODAY))
    assert (problem.row, problem.column) == (None, None)
    assert words in problem.message


def test_every_missing_required_column_is_named_with_the_expected_columns() -> None:
    error = file_error(lines("staff_id,name,team", "S1,Hana,"))
    assert [(problem.row, problem.column) for problem in error.problems] == [
        (None, "email"),
        (None, "role"),
    ]
    assert "the file has no email column" in error.problems[0].message
    assert "The columns are staff_id, name, email, role, team" in error.problems[0].message


def test_an_unknown_column_is_reported_with_the_expected_columns() -> None:
    error = file_error(lines(STAFF + ",Notes", HEAD + ",x"))
    problem = error.problems[0]
    assert (problem.row, problem.column) == (None, "Notes")
    assert "there is no column called ‘Notes’ in a staff file" in problem.message
    assert "leaving_date" in problem.message


def test_a_repeated_column_is_reported() -> None:
    error = file_error(lines(STAFF + ", EMAIL", HEAD + ",x"))
    assert [str(problem) for problem in error.problems] == [
        "Column email: there are 2 email columns; delete one"
    ]


def test_a_staff_file_uploaded_as_sessions_says_what_it_looks_like() -> None:
    error = file_error(lines(STAFF, HEAD), "staff.csv", "sessions")
    assert error.problems[-1] == Problem(
        None, None, "", "this looks like a staff file; upload it as that instead"
    )


def test_a_value_under_no_heading_is_reported_by_column_letter() -> None:
    parsed = staff(HEAD.replace("Hana Head", "Head, Hana") + ",31/12/2026")
    problem = next(problem for problem in parsed.problems if problem.column == "M")
    assert (problem.row, problem.value) == (2, "31/12/2026")
    assert "a value with a comma in it needs quotes" in problem.message


# Excel workbooks


def test_an_xlsx_file_with_date_cells_numeric_ids_and_trailing_blank_rows_is_read() -> None:
    rows: list[list[object]] = [
        [
            " Staff ID",
            "Name",
            "EMAIL",
            "role",
            "Team",
            "Service area",
            "line manager id",
            "Case holding",
            "ASYE start",
            "Start date",
            "Leaving date",
        ],
        [
            1234.0,
            "Hana",
            "hana@example.org",
            "Head of service",
            None,
            AREA,
            None,
            False,
            None,
            datetime(2015, 4, 1),
            None,
        ],
        [
            1235,
            "Pat",
            "pat@example.org",
            "practitioner",
            "Assessment",
            AREA,
            1234,
            True,
            datetime(2025, 9, 1),
            date(2025, 9, 1),
            datetime(2026, 7, 31, 17, 0),
        ],
        [None, None, None],
        [None, "  "],
    ]
    parsed = parse_bytes("staff", xlsx(rows), "staff.xlsx", TODAY)
    assert parsed.ok, parsed.problems
    hana, pat = parsed.records
    assert (hana.staff_id, hana.case_holding, hana.start_date) == ("1234", False, date(2015, 4, 1))
    assert (pat.staff_id, pat.line_manager_id, pat.case_holding) == ("1235", "1234", True)
    assert (pat.asye_start, pat.leaving_date) == (date(2025, 9, 1), date(2026, 7, 31))


def test_problems_in_an_xlsx_file_carry_the_excel_row_numbers() -> None:
    rows: list[list[object]] = [
        ["staff_id", "name", "email", "role", "service_area", "start_date"],
        ["S1", "Hana", "hana@example.org", "Head of service", AREA, datetime(2015, 4, 1)],
        [],
        ["S2", "Sam", "sam@example.org", "Service manager", AREA, datetime(2027, 1, 1)],
    ]
    problem = only(parse_bytes("staff", xlsx(rows), "staff.xlsx", TODAY))
    assert str(problem) == (
        "Row 4, column start_date (‘01/01/2027’): the start date must be today or in the past"
    )


def test_the_sheet_named_after_the_kind_of_file_is_read_before_the_first_sheet() -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Notes about this export"])
    workbook.create_sheet("Staff").append(["staff_id", "name", "email", "role"])
    workbook["Staff"].append(["S9", "Ann", "ann@example.org", "Administrator"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "STAFF.XLSX", "staff")
    assert table.rows == (
        (2, {"staff_id": "S9", "name": "Ann", "email": "ann@example.org", "role": "Administrator"}),
    )


# Values required, unique and well formed


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("staff_id", "enter the person's staff ID"),
        ("name", "enter the person's name"),
        ("email", "enter the person's email address"),
        ("role", "enter the person's role, for example Practitioner"),
    ],
)
def test_a_blank_required_staff_value_is_reported(column: str, message: str) -> None:
    cells = HEAD.split(",")
    cells[COLUMNS["staff"].index(column)] = "   "
    problem = only(staff(",".join(cells)))
    assert (problem.row, problem.column, problem.value, problem.message) == (2, column, "", message)


def test_a_duplicate_staff_id_names_both_rows() -> None:
    problem = only(
        staff(HEAD, SERVICE, SERVICE.replace("S2,Sam", " S2 ,Sid").replace("sam@", "sid@"))
    )
    assert (problem.row, problem.column, problem.value) == (4, "staff_id", "S2")
    assert problem.message.startswith("staff_id S2 is also on row 3")


def test_a_duplicate_email_in_another_case_is_reported() -> None:
    problem = only(staff(HEAD, SERVICE.replace("sam@", "HANA@")))
    assert (problem.row, problem.column) == (3, "email")
    assert "this email address is also on row 2" in problem.message


def test_a_badly_formed_email_is_reported_in_the_govuk_style() -> None:
    problem = only(staff(HEAD, SERVICE.replace("sam@example.org", "bob@")))
    assert str(problem) == (
        "Row 3, column email (‘bob@’): enter an email address in the correct format, "
        "like name@example.org"
    )


def test_an_unknown_role_lists_the_roles_allowed() -> None:
    problem = only(staff(HEAD.replace("Head of service", "Boss")))
    assert (problem.row, problem.column, problem.value) == (2, "role", "Boss")
    assert problem.message == "enter one of these roles: " + ", ".join(ROLES.values())


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Senior practitioner", "senior_practitioner"),
        ("SENIOR_PRACTITIONER", "senior_practitioner"),
        (" senior-practitioner ", "senior_practitioner"),
        ("QA officer", "qa_officer"),
        ("quality assurance officer", "qa_officer"),
        ("qa_officer", "qa_officer"),
        ("Head  of  Service", "head_of_service"),
    ],
)
def test_a_role_is_accepted_as_its_label_or_key_in_any_case(text: str, role: str) -> None:
    assert parse_role(text) == role


def test_a_team_is_required_for_practitioners_senior_practitioners_and_team_managers() -> None:
    parsed = staff(
        HEAD,
        SERVICE,
        TEAM.replace("Assessment", ""),
        PRACTITIONER.replace("Practitioner,Assessment", "Senior practitioner,"),
    )
    assert [(problem.row, problem.column, problem.message) for problem in parsed.problems] == [
        (4, "team", "enter the team; a team manager must have one"),
        (5, "team", "enter the team; a senior practitioner must have one"),
    ]


def test_a_service_area_is_required_for_everyone_but_qa_officers_and_administrators() -> None:
    parsed = staff(
        HEAD.replace(AREA, ""),
        "Q1,Quinn,quinn@example.org,QA officer,,,,,,,",
        "A1,Ade,ade@example.org,Administrator,,,,,,,",
    )
    problem = only(parsed)
    assert (problem.row, problem.column) == (2, "service_area")
    assert problem.message == "enter the service area; a head of service must have one"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("No", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("", None),
    ],
)
def test_yes_or_no_is_accepted_in_its_usual_spellings(text: str, value: bool | None) -> None:
    assert parse_bool(text) is value


def test_a_yes_or_no_value_that_is_neither_is_reported() -> None:
    problem = only(staff(HEAD.replace(",no,", ",maybe,")))
    assert (problem.row, problem.column, problem.value, problem.message) == (
        2,
        "case_holding",
        "maybe",
        "enter yes or no",
    )


def test_line_breaks_and_over_long_values_are_reported() -> None:
    parsed = staff(HEAD.replace("Hana Head", '"Hana\nHead"'), SERVICE.replace("S2", "S" * 65))
    assert [(problem.row, problem.column, problem.message) for problem in parsed.problems] == [
        (2, "name", "remove the line breaks and hidden characters from this value"),
        (3, "staff_id", "this must be 64 characters or fewer"),
    ]


def test_a_very_long_value_is_shortened_in_the_problem() -> None:
    problem = only(staff(HEAD.replace("Head of service", "x" * 5000)))
    assert len(problem.value) == 100 and problem.value.endswith("…")


# Dates


@pytest.mark.parametrize(
    "text",
    [
        "27/03/2026",
        "27/3/2026",
        "27-03-2026",
        "27.03.2026",
        "2026-03-27",
        " 27/03/2026 ",
        "27 March 2026",
        "27-Mar-2026",
        "27/03/2026 00:00",
        "2026-03-27T09:30:00",
    ],
)
def test_uk_and_iso_dates_are_read(text: str) -> None:
    assert parse_date(text) == date(2026, 3, 27)


def test_excel_date_and_date_time_cells_are_read_as_dates() -> None:
    assert parse_date(datetime(2026, 3, 27, 14, 5)) == date(2026, 3, 27)
    assert parse_date(date(2026, 3, 27)) == date(2026, 3, 27)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("27/03/26", "enter the year in full, with 4 digits, like 27/03/2026"),
        ("27 Mar 26", "enter the year in full, with 4 digits, like 27/03/2026"),
        ("31/02/2026", "this is not a real date; check the day and the month"),
        ("03/27/2026", "this is not a real date; check the day and the month"),
        ("2026-13-01", "this is not a real date; check the day and the month"),
        ("next Tuesday", "enter the date as day/month/year, like 27/03/2026"),
        ("46108", "enter the date as day/month/year, like 27/03/2026"),
        ("30/12/1899", "this is not a real date; enter a date from 1900 onwards"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_date(text)
    assert raised.value.message == message


def test_a_bad_date_in_a_file_is_reported_with_its_row_and_column() -> None:
    problem = only(staff(HEAD.replace("01/04/2015", "31/02/2026")))
    assert (problem.row, problem.column, problem.value) == (2, "start_date", "31/02/2026")
    assert "not a real date" in problem.message


def test_start_and_asye_dates_in_the_future_are_refused_but_a_planned_leaving_date_is_not() -> None:
    row = f"S5,Ola,ola@example.org,Practitioner,Assessment,{AREA},S1,yes,01/04/2026,01/04/2026,"
    parsed = staff(HEAD, row, HEAD.replace("S1,", "S6,").replace("hana@", "h6@") + "31/12/2026")
    assert [(problem.row, problem.column) for problem in parsed.problems] == [
        (3, "asye_start"),
        (3, "start_date"),
    ]
    assert parsed.problems[0].message == "the ASYE start date must be today or in the past"
    assert parsed.records[-1].leaving_date == date(2026, 12, 31)


def test_a_leaving_date_before_the_start_date_is_refused() -> None:
    problem = only(staff(HEAD + "31/03/2015"))
    assert (problem.row, problem.column, problem.value) == (2, "leaving_date", "31/03/2015")
    assert problem.message == (
        "the leaving date must be the same as or after the start date (01/04/2015)"
    )


# Line management


def test_an_unknown_line_manager_is_reported() -> None:
    problem = only(staff(SERVICE))
    assert (problem.row, problem.column, problem.value) == (2, "line_manager_id", "S1")
    assert problem.message.startswith("there is no one with staff ID S1 in this file or already")


def test_a_line_manager_already_in_the_service_is_accepted() -> None:
    assert staff(SERVICE, existing={"S1": None}).ok


def test_a_person_cannot_be_their_own_line_manager() -> None:
    problem = only(staff(HEAD.replace(f"{AREA},,", f"{AREA},S1,")))
    assert (problem.row, problem.column, problem.value) == (2, "line_manager_id", "S1")
    assert problem.message.startswith("a person cannot be their own line manager")


def test_a_circle_of_line_managers_in_the_file_is_reported_on_every_row_in_it() -> None:
    parsed = staff(HEAD.replace(f"{AREA},,", f"{AREA},S3,"), SERVICE, TEAM, PRACTITIONER)
    assert [(problem.row, problem.column, problem.value) for problem in parsed.problems] == [
        (2, "line_manager_id", "S3"),
        (3, "line_manager_id", "S1"),
        (4, "line_manager_id", "S2"),
    ]
    assert parsed.problems[0].message == (
        "line management goes round in a circle: S1 → S3 → S2 → S1; "
        "change one of these line managers"
    )
    assert "S2 → S1 → S3 → S2" in parsed.problems[1].message
    assert [record.staff_id for record in parsed.records] == ["S4"]


def test_a_circle_through_staff_already_in_the_service_is_found() -> None:
    existing: dict[str, str | None] = {"E1": "E2", "E2": "S2", "S2": None}
    problem = only(staff(SERVICE.replace(",S1,", ",E1,"), existing=existing))
    assert (problem.row, problem.column, problem.value) == (2, "line_manager_id", "E1")
    assert "S2 → E1 → E2 → S2" in problem.message


def test_the_file_replaces_line_managers_already_in_the_service() -> None:
    existing: dict[str, str | None] = {"S1": "S2", "S2": "S1"}
    assert staff(HEAD, SERVICE, existing=existing).ok


def test_a_long_circle_is_shortened_in_the_middle_of_the_message() -> None:
    rows = [f"P{n},P {n},p{n}@example.org,Administrator,,,P{(n + 1) % 30},,,," for n in range(30)]
    parsed = staff(*rows)
    assert len(parsed.problems) == 30
    assert parsed.problems[0].message == (
        "line management goes round in a circle: "
        "P0 → P1 → P2 → P3 → P4 → P5 → P6 → P7 → … → P29 → P0 (30 people); "
        "change one of these line managers"
    )


# Sessions


def test_a_clean_sessions_file_gives_a_record_for_every_row() -> None:
    parsed = sessions(
        "S4,S3,02/03/2026,Case supervision,03/03/2026,04/03/2026,2026-03-05",
        "S4,S3,02/03/2026,personal reflective,,,",
        "S3,S2,2026-03-09,AD-HOC,,,",
    )
    assert parsed.ok, parsed.problems
    first = parsed.records[0]
    assert (first.supervisee_id, first.supervisor_id, first.session_date, first.type) == (
        "S4",
        "S3",
        date(2026, 3, 2),
        "case",
    )
    assert first.signed_by_supervisee == date(2026, 3, 5)
    assert [record.type for record in parsed.records] == ["case", "personal", "ad_hoc"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("case", "case"),
        ("Personal reflective supervision", "personal"),
        ("PERSONAL", "personal"),
        ("group supervision", "group"),
        ("Ad hoc", "ad_hoc"),
        ("ad_hoc", "ad_hoc"),
    ],
)
def test_a_session_type_is_accepted_as_its_label_or_key_in_any_case(text: str, kind: str) -> None:
    assert parse_session_type(text) == kind


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (",S3,02/03/2026,case,,,", "supervisee_id", "enter the supervisee's staff ID"),
        ("S4,,02/03/2026,case,,,", "supervisor_id", "enter the supervisor's staff ID"),
        ("S4,S3,,case,,,", "session_date", "enter the date the session was held"),
        ("S4,S3,02/03/2026,,,,", "type", "enter the type of session, for example Case supervision"),
        (
            "S4,S4,02/03/2026,case,,,",
            "supervisor_id",
            "the supervisor must be someone other than the supervisee",
        ),
        (
            "S4,S3,02/03/2026,chat,,,",
            "type",
            "enter one of these session types: " + ", ".join(SESSION_TYPES.values()),
        ),
        (
            "S4,S3,01/04/2026,case,,,",
            "session_date",
            "the date the session was held must be today or in the past",
        ),
        (
            "S4,S3,02/03/2026,case,01/03/2026,,",
            "recorded_date",
            "the date the session was recorded must be the same as or after the date the session "
            "was held (02/03/2026)",
        ),
        (
            "S4,S3,02/03/2026,case,,01/04/2026,",
            "signed_by_supervisor",
            "the date the supervisor signed must be today or in the past",
        ),
        (
            "S4,S3,02/03/2026,case,,,1/3/2026",
            "signed_by_supervisee",
            "the date the supervisee signed must be the same as or after the date the session "
            "was held (02/03/2026)",
        ),
    ],
)
def test_a_bad_session_row_is_reported(row: str, column: str, message: str) -> None:
    problem = only(sessions(row))
    assert (problem.row, problem.column, problem.message) == (2, column, message)


def test_a_session_with_someone_not_in_the_service_is_reported() -> None:
    parsed = sessions("S9,S8,02/03/2026,case,,,")
    assert [(problem.column, problem.value) for problem in parsed.problems] == [
        ("supervisee_id", "S9"),
        ("supervisor_id", "S8"),
    ]
    assert parsed.problems[0].message.startswith("there is no member of staff with staff ID S9")


def test_the_same_session_twice_is_reported_on_the_second_row() -> None:
    parsed = sessions("S4,S3,02/03/2026,case,,,", "S4,S2,2/3/2026,Case supervision,,,")
    problem = only(parsed)
    assert (problem.row, problem.column) == (3, "session_date")
    assert "is also on row 2" in problem.message
    assert [record.row for record in parsed.records] == [2]


# Agreements


def test_a_clean_agreements_file_gives_a_record_for_every_row() -> None:
    parsed = agreements("S4,S3,01/09/2025,02/09/2025,01/09/2026", "S3,S2,,,")
    assert parsed.ok, parsed.problems
    assert len(parsed.records) == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (",S3,,,", "supervisee_id", "enter the supervisee's staff ID"),
        ("S4,,,,", "supervisor_id", "enter the supervisor's staff ID"),
        ("S4,S4,,,", "supervisor_id", "the supervisor must be someone other than the supervisee"),
        (
            "S4,S3,01/09/2025,05/09/2025,04/09/2025",
            "review_due",
            "the review date must be the same as or after the date the supervisee signed "
            "(05/09/2025)",
        ),
        (
            "S4,S3,01/04/2026,,",
            "signed_by_supervisor",
            "the date the supervisor signed must be today or in the past",
        ),
    ],
)
def test_a_bad_agreement_row_is_reported(row: str, column: str, message: str) -> None:
    problem = only(agreements(row))
    assert (problem.row, problem.column, problem.message) == (2, column, message)


def test_an_agreement_with_someone_not_in_the_service_is_reported() -> None:
    problem = only(agreements("S4,X1,,,"))
    assert (problem.row, problem.column, problem.value) == (2, "supervisor_id", "X1")


# The whole file at once


def test_every_problem_in_a_file_is_reported_at_once_in_file_order() -> None:
    parsed = staff(
        HEAD.replace("hana@example.org", "hana"),
        ",Sam,sam@example.org,Boss,,,S7,perhaps,,01/02/26,",
        PRACTITIONER.replace("01/09/2025", "31/09/2025"),
    )
    assert [(problem.row, problem.column) for problem in parsed.problems] == [
        (2, "email"),
        (3, "staff_id"),
        (3, "role"),
        (3, "line_manager_id"),
        (3, "case_holding"),
        (3, "start_date"),
        (4, "line_manager_id"),
        (4, "start_date"),
    ]
    assert not parsed.ok
    assert parsed.records == ()


def test_a_problem_reads_as_a_sentence_with_its_place() -> None:
    assert str(Problem(4, "email", "bob@", "enter an email address")) == (
        "Row 4, column email (‘bob@’): enter an email address"
    )
    assert str(Problem(4, "name", "", "enter the person's name")) == (
        "Row 4, column name: enter the person's name"
    )
    assert str(Problem(None, "role", "", "the file has no role column")) == (
        "Column role: the file has no role column"
    )


def test_progress_is_reported_every_500_rows_and_at_the_end() -> None:
    rows = tuple((number, {"supervisee_id": "S4"}) for number in range(2, 1203))
    calls: list[tuple[int, int]] = []
    parse_agreements(Table("agreements", rows), TODAY, KNOWN, progress=lambda *c: calls.append(c))
    assert calls == [(500, 1201), (1000, 1201), (1201, 1201)]
    empty: list[tuple[int, int]] = []
    parse_staff(Table("staff", ()), TODAY, {}, progress=lambda *c: empty.append(c))
    assert empty == [(0, 0)]


def test_a_table_of_another_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="expected a sessions table"):
        parse_sessions(Table("staff", ()), TODAY, KNOWN)
    with pytest.raises(ValueError, match="kind must be one of"):
        read_table(b"", "x.csv", "people")


# Anything a person might upload


def csv_of(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def assert_well_formed(parsed: Parsed[object], kind: str) -> None:
    """Every problem says something and points at a column, or is about the whole file;
    records come only from rows without problems."""
    for problem in parsed.problems:
        assert problem.message.strip()
        assert problem.column or problem.row is None
        assert str(problem)
    bad_rows = {problem.row for problem in parsed.problems}
    assert all(getattr(record, "row") not in bad_rows for record in parsed.records)
    assert parsed.ok == (not parsed.problems)


ANY_TEXT = st.text(max_size=12) | st.sampled_from(
    [
        "",
        " ",
        "S1",
        "S2",
        "01/02/2026",
        "2026-02-30",
        "1/1/26",
        "yes",
        "Practitioner",
        "a@example.org",
        "case",
        "ad hoc",
        "S1 ",
        "0",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(COLUMNS)),
    cells=st.lists(st.lists(ANY_TEXT, min_size=11, max_size=11), max_size=6),
)
def test_any_text_in_the_cells_gives_problems_never_an_error(
    kind: str, cells: list[list[str]]
) -> None:
    width = len(COLUMNS[kind])
    data = csv_of([list(COLUMNS[kind]), *(row[:width] for row in cells)])
    parsed = parse_bytes(kind, data, "upload.csv", TODAY, {"S1": None}, {"S1", "S2"})
    assert_well_formed(parsed, kind)


ANY_CELL = (
    ANY_TEXT | st.none() | st.booleans() | st.integers() | st.floats() | st.dates() | st.datetimes()
)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(sorted(COLUMNS)),
    cells=st.lists(st.lists(ANY_CELL, min_size=11, max_size=11), max_size=6),
)
def test_any_excel_cell_values_give_problems_never_an_error(
    kind: str, cells: list[list[object]]
) -> None:
    rows = tuple(
        (number, dict(zip(COLUMNS[kind], row, strict=False))) for number, row in enumerate(cells, 2)
    )
    table = Table(kind, rows)
    if kind == "staff":
        parsed: Parsed[object] = parse_staff(table, TODAY, {"S1": "S2", "S2": None})
    elif kind == "sessions":
        parsed = parse_sessions(table, TODAY, {"S1", "S2"})
    elif kind in ("cases", "case_discussions"):
        parsed = parse_case_table(kind, table, TODAY, {"S1", "S2"}, None)
    else:
        parsed = parse_agreements(table, TODAY, {"S1", "S2"})
    assert_well_formed(parsed, kind)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200), filename=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_any_bytes_at_all_give_problems_never_an_error(data: bytes, filename: str) -> None:
    assert_well_formed(
        parse_bytes("staff", STAFF.encode() + b"\n" + data, filename, TODAY), "staff"
    )
