"""The building blocks of the organisation import checks: problems, cells and rows.

Each ``parse_*`` function turns one raw cell (text from a CSV, or whatever openpyxl read from
an Excel cell) into a clean value, or raises :class:`CellError` with a message a person can
act on; :class:`RowChecker` applies them to a row and collects a :class:`Problem` for each
failure. :mod:`qa.org.parsing` uses them to read whole files. The module is pure (standard
library and email_validator only) so it can be tested on its own.
"""

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from email_validator import validate_email

from qa.roles import ROLE_LABELS, Role

ROLES: dict[str, str] = {role.value: label for role, label in ROLE_LABELS.items()}

SESSION_TYPES: dict[str, str] = {
    "case": "Case supervision",
    "personal": "Personal reflective supervision",
    "group": "Group supervision",
    "ad_hoc": "Ad hoc supervision",
}

MAX_LENGTHS: dict[str, int] = {
    "staff_id": 64,
    "line_manager_id": 64,
    "supervisee_id": 64,
    "supervisor_id": 64,
    "name": 200,
    "team": 200,
    "service_area": 200,
}
DATE_NAMES: dict[str, str] = {
    "asye_start": "the ASYE start date",
    "start_date": "the start date",
    "leaving_date": "the leaving date",
    "session_date": "the date the session was held",
    "recorded_date": "the date the session was recorded",
    "signed_by_supervisor": "the date the supervisor signed",
    "signed_by_supervisee": "the date the supervisee signed",
    "review_due": "the review date",
}
DATE_EXAMPLE = "27/03/2026"
EARLIEST_YEAR = 1900
MAX_VALUE_SHOWN = 100

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES.split(), 1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES.split(), 1)},
    "sept": 9,
}
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME, re.ASCII)
_UK = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + _TIME, re.ASCII)
_UK_SHORT_YEAR = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}" + _TIME, re.ASCII)
_NAMED = re.compile(r"(\d{1,2})[ /-]([A-Za-z]+)[ /-](\d{4}|\d{2})" + _TIME, re.ASCII)
_SEPARATORS = re.compile(r"[\s_-]+")

_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0"})


V = TypeVar("V")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file: where it is and what to do about it.

    ``row`` is the row number a person sees in Excel (the headings are row 1), or None for a
    problem with the whole file; ``column`` is the column's name (a letter for a column with
    no heading); ``value`` is the cell as typed. ``message`` is written to follow the place,
    so it starts in lower case: str() gives "Row 4, column email (‘bob@’): enter an ...".
    """

    row: int | None
    column: str | None
    value: str
    message: str

    def __str__(self) -> str:
        place = f"Row {self.row}" if self.row is not None else ""
        if self.column:
            place = f"{place}, column {self.column}" if place else f"Column {self.column}"
        if not place:
            return self.message[:1].upper() + self.message[1:]
        if self.value:
            place += f" (‘{self.value}’)"
        return f"{place}: {self.message}"


class ImportFileError(ValueError):
    """The file cannot be read as a table of the expected kind at all (wrong format, damaged,
    empty, or missing, unknown or repeated columns); ``problems`` lists every reason."""

    def __init__(self, problems: str | Problem | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = Problem(None, None, "", problems)
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("\n".join(str(problem) for problem in self.problems))


class CellError(ValueError):
    """A cell's value cannot be used; ``message`` says what is wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_key(text: str) -> str:
    """Fold a heading or a choice to a key: lower case, with spaces, underscores and hyphens
    treated alike, so that "Staff ID", "staff_id" and "staff-id" all read as ``staff_id``."""
    return _SEPARATORS.sub("_", text.replace("\ufeff", "").strip().lower()).strip("_")


def cell_text(value: object) -> str:
    """The text of a cell as a person sees it, without surrounding whitespace.

    Excel stores numbers as floats, so an id typed as 1234 may arrive as ``1234.0``; whole
    numbers lose the ``.0`` so staff ids stay text. Dates show as dd/mm/yyyy.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        day = value.strftime("%d/%m/%Y")
        return day if value.time() == time() else f"{day} {value:%H:%M}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def shown(value: object) -> str:
    """A cell's text shortened for a problem message, so a huge cell cannot flood the page."""
    text = cell_text(value)
    return text if len(text) <= MAX_VALUE_SHOWN else text[: MAX_VALUE_SHOWN - 1] + "…"


def has_hidden_characters(text: str) -> bool:
    """Whether text holds line breaks or control characters (which PostgreSQL, screen
    readers and CSV exports all handle badly)."""
    return any(unicodedata.category(character) == "Cc" for character in text)


