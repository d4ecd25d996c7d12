"""Writing a workbook people can sort and filter straight away: typed cells (dates as dates,
numbers as numbers, text always as text, so nothing typed into a comment can become a
formula), a bold header row that stays in view, a filter on every column and sensible
column widths."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = {
    "text": "@",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "integer": "0",
    "number": "0.000",
    "percent": "0.0%",
    "boolean": "General",
}
WRAP_FROM = 50
"""Columns this wide or wider wrap their text, so long evidence stays readable."""

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"
    width: int = 16

    def __post_init__(self) -> None:
        if self.kind not in FORMATS:
            raise ValueError(f"Column {self.heading!r} has an unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]


def workbook_bytes(sheets: Sequence[Sheet], *, title: str, author: str) -> bytes:
    """The sheets as an .xlsx file."""
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = author
    for sheet in sheets:
        _write(book.create_sheet(sheet.title[:31]), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.heading)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    count = 0
    for row in sheet.rows:
        ws.append(
            [
                _cell(ws, value, column, wrap if column.width >= WRAP_FROM else top)
                for value, column in zip(row, sheet.columns, strict=True)
            ]
        )
        count += 1
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"


def _cell(ws: WriteOnlyWorksheet, value: object, column: Column, align: Alignment) -> WriteOnlyCell:
    if isinstance(value, datetime) and column.kind == "date":
        value = value.date()
    cell = WriteOnlyCell(ws, value=value)
    cell.alignment = align
    if value is None:
        return cell
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, date | int | float) and not isinstance(value, bool):
        cell.number_format = FORMATS[column.kind]
    return cell
