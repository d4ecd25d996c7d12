"""Reading and checking the organisation import files: staff, sessions and agreements.

Councils export these from HR and case-recording systems, so the files are messy: CSV or
Excel, headings in any case, dates in several styles, blank rows. :func:`read_table` turns a
file into a :class:`Table` of raw cells; :func:`parse_staff`, :func:`parse_sessions` and
:func:`parse_agreements` check every row and return clean records together with *every*
problem found, so a person can fix the whole file in one go. Nothing here touches the
database: the caller imports the records only when :attr:`Parsed.ok`, so a bad file never
leads to a partial write.
"""

import codecs
import csv
import io
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, TypeVar

import openpyxl

from qa.cases.personal_data import refused_column
from qa.roles import Role

if TYPE_CHECKING:
    from qa.cases.parsing import CaseRecord, DiscussionRecord

from .limits import DEFAULT_LIMITS, Limits, ProblemList, capped_rows, check_package
from .parsing_rules import ROLES as ROLES
from .parsing_rules import SESSION_TYPES as SESSION_TYPES
from .parsing_rules import ImportFileError as ImportFileError
from .parsing_rules import Problem as Problem
from .parsing_rules import (
    RowChecker,
    cell_text,
    column_letter,
    describe_cycle,
    find_cycles,
    normalise_key,
    parse_bool,
    parse_email,
    parse_fte,
    parse_minutes,
    parse_role,
    parse_session_type,
    plain_cell,
    shown,
)

Cell = str | date | datetime | float | int | None
Progress = Callable[[int, int], None]

COLUMNS: dict[str, tuple[str, ...]] = {
    "staff": tuple(
        "staff_id name email role team service_area line_manager_id case_holding asye_start "
        "start_date leaving_date fte".split()
    ),
    "sessions": tuple(
        "supervisee_id supervisor_id session_date type recorded_date signed_by_supervisor "
        "signed_by_supervisee length_minutes".split()
    ),
    "agreements": tuple(
        "supervisee_id supervisor_id signed_by_supervisor signed_by_supervisee review_due".split()
    ),
    "cases": ("case_reference", "worker_id", "allocated_on", "status", "status_from"),
    "case_discussions": ("case_reference", "supervisee_id", "supervisor_id", "discussed_on"),
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "staff": ("staff_id", "name", "email", "role"),
    "sessions": ("supervisee_id", "supervisor_id", "session_date", "type"),
    "agreements": ("supervisee_id", "supervisor_id"),
    "cases": ("case_reference", "worker_id", "allocated_on", "status", "status_from"),
    "case_discussions": ("case_reference", "supervisee_id", "supervisor_id", "discussed_on"),
}
PROGRESS_EVERY = 500

_TEAM_ROLES = frozenset({Role.PRACTITIONER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER})
_NO_SERVICE_AREA_ROLES = frozenset({Role.QA_OFFICER, Role.ADMINISTRATOR})
_A_FILE = {
    "staff": "a staff file",
    "sessions": "a sessions file",
    "agreements": "an agreements file",
    "cases": "a cases file",
    "case_discussions": "a case discussions file",
}
_SIGNED = ("signed_by_supervisor", "signed_by_supervisee")
_CASE_FILES = frozenset({"cases", "case_discussions"})
_NOT_EXCEL = (
    "the file could not be opened as an Excel workbook; check it is an .xlsx file without "
    "a password, or save it as CSV"
)


@dataclass(frozen=True)
class Table:
    """The raw cells of an import file: (row number, column name -> cell) for each row that
    is not blank, plus problems with single rows found while reading (values under no
    heading), which the parse functions pass on."""

    kind: str
    rows: tuple[tuple[int, dict[str, Cell]], ...]
    problems: tuple[Problem, ...] = ()
    problems_listed: int = Limits.problems


@dataclass(frozen=True)
class StaffRecord:
    """A checked row of the staff file; ``email`` is in lower case."""

    row: int
    staff_id: str
    name: str
    email: str
    role: str
    team: str | None
    service_area: str | None
    line_manager_id: str | None
    case_holding: bool
    asye_start: date | None
    start_date: date | None
    leaving_date: date | None
    fte: float | None = None
    """The full-time equivalent (1 is full time); None where the file does not say."""


