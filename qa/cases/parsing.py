"""Reading and checking the two case import files: cases and case discussions.

The files are read like the organisation's (qa.org.parsing: CSV or Excel, headings in any
case, every problem found at once). A `cases` row says that from `allocated_on` the case was
held by the worker `worker_id`, and from `status_from` it had `status`: a case's history is
its rows together, so a transfer is a row with another worker and a later allocation date,
and a closure is a row with the status Closed. A `case_discussions` row says the case was
discussed in the supervisee's supervision with the supervisor on `discussed_on`. Checks that
need the stored cases (a discussion before the allocation, by someone not holding the case)
are made when the file is applied (qa.cases.importing), still before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from audit_tools.case_rules import ALL_STATUSES, STATUS_NAMES
from qa.org.limits import ProblemList
from qa.org.parsing import COLUMNS, Parsed, Progress, Table, _rows, _start
from qa.org.parsing_rules import (
    CellError,
    RowChecker,
    cell_text,
    normalise_key,
    parse_date,
)

CASE_KINDS = ("cases", "case_discussions")
CASE_KIND_LABELS = {"cases": "Cases", "case_discussions": "Case discussions"}
REFERENCE_LENGTH = 64
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]*", re.ASCII)

_STATUS_CHOICES: dict[str, str] = {
    **{normalise_key(key): key for key in ALL_STATUSES},
    **{normalise_key(label): key for key, label in STATUS_NAMES.items()},
    **{
        normalise_key(alias): key
        for alias, key in {
            "CP": "child_protection",
            "CPP": "child_protection",
            "Child protection": "child_protection",
            "CIN": "child_in_need",
            "Child in need": "child_in_need",
            "LAC": "looked_after",
            "CLA": "looked_after",
            "Child looked after": "looked_after",
            "Looked after permanence": "looked_after_permanence",
            "Permanency plan agreed": "looked_after_permanence",
            "Early help": "early_help",
            "Team around the child": "early_help",
            "TAC": "early_help",
            "Single agency": "single_agency",
            "YOS": "youth_justice",
            "Youth offending": "youth_justice",
            "Care leaver": "care_leaver",
            "Adult": "adult",
        }.items()
    },
}


@dataclass(frozen=True)
class CaseRecord:
    """A checked row of a cases file."""

    row: int
    reference: str
    worker_id: str
    allocated_on: date
    status: str
    status_from: date


@dataclass(frozen=True)
class DiscussionRecord:
    """A checked row of a case discussions file."""

    row: int
    reference: str
    supervisee_id: str
    supervisor_id: str
    discussed_on: date


def parse_reference(value: object) -> str:
    """A case reference: letters, digits and / _ . - with at least one digit, so that a
    child's name cannot stand in for it."""
    text = cell_text(value)
    if len(text) > REFERENCE_LENGTH:
        raise CellError(f"a case reference must be {REFERENCE_LENGTH} characters or fewer")
    if not _REFERENCE.fullmatch(text) or not any(character.isdigit() for character in text):
        raise CellError(
            "enter the case reference from the case-recording system, like 104233 or "
            "CIN/104233: letters and digits with at least one digit and no spaces, never the "
            "child's name"
        )
    return text


def parse_status(value: object) -> str:
    """A status key such as ``looked_after`` from "Looked after", "LAC", "CLA"..."""
    key = _STATUS_CHOICES.get(normalise_key(cell_text(value)))
    if key is None:
        raise CellError(f"enter one of these statuses: {', '.join(STATUS_NAMES.values())}")
    return key


def _day(row: RowChecker, column: str, today: date, what: str) -> date | None:
    value = row.convert(column, parse_date, f"enter {what}")
    if value is not None and value > today:
        row.problem(column, f"{what} must be today or in the past")
        return None
    return value


