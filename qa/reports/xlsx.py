"""The one spreadsheet writer, for every export: a workbook people can sort and filter
straight away. Typed cells (dates as dates, numbers as numbers), a bold header row that
stays in view, a filter on every column and sensible column widths.

Text is always written as text, never as a formula, whatever it starts with. Text that looks
like a formula (starting with =, +, -, @, a tab or a carriage return, the characters OWASP's
CSV injection guidance lists) also carries Excel's "quote prefix", the leading apostrophe a
person would type: the cell shows the text as it is, and stays text even when someone edits
it or saves the sheet as CSV. So nothing typed into a comment, an action or an imported name
can become a live formula or a link in someone's spreadsheet.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa.clock import now

FORMATS = {
    "text": "@",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "integer": "0",
    "number": "0.000",
    "decimal": "0.00",
    "percent": "0.0%",
    "boolean": "General",
}
WIDTHS = {"text": 28, "date": 12, "datetime": 17, "boolean": 12}
"""Column widths by kind, when a column does not give its own (numbers: 12)."""
WRAP_FROM = 50
"""Columns this wide or wider wrap their text, so long evidence stays readable."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"
    width: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FORMATS:
            raise ValueError(f"Column {self.heading!r} has an unknown kind {self.kind!r}")

    @property
    def shown_width(self) -> int:
        return self.width or max(WIDTHS.get(self.kind, 12), min(60, len(self.heading) + 2))


@dataclass(frozen=True)
class Typed:
    """A cell whose kind differs from its column's (for a two-column summary sheet)."""

    value: object
    kind: str


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]


def workbook_bytes(sheets: Sequence[Sheet], *, title: str, author: str) -> bytes:
    """The sheets as an .xlsx file."""
    out = io.BytesIO()
    write_workbook(sheets, out, title=title, author=author)
    return out.getvalue()


def workbook_file(sheets: Sequence[Sheet], *, title: str, author: str) -> IO[bytes]:
    """The sheets as an .xlsx file on disk, open at its start, for a large export: the rows
    are written as they come (openpyxl's write-only mode), so memory stays flat however many
    there are. The file is removed when it is closed."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the caller closes it)
    write_workbook(sheets, out, title=title, author=author)
    out.seek(0)
    return out


def write_workbook(sheets: Sequence[Sheet], out: IO[bytes], *, title: str, author: str) -> None:
    """Write the sheets as an .xlsx file to `out`, row by row."""
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = author
    book.properties.created = book.properties.modified = now()
    for sheet in sheets:
        _write(book.create_sheet(sheet.title[:31]), sheet)
    book.save(out)


def looks_like_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _write(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.shown_width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.heading)
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    ws.append(header)
    styles = _Styles(ws)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    aligns = [wrap if column.shown_width >= WRAP_FROM else top for column in sheet.columns]
    count = 0
    for row in sheet.rows:
        ws.append(
            [
                _cell(ws, styles, value, column.kind, align)
                for value, column, align in zip(row, sheet.columns, aligns, strict=True)
            ]
        )
        count += 1
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"


class _Styles:
    """Each cell style a sheet uses, looked up in the workbook's style tables once: setting
    a style on a cell looks it up afresh, which for a million rows is much of the time."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.found: dict[tuple[str | None, int], StyleArray] = {}

    def of(self, number_format: str | None, align: Alignment) -> StyleArray:
        key = (number_format, id(align))
        if key not in self.found:
            cell = WriteOnlyCell(self.ws)
            cell.alignment = align
            if number_format is not None:
                cell.number_format = number_format
            self.found[key] = cell._style
        return copy(self.found[key])


def _cell(
    ws: WriteOnlyWorksheet, styles: _Styles, value: object, kind: str, align: Alignment
) -> WriteOnlyCell:
    if isinstance(value, Typed):
        kind = value.kind
        value = value.value
    if isinstance(value, datetime) and kind == "date":
        value = value.date()
    if value is not None and not isinstance(value, str | date | int | float):
        value = str(value)
    cell = WriteOnlyCell(ws, value=value)
    if value is None or isinstance(value, bool):
        cell._style = styles.of(None, align)
    elif isinstance(value, str):
        cell._style = styles.of(None, align)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if looks_like_a_formula(value):
            cell.quotePrefix = True
    else:
        cell._style = styles.of(FORMATS[kind], align)
    return cell