def parse_date(value: object) -> date | None:
    """Read a date from a cell: an Excel date, dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy and
    dd.mm.yyyy), yyyy-mm-dd, or "27 March 2026"; a time after the date is ignored.

    Two-digit years are refused because 01/02/30 could be 1930 or 2030.
    """
    if isinstance(value, datetime):
        return _checked_year(value.date())
    if isinstance(value, date):
        return _checked_year(value)
    text = cell_text(value)
    if not text:
        return None
    if isinstance(value, str):
        if match := _ISO.fullmatch(text):
            return _real_date(int(match[1]), int(match[2]), int(match[3]))
        if match := _UK.fullmatch(text):
            return _real_date(int(match[4]), int(match[3]), int(match[1]))
        if _UK_SHORT_YEAR.fullmatch(text):
            raise CellError(f"enter the year in full, with 4 digits, like {DATE_EXAMPLE}")
        if match := _NAMED.fullmatch(text):
            return _named_month_date(match[1], match[2], match[3])
    raise CellError(f"enter the date as day/month/year, like {DATE_EXAMPLE}")


def _named_month_date(day: str, month_name: str, year: str) -> date:
    """A date written with the month as a word, like "27 Mar 2026" or "27-March-2026"."""
    month = _MONTHS.get(month_name.lower())
    if month is None:
        raise CellError(f"enter the date as day/month/year, like {DATE_EXAMPLE}")
    if len(year) == 2:
        raise CellError(f"enter the year in full, with 4 digits, like {DATE_EXAMPLE}")
    return _real_date(int(year), month, int(day))


def _real_date(year: int, month: int, day: int) -> date:
    """The date, or a clear refusal when the day or month does not exist (31/02/2026)."""
    try:
        real = date(year, month, day)
    except ValueError:
        raise CellError("this is not a real date; check the day and the month") from None
    return _checked_year(real)


def _checked_year(value: date) -> date:
    """Refuse years before 1900; an empty Excel date cell shows as 30/12/1899."""
    if value.year < EARLIEST_YEAR:
        raise CellError(f"this is not a real date; enter a date from {EARLIEST_YEAR} onwards")
    return value


def parse_bool(value: object) -> bool | None:
    """Read yes/no, y/n, true/false or 1/0 in any case (or an Excel TRUE/FALSE cell)."""
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("enter yes or no")