def parse_cases(
    table: Table, today: date, known_staff: Collection[str], progress: Progress | None = None
) -> Parsed[CaseRecord]:
    """Check every row of a cases file against the staff already known, and the rows of one
    case against each other: one worker per allocation date, one status per start date."""
    problems = _start(table, "cases")
    known = frozenset(known_staff)
    records: list[CaseRecord] = []
    workers: dict[tuple[str, date], tuple[str, int]] = {}
    statuses: dict[tuple[str, date], tuple[str, int]] = {}
    for row in _rows(table, problems, progress):
        reference = row.convert("case_reference", parse_reference, "enter the case reference")
        worker = row.staff_id(
            "worker_id", known, "enter the staff ID of the worker the case is allocated to"
        )
        allocated = _day(row, "allocated_on", today, "the date the case was allocated")
        status = row.convert("status", parse_status, "enter the case's status")
        status_from = _day(row, "status_from", today, "the date the status started")
        if reference is None or worker is None or allocated is None:
            continue
        if status is None or status_from is None:
            continue
        _one_per_day(row, workers, (reference, allocated), worker, "allocated_on", "allocated to")
        _one_per_day(
            row, statuses, (reference, status_from), status, "status_from", "given the status"
        )
        records.append(CaseRecord(row.number, reference, worker, allocated, status, status_from))
    return _done(table, records, problems)


def _one_per_day(
    row: RowChecker,
    seen: dict[tuple[str, date], tuple[str, int]],
    key: tuple[str, date],
    value: str,
    column: str,
    what: str,
) -> None:
    earlier = seen.setdefault(key, (value, row.number))
    if earlier[0] != value:
        shown = STATUS_NAMES.get(value, value), STATUS_NAMES.get(earlier[0], earlier[0])
        row.problem(
            column,
            f"row {earlier[1]} says case {key[0]} was {what} {shown[1]} on {key[1]:%d/%m/%Y}, "
            f"this row says {shown[0]}; a case has one on each day, so correct one of them",
        )


def parse_case_discussions(
    table: Table, today: date, known_staff: Collection[str], progress: Progress | None = None
) -> Parsed[DiscussionRecord]:
    """Check every row of a case discussions file against the staff already known."""
    problems = _start(table, "case_discussions")
    known = frozenset(known_staff)
    records: list[DiscussionRecord] = []
    for row in _rows(table, problems, progress):
        reference = row.convert("case_reference", parse_reference, "enter the case reference")
        supervisee = row.staff_id("supervisee_id", known, "enter the supervisee's staff ID")
        supervisor = row.staff_id("supervisor_id", known, "enter the supervisor's staff ID")
        if supervisee is not None and supervisee == supervisor:
            row.problem("supervisor_id", "the supervisor must be someone other than the supervisee")
        held = _day(row, "discussed_on", today, "the date the case was discussed")
        if reference is None or supervisee is None or supervisor is None or held is None:
            continue
        records.append(DiscussionRecord(row.number, reference, supervisee, supervisor, held))
    return _done(table, records, problems)


T = TypeVar("T", CaseRecord, DiscussionRecord)


def _done(table: Table, records: list[T], problems: ProblemList) -> Parsed[T]:
    """Keep the records from rows without problems; sort the problems into file order."""
    bad_rows = {problem.row for problem in problems}
    order = {column: at for at, column in enumerate(COLUMNS[table.kind])}
    problems.sort(key=lambda problem: (problem.row or 0, order.get(problem.column or "", -1)))
    return Parsed(
        tuple(record for record in records if record.row not in bad_rows),
        tuple(problems),
        frozenset(column for _, cells in table.rows for column in cells),
        problems.more,
    )


def parse_case_table(
    kind: str, table: Table, today: date, known_staff: Collection[str], progress: Progress | None
) -> Parsed[CaseRecord] | Parsed[DiscussionRecord]:
    """Check a table read from a cases or case discussions file."""
    if kind == "cases":
        return parse_cases(table, today, known_staff, progress)
    return parse_case_discussions(table, today, known_staff, progress)