@dataclass(frozen=True)
class SessionRecord:
    """A checked row of the supervision sessions file."""

    row: int
    supervisee_id: str
    supervisor_id: str
    session_date: date
    type: str
    recorded_date: date | None
    signed_by_supervisor: date | None
    signed_by_supervisee: date | None
    length_minutes: int | None = None


@dataclass(frozen=True)
class AgreementRecord:
    """A checked row of the supervision agreements file."""

    row: int
    supervisee_id: str
    supervisor_id: str
    signed_by_supervisor: date | None
    signed_by_supervisee: date | None
    review_due: date | None


T = TypeVar("T")
R = TypeVar("R", StaffRecord, SessionRecord, AgreementRecord)


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """The outcome of checking a file: the rows with no problems, and every problem found.

    Import nothing unless ``ok``. ``columns`` names the columns the file had, so an update
    can leave alone what a file without an optional column says nothing about. Only the
    first problems are listed; ``more_problems`` counts the rest.
    """

    records: tuple[T, ...]
    problems: tuple[Problem, ...]
    columns: frozenset[str] = frozenset()
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        """Whether the whole file can be imported."""
        return not self.problems


def read_table(data: bytes, filename: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read a CSV or .xlsx file (chosen by the file name's extension) into a :class:`Table`.

    Raises :class:`ImportFileError` when the file cannot be used at all, listing every
    missing, unknown or repeated column at once, or as soon as it passes one of the
    `limits` (qa.org.limits).
    """
    _check_kind(kind)
    extension = filename.strip().rpartition(".")[2].lower() if "." in filename else ""
    if extension == "csv":
        raw_rows: Sequence[Sequence[object]] = _csv_rows(data, limits)
    elif extension == "xlsx":
        raw_rows = _xlsx_rows(data, kind, limits)
    else:
        raise ImportFileError("the file must be a CSV or an Excel .xlsx file")
    return _table(raw_rows, kind, limits.problems)


def _check_kind(kind: str) -> None:
    """Refuse a kind of file this module does not know (a programming error, not bad data)."""
    if kind not in COLUMNS:
        raise ValueError(f"kind must be one of {', '.join(COLUMNS)}, not {kind!r}")


def _csv_rows(data: bytes, limits: Limits) -> list[tuple[object, ...]]:
    """The records of a CSV file; the separator is a comma unless the headings use another."""
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "the file is an Excel workbook with a name ending in .csv; rename it to end in "
            ".xlsx, or save it from Excel as CSV"
        )
    text = _decode(data)
    headings = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(",;\t", key=lambda candidate: (headings.count(candidate), candidate == ","))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        return list(capped_rows(reader, limits))
    except csv.Error:
        raise ImportFileError(
            "the file could not be read as CSV; open it in Excel and save it as ‘CSV UTF-8’"
        ) from None


def _decode(data: bytes) -> str:
    """Text from UTF-8 (with or without Excel's byte order mark), UTF-16 with a byte order
    mark (Excel's "Unicode text"), or else Windows-1252 (older Excel on Windows)."""
    boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    for encoding in ("utf-16",) if data.startswith(boms) else ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "the characters in the file could not be read; save it from Excel as ‘CSV UTF-8’"
    )


def _xlsx_rows(data: bytes, kind: str, limits: Limits) -> list[tuple[object, ...]]:
    """The rows of the sheet named after the kind of file, or else of the first sheet, as
    they are in the file: the sheet's declared dimensions are ignored."""
    check_package(data, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        raise ImportFileError(_NOT_EXCEL) from None
    try:
        sheets = workbook.worksheets
        named = [sheet for sheet in sheets if normalise_key(sheet.title) == kind]
        sheet = (named or sheets)[0]
        sheet.reset_dimensions()
        return list(capped_rows(sheet.iter_rows(values_only=True), limits))
    except ImportFileError:
        raise
    except Exception:  # cells are read lazily, so damage can also show up here
        raise ImportFileError(_NOT_EXCEL) from None
    finally:
        workbook.close()


def _table(raw_rows: Sequence[Sequence[object]], kind: str, problems_listed: int) -> Table:
    """Find the headings (the first row that is not blank) and key each later row by them."""
    numbered = [(number, cells) for number, cells in enumerate(raw_rows, 1) if _filled(cells)]
    if not numbered:
        raise ImportFileError(
            f"the file is empty; its first row must be the headings: {', '.join(COLUMNS[kind])}"
        )
    (_, headings), *data = numbered
    positions = _heading_positions(headings, kind)
    if not data:
        raise ImportFileError("the file has headings but no rows; add a row for each record")
    rows: list[tuple[int, dict[str, Cell]]] = []
    problems = ProblemList(problems_listed)
    for number, cells in data:
        rows.append((number, {key: _cell(cells, at) for at, key in positions.items()}))
        problems.extend(
            Problem(
                number,
                column_letter(at + 1),
                shown(cell),
                "this value is in a column with no heading; check the values are in the right "
                "columns (in a CSV file, a value with a comma in it needs quotes) or delete it",
            )
            for at, cell in enumerate(cells)
            if at not in positions and cell_text(cell)
        )
    return Table(kind, tuple(rows), tuple(problems), problems_listed)


def _filled(cells: Sequence[object]) -> bool:
    """Whether a row has anything in it (blank rows are skipped wherever they are)."""
    return any(cell_text(cell) for cell in cells)


def _cell(cells: Sequence[object], at: int) -> Cell:
    """The cell at a position (None beyond the end of a short row)."""
    return plain_cell(cells[at]) if at < len(cells) else None


def _heading_positions(headings: Sequence[object], kind: str) -> dict[int, str]:
    """Map each column position to its column name, or raise listing every heading problem."""
    expected = COLUMNS[kind]
    listing = (
        f"The columns are {', '.join(expected)}; "
        f"{', '.join(REQUIRED_COLUMNS[kind])} must be filled in"
    )
    positions: dict[int, str] = {}
    problems: list[Problem] = []
    for at, cell in enumerate(headings):
        heading, key = cell_text(cell), normalise_key(cell_text(cell))
        if not heading:
            continue
        refused = refused_column(heading) if kind in _CASE_FILES else None
        if refused:
            problems.append(Problem(None, heading, "", refused))
        elif key not in expected:
            problems.append(
                Problem(
                    None,
                    heading,
                    "",
                    f"there is no column called ‘{heading}’ in {_A_FILE[kind]}; rename it or "
                    f"delete it. {listing}",
                )
            )
        elif key in positions.values():
            problems.append(Problem(None, key, "", f"there are 2 {key} columns; delete one"))
        else:
            positions[at] = key
    problems.extend(
        Problem(None, column, "", f"the file has no {column} column; add it. {listing}")
        for column in REQUIRED_COLUMNS[kind]
        if column not in positions.values()
    )
    if problems:
        raise ImportFileError([*problems, *_wrong_kind_hint(headings, kind)])
    return positions


def _wrong_kind_hint(headings: Sequence[object], kind: str) -> list[Problem]:
    """Say so when the headings are exactly those of another kind of file."""
    keys = {normalise_key(cell_text(cell)) for cell in headings if cell_text(cell)}
    return [
        Problem(None, None, "", f"this looks like {_A_FILE[other]}; upload it as that instead")
        for other, columns in COLUMNS.items()
        if other != kind and set(REQUIRED_COLUMNS[other]) <= keys <= set(columns)
    ]


def _rows(table: Table, problems: list[Problem], progress: Progress | None) -> Iterator[RowChecker]:
    """The table's rows to check, reporting progress every 500 rows and at the end."""
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, 1):
        yield RowChecker(number, cells, problems)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    if progress is not None and total == 0:
        progress(0, 0)


def _start(table: Table, kind: str) -> ProblemList:
    """Check the table is of the kind expected and start its list of problems."""
    _check_kind(kind)
    if table.kind != kind:
        raise ValueError(f"expected a {kind} table, not a {table.kind} table")
    return ProblemList(table.problems_listed, table.problems)


def _finish(table: Table, records: list[R], problems: ProblemList) -> Parsed[R]:
    """Keep the records from rows without problems, and sort the problems into file order."""
    bad_rows = {problem.row for problem in problems}
    order = {column: at for at, column in enumerate(COLUMNS[table.kind])}
    problems.sort(key=lambda problem: (problem.row or 0, order.get(problem.column or "", -1)))
    return Parsed(
        tuple(record for record in records if record.row not in bad_rows),
        tuple(problems),
        frozenset(column for _, cells in table.rows for column in cells),
        problems.more,
    )


def _earlier_row(first_rows: dict[object, int], key: object, number: int) -> int | None:
    """The row where ``key`` first appeared, when that is not this row."""
    first = first_rows.setdefault(key, number)
    return None if first == number else first


def parse_staff(
    table: Table,
    today: date,
    existing_managers: Mapping[str, str | None],
    progress: Progress | None = None,
) -> Parsed[StaffRecord]:
    """Check every row of a staff file.

    ``existing_managers`` maps the staff already in the service to their line managers;
    the file's rows replace theirs by staff_id, and line managers and loops are checked
    over the two together. The leaving date may be in the future, because HR systems hold
    planned leaving dates and sampling needs them; every other date must not be.
    """
    problems = _start(table, "staff")
    records: list[StaffRecord] = []
    first_id_rows: dict[object, int] = {}
    first_email_rows: dict[object, int] = {}
    links: list[tuple[int, str | None, str | None]] = []
    for row in _rows(table, problems, progress):
        staff_id = row.text("staff_id", "enter the person's staff ID")
        if staff_id is not None and (first := _earlier_row(first_id_rows, staff_id, row.number)):
            row.problem(
                "staff_id",
                f"staff_id {staff_id} is also on row {first}; each person must be on one row only",
            )
        email = row.convert("email", parse_email, "enter the person's email address")
        if email is not None and (first := _earlier_row(first_email_rows, email, row.number)):
            row.problem(
                "email",
                f"this email address is also on row {first}; each person needs their own",
            )
        manager = row.text("line_manager_id")
        links.append((row.number, staff_id, manager))
        record = _staff_record(row, today, staff_id, email, manager)
        if record is not None:
            records.append(record)
    _check_line_management(links, existing_managers, problems)
    return _finish(table, records, problems)


def _staff_record(
    row: RowChecker, today: date, staff_id: str | None, email: str | None, manager: str | None
) -> StaffRecord | None:
    """Check the rest of a staff row; the record, unless a required value is missing."""
    name = row.text("name", "enter the person's name")
    role = row.convert("role", parse_role, "enter the person's role, for example Practitioner")
    team, service_area = row.text("team"), row.text("service_area")
    if role in _TEAM_ROLES and row.is_blank("team"):
        row.problem("team", f"enter the team; a {ROLES[role].lower()} must have one")
    if role is not None and role not in _NO_SERVICE_AREA_ROLES and row.is_blank("service_area"):
        row.problem(
            "service_area", f"enter the service area; a {ROLES[role].lower()} must have one"
        )
    case_holding = row.convert("case_holding", parse_bool)
    asye_start = row.date_of("asye_start", today)
    start_date = row.date_of("start_date", today)
    leaving_date = row.date_of("leaving_date", today, future_allowed=True)
    row.not_before("leaving_date", leaving_date, "start_date", start_date)
    fte = row.convert("fte", parse_fte)
    if staff_id is None or name is None or email is None or role is None:
        return None
    return StaffRecord(
        row.number,
        staff_id,
        name,
        email,
        role,
        team,
        service_area,
        manager,
        bool(case_holding),
        asye_start,
        start_date,
        leaving_date,
        fte,
    )


def _check_line_management(
    links: list[tuple[int, str | None, str | None]],
    existing_managers: Mapping[str, str | None],
    problems: list[Problem],
) -> None:
    """Check each line manager exists and is someone else, and that following line managers
    upwards never comes back round, over the service's staff overlaid with the file's."""
    graph: dict[str, str | None] = dict(existing_managers)
    first_rows: dict[str, tuple[int, str | None]] = {}
    for number, staff_id, manager in links:
        if staff_id is not None and staff_id not in first_rows:
            first_rows[staff_id] = (number, manager)
            graph[staff_id] = None if manager == staff_id else manager
    for number, staff_id, manager in links:
        if manager is None:
            continue
        if manager == staff_id:
            message = (
                "a person cannot be their own line manager; enter someone else or leave it blank"
            )
        elif manager not in first_rows and manager not in existing_managers:
            message = (
                f"there is no one with staff ID {manager} in this file or already in the "
                "service; add the line manager to the file, or correct the ID"
            )
        else:
            continue
        problems.append(Problem(number, "line_manager_id", shown(manager), message))
    for cycle in find_cycles(graph):
        for staff_id in cycle:
            if staff_id in first_rows:
                number, manager = first_rows[staff_id]
                problems.append(
                    Problem(
                        number,
                        "line_manager_id",
                        shown(manager),
                        f"line management goes round in a circle: "
                        f"{describe_cycle(cycle, staff_id)}; change one of these line managers",
                    )
                )


def _people(row: RowChecker, known: Collection[str]) -> tuple[str | None, str | None]:
    """The supervisee and supervisor of a session or agreement: known, and not the same."""
    supervisee = row.staff_id("supervisee_id", known, "enter the supervisee's staff ID")
    supervisor = row.staff_id("supervisor_id", known, "enter the supervisor's staff ID")
    if supervisee is not None and supervisee == supervisor:
        row.problem("supervisor_id", "the supervisor must be someone other than the supervisee")
    return supervisee, supervisor


def parse_sessions(
    table: Table, today: date, known_staff: Collection[str], progress: Progress | None = None
) -> Parsed[SessionRecord]:
    """Check every row of a supervision sessions file against the staff already known.

    A session is a duplicate when the same supervisee has two of the same type on one day.
    """
    problems = _start(table, "sessions")
    known = frozenset(known_staff)
    records: list[SessionRecord] = []
    first_rows: dict[object, int] = {}
    for row in _rows(table, problems, progress):
        supervisee, supervisor = _people(row, known)
        held = row.date_of("session_date", today, "enter the date the session was held")
        session_type = row.convert(
            "type", parse_session_type, "enter the type of session, for example Case supervision"
        )
        later = {
            column: row.date_of(column, today)
            for column in ("recorded_date", "signed_by_supervisor", "signed_by_supervisee")
        }
        for column, value in later.items():
            row.not_before(column, value, "session_date", held)
        length = row.convert("length_minutes", parse_minutes)
        if supervisee is None or held is None or session_type is None:
            continue
        if first := _earlier_row(first_rows, (supervisee, held, session_type), row.number):
            row.problem(
                "session_date",
                f"this session (same supervisee, date and type) is also on row {first}; "
                "delete one of them",
            )
        if supervisor is not None:
            records.append(
                SessionRecord(
                    row.number,
                    supervisee,
                    supervisor,
                    held,
                    session_type,
                    recorded_date=later["recorded_date"],
                    signed_by_supervisor=later["signed_by_supervisor"],
                    signed_by_supervisee=later["signed_by_supervisee"],
                    length_minutes=length,
                )
            )
    return _finish(table, records, problems)


def parse_agreements(
    table: Table, today: date, known_staff: Collection[str], progress: Progress | None = None
) -> Parsed[AgreementRecord]:
    """Check every row of a supervision agreements file against the staff already known.

    The review date may be in the future (it usually is), but not before either signature.
    """
    problems = _start(table, "agreements")
    known = frozenset(known_staff)
    records: list[AgreementRecord] = []
    for row in _rows(table, problems, progress):
        supervisee, supervisor = _people(row, known)
        signed = {column: row.date_of(column, today) for column in _SIGNED}
        review_due = row.date_of("review_due", today, future_allowed=True)
        last_signed = max(_SIGNED, key=lambda column: signed[column] or date.min)
        row.not_before("review_due", review_due, last_signed, signed[last_signed])
        if supervisee is not None and supervisor is not None:
            records.append(
                AgreementRecord(
                    row.number,
                    supervisee,
                    supervisor,
                    signed_by_supervisor=signed["signed_by_supervisor"],
                    signed_by_supervisee=signed["signed_by_supervisee"],
                    review_due=review_due,
                )
            )
    return _finish(table, records, problems)


def parse_bytes(
    kind: str,
    data: bytes,
    filename: str,
    today: date,
    existing_managers: Mapping[str, str | None] | None = None,
    known_staff: Collection[str] | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> (
    "Parsed[StaffRecord] | Parsed[SessionRecord] | Parsed[AgreementRecord] "
    "| Parsed[CaseRecord] | Parsed[DiscussionRecord]"
):
    """Read and check a file in one go, with problems about the whole file returned in
    ``problems`` rather than raised. None for ``existing_managers`` or ``known_staff`` means
    nobody is in the service yet."""
    _check_kind(kind)
    try:
        table = read_table(data, filename, kind, limits)
    except ImportFileError as error:
        return Parsed((), error.problems)
    if kind in _CASE_FILES:
        from qa.cases.parsing import parse_case_table  # it builds on this module

        return parse_case_table(kind, table, today, known_staff or frozenset(), progress)
    if kind == "staff":
        return parse_staff(table, today, existing_managers or {}, progress)
    known = frozenset() if known_staff is None else known_staff
    if kind == "sessions":
        return parse_sessions(table, today, known, progress)
    return parse_agreements(table, today, known, progress)