def _choices(labels: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """Every accepted spelling of a choice (its key, its label, and extra aliases), folded."""
    choices = {normalise_key(key): key for key in labels}
    choices.update({normalise_key(label): key for key, label in labels.items()})
    choices.update({normalise_key(alias): key for alias, key in extra.items()})
    return choices


_ROLE_CHOICES = _choices(ROLES, {"QA officer": Role.QA_OFFICER, "QA": Role.QA_OFFICER})
_TYPE_CHOICES = _choices(
    SESSION_TYPES,
    {
        "case": "case",
        "personal reflective": "personal",
        "personal supervision": "personal",
        "reflective supervision": "personal",
        "group": "group",
        "ad hoc": "ad_hoc",
        "adhoc": "ad_hoc",
        "adhoc supervision": "ad_hoc",
    },
)


def _choice(value: object, choices: Mapping[str, str], what: str, labels: Mapping[str, str]) -> str:
    """The key of a choice given as its key or label in any case, or a message listing them."""
    key = choices.get(normalise_key(cell_text(value)))
    if key is None:
        raise CellError(f"enter one of these {what}: {', '.join(labels.values())}")
    return key


def parse_role(value: object) -> str:
    """A role key such as ``team_manager`` from "Team manager", "TEAM-MANAGER", "QA officer"..."""
    return _choice(value, _ROLE_CHOICES, "roles", ROLES)


def parse_session_type(value: object) -> str:
    """A session type key such as ``ad_hoc`` from "Ad hoc supervision", "ad-hoc", "AD HOC"..."""
    return _choice(value, _TYPE_CHOICES, "session types", SESSION_TYPES)


FTE_EXAMPLE = "0.6 for three days a week"
LONGEST_SESSION_MINUTES = 8 * 60
_HOURS_MINUTES = re.compile(r"(\d{1,2}):(\d{2})(?::00)?", re.ASCII)
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+", re.ASCII)


def parse_fte(value: object) -> float:
    """A full-time equivalent: a number above 0 and at most 1, like 0.6 (a percentage such
    as 60% is read as 0.6), rounded to 2 decimal places."""
    text = cell_text(value).replace(" ", "")
    percent = text.endswith("%")
    number = text.removesuffix("%")
    if isinstance(value, bool) or not _NUMBER.fullmatch(number):
        raise CellError(f"enter the full-time equivalent as a number, like {FTE_EXAMPLE}")
    fte = float(number) / (100 if percent else 1)
    if fte <= 0 or fte > 1:
        raise CellError(
            "the full-time equivalent must be more than 0 and no more than 1 (1 is full time), "
            f"like {FTE_EXAMPLE}"
        )
    return round(fte, 2)


def parse_minutes(value: object) -> int:
    """A session's length in whole minutes, like 90, or as hours and minutes, like 1:30 (an
    Excel time cell reads as 01:30:00)."""
    text = cell_text(value)
    if match := _HOURS_MINUTES.fullmatch(text):
        if int(match[2]) >= 60:
            raise CellError("the minutes after the colon must be less than 60, like 1:30")
        minutes = int(match[1]) * 60 + int(match[2])
    elif not isinstance(value, bool) and re.fullmatch(r"\d+(?:\.0+)?", text, re.ASCII):
        minutes = int(float(text))
    else:
        raise CellError("enter the length of the session in minutes, like 90, or as 1:30")
    if minutes < 1:
        raise CellError("the length of the session must be at least 1 minute")
    if minutes > LONGEST_SESSION_MINUTES:
        raise CellError(
            f"a session cannot be longer than {LONGEST_SESSION_MINUTES // 60} hours "
            f"({LONGEST_SESSION_MINUTES} minutes); check the length"
        )
    return minutes


def parse_email(value: object) -> str:
    """A syntactically valid email address in lower case (no DNS look-up: imports run
    offline and council mail domains are often internal)."""
    try:
        checked = validate_email(cell_text(value), check_deliverability=False)
    except ValueError:
        raise CellError(
            "enter an email address in the correct format, like name@example.org"
        ) from None
    return checked.normalized.lower()


def find_cycles(managers: Mapping[str, str | None]) -> list[list[str]]:
    """Every loop in a line-management graph (staff id -> line manager id), each once.

    Each person has at most one line manager, so following the links from anyone either
    ends at the top of the tree or comes back round; one walk per person, marking whom we
    have finished with, finds every loop in linear time.
    """
    finished: set[str] = set()
    cycles: list[list[str]] = []
    for start in managers:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in finished and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = managers.get(node)
        if node is not None and node in on_path:
            cycles.append(path[path.index(node) :])
        finished.update(path)
    return cycles


def describe_cycle(cycle: list[str], start: str, longest: int = 10) -> str:
    """The loop written from ``start`` back to it, like "S1 → S2 → S3 → S1"; very long
    loops are shortened in the middle so every row's message stays readable."""
    at = cycle.index(start)
    chain = cycle[at:] + cycle[:at]
    if len(chain) > longest:
        chain = [*chain[: longest - 2], "…", chain[-1]]
        return " → ".join([*chain, start]) + f" ({len(cycle)} people)"
    return " → ".join([*chain, start])


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 1-based column position (1 -> A, 27 -> AA)."""
    letters = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def plain_cell(value: object) -> str | date | datetime | float | int | None:
    """A raw Excel cell narrowed to the types a table holds (times and durations as text)."""
    if value is None or isinstance(value, str | date | float | int):
        return value
    if isinstance(value, time | timedelta):
        return str(value)
    return cell_text(value)


class RowChecker:
    """One data row being checked: reads its cells by column with the rules above and notes
    a :class:`Problem` for each one that fails, so every problem in a row is found."""

    def __init__(self, number: int, cells: Mapping[str, object], problems: list[Problem]) -> None:
        self.number = number
        self.cells = cells
        self._problems = problems

    def problem(self, column: str, message: str) -> None:
        """Note a problem with one of this row's cells."""
        self._problems.append(Problem(self.number, column, shown(self.cells.get(column)), message))

    def is_blank(self, column: str) -> bool:
        """Whether the cell is empty or only spaces (or the column is not in the file)."""
        return not cell_text(self.cells.get(column))

    def text(self, column: str, blank: str | None = None) -> str | None:
        """The cell's text, or None when blank or unusable; ``blank`` is the message to give
        when a value is required. Line breaks and over-long values are refused."""
        if self.is_blank(column):
            if blank:
                self.problem(column, blank)
            return None
        value = cell_text(self.cells.get(column))
        limit = MAX_LENGTHS.get(column)
        if has_hidden_characters(value):
            self.problem(column, "remove the line breaks and hidden characters from this value")
        elif limit is not None and len(value) > limit:
            self.problem(column, f"this must be {limit} characters or fewer")
        else:
            return value
        return None

    def convert(
        self, column: str, parse: Callable[[object], V], blank: str | None = None
    ) -> V | None:
        """The cell read by one of the ``parse_*`` rules, or None when blank or unusable."""
        if self.is_blank(column):
            if blank:
                self.problem(column, blank)
            return None
        try:
            return parse(self.cells.get(column))
        except CellError as error:
            self.problem(column, error.message)
            return None

    def date_of(
        self, column: str, today: date, blank: str | None = None, future_allowed: bool = False
    ) -> date | None:
        """A date from the cell, which must not be after today unless ``future_allowed``."""
        value = self.convert(column, parse_date, blank)
        if value is not None and value > today and not future_allowed:
            self.problem(column, f"{DATE_NAMES[column]} must be today or in the past")
            return None
        return value

    def not_before(self, column: str, value: date | None, other: str, earlier: date | None) -> None:
        """Note a problem when the date in ``column`` comes before the one in ``other``."""
        if value is not None and earlier is not None and value < earlier:
            self.problem(
                column,
                f"{DATE_NAMES[column]} must be the same as or after {DATE_NAMES[other]} "
                f"({earlier:%d/%m/%Y})",
            )

    def staff_id(self, column: str, known: Collection[str], blank: str) -> str | None:
        """A staff id that must belong to someone already in the service."""
        value = self.text(column, blank)
        if value is not None and value not in known:
            self.problem(
                column,
                f"there is no member of staff with staff ID {value}; import them in the staff "
                "file first, or correct the ID",
            )
        return value
