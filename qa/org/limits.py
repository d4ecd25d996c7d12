"""Limits on import files, applied while they are read, so a hostile or broken file is
refused early instead of exhausting the server.

A spreadsheet's declared size is ignored (a tiny .xlsx can claim a million rows by sixteen
thousand columns): rows and cells are counted as they are read, and reading stops with a
clear message as soon as a limit is passed. An .xlsx file's unpacked size is checked before
it is opened, since it is a zip archive that can unpack to far more than it weighs. Only the
first problems are kept, with a count of the rest, so a file that is wrong on every row
still gets a short, readable answer. The defaults suit a council of 10,000 staff: a year of
their supervision sessions is about 130,000 rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .parsing_rules import ImportFileError, Problem


@dataclass(frozen=True)
class Limits:
    rows: int = 200_000
    columns: int = 50
    problems: int = 500
    unpacked_bytes: int = 150 * 1024 * 1024


DEFAULT_LIMITS = Limits()


class ProblemList(list[Problem]):
    """The first `limit` problems found, and a count of the ones after them."""

    def __init__(self, limit: int, problems: Iterable[Problem] = ()) -> None:
        super().__init__()
        self.limit = limit
        self.more = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)


def check_package(data: bytes, limits: Limits) -> None:
    """Refuse an .xlsx file that would unpack to more than the limit (a "zip bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the workbook reader says so in its own words
    if unpacked > limits.unpacked_bytes:
        raise ImportFileError(
            f"the workbook unpacks to {unpacked // (1024 * 1024):,} MB, more than this service "
            f"reads ({limits.unpacked_bytes // (1024 * 1024):,} MB); save only the sheet you "
            "are importing, or save it as CSV"
        )


def capped_rows(rows: Iterable[Sequence[object]], limits: Limits) -> Iterator[tuple[object, ...]]:
    """The rows, with empty cells at the end of each row dropped; stops with a clear refusal
    at the first row past the row limit or with a value past the column limit."""
    for number, row in enumerate(rows, 1):
        if number > limits.rows:
            raise ImportFileError(
                f"the file has more than {limits.rows:,} rows, more than this service imports "
                "at once; split it into smaller files and import each"
            )
        cells = tuple(row)
        end = len(cells)
        while end and (cells[end - 1] is None or cells[end - 1] == ""):
            end -= 1
        if end > limits.columns:
            raise ImportFileError(
                f"row {number} has values in {end:,} columns, more than the {limits.columns} "
                "this service reads; delete the columns you are not importing"
            )
        yield cells[:end]
