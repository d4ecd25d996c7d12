"""The one spreadsheet writer, for every export: a workbook people can sort and filter
straight away. Typed cells (dates as dates, numbers as numbers), a bold header row that
stays in view, a filter on every column and sensible column widths.

Text is always written as text, never as a formula, whatever it starts with. Text that looks
like a formula (starting with =, +, -, @, a tab or a carriage return, the characters OWASP's
CSV injection guidance lists) also carries Excel's "quote prefix", the leading apostrophe a
person would type: the cell shows the text as it is, and stays text even when someone edits
it or saves the sheet as CSV. So nothing typed into a comment, an action or an imported name
can become a live formula or a link in someone's spreadsheet.

The workbook's XML is written straight into the zip file as the rows come, each text in its
own cell (an inline string) rather than in a table of every text, so a million rows take the
same memory as ten. Characters XML cannot hold (control characters other than tab, line feed
and carriage return) are left out rather than making a file no one can open.
"""

from __future__ import annotations

import io
import math
import queue
import re
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from qa.clock import now
from qa.reports import xlsx_parts
from qa.reports.xlsx_parts import DECLARATION, MAIN, Styles, legal

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
COMPRESSION = 1
"""zlib's level for the zip: its fastest, because a million rows of XML take longer to
squeeze harder than to read from the database, for a file only a little smaller."""
ROWS_AT_A_TIME = 2000
"""Rows turned into XML before they are written to the zip together."""
CHUNKS_WAITING = 4
"""Chunks of rows that may wait to be compressed while the next are made."""
TEXTS_KEPT = 4096
"""Distinct texts a column remembers written out (a name, a question), so that the text
repeated row after row is escaped once; the memory is forgotten when it is full."""
EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
"""Excel reads _xHHHH_ in a text as the character numbered HHHH: such text in a cell gets
its underscore written as _x005F_, so it shows as it was typed."""
EPOCH = date(1899, 12, 30).toordinal()
"""Excel's day nought: a date is a number of days since then."""


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
    are written as they come, so memory stays flat however many there are. The file is
    removed when it is closed."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the caller closes it)
    write_workbook(sheets, out, title=title, author=author, large=True)
    out.seek(0)
    return out


def write_workbook(
    sheets: Sequence[Sheet], out: IO[bytes], *, title: str, author: str, large: bool = False
) -> None:
    """Write the sheets as an .xlsx file to `out`, row by row. A `large` workbook's sheets
    may pass the 4 GB a plain zip entry can hold (they are written with Zip64 sizes)."""
    styles = Styles(FORMATS.values())
    titles = sheet_titles([sheet.title for sheet in sheets])
    filtered = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book:
        for number, (sheet, sheet_title) in enumerate(zip(sheets, titles, strict=True), start=1):
            with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=large) as part:
                ref = _write_sheet(part, sheet, styles, selected=number == 1)
            filtered.append((sheet_title, ref))
        book.writestr("[Content_Types].xml", xlsx_parts.content_types(len(sheets)))
        book.writestr("_rels/.rels", xlsx_parts.package_relationships())
        book.writestr("xl/workbook.xml", xlsx_parts.workbook(filtered))
        book.writestr("xl/_rels/workbook.xml.rels", xlsx_parts.workbook_relationships(len(sheets)))
        book.writestr("xl/styles.xml", styles.xml())
        book.writestr("docProps/core.xml", xlsx_parts.core_properties(title, author, now()))


def looks_like_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def sheet_titles(wanted: Sequence[str]) -> list[str]:
    """Sheet names Excel accepts: at most 31 characters, none of \\ / ? * [ ] :, not
    starting or ending with an apostrophe, not "History", and no two the same."""
    titles: list[str] = []
    for text in wanted:
        title = " ".join(re.sub(r"[\\/?*\[\]:]", " ", legal(text)).split())
        title = title[:31].strip("' ")
        if not title or title.casefold() == "history":
            title = f"{title} sheet".strip().capitalize()
        base, count = title, 1
        while title.casefold() in {t.casefold() for t in titles}:
            count += 1
            suffix = f" ({count})"
            title = base[: 31 - len(suffix)].rstrip() + suffix
        titles.append(title)
    return titles


def column_letters(number: int) -> str:
    """A column's letters: 1 is A, 26 is Z, 27 is AA."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Remembered(dict[object, bytes]):
    """Cells already written, by value, made by `make` the first time a value comes; when
    full it forgets them all, so that memory stays flat however many distinct values."""

    def __init__(self, make: Callable[[object], bytes]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value: object) -> bytes:
        if len(self) >= TEXTS_KEPT:
            self.clear()
        cell = self[value] = self.make(value)
        return cell


class _Column:
    """What a column's cells share, worked out once: its empty, number, boolean and text
    cells with the column's style numbers, and the texts and dates it has just written."""

    __slots__ = (
        "align",
        "dates",
        "empty",
        "false",
        "kind",
        "number",
        "quoted",
        "styles",
        "text",
        "texts",
        "true",
    )

    def __init__(self, column: Column, styles: Styles) -> None:
        self.kind = column.kind
        self.styles = styles
        self.align = "wrap" if column.shown_width >= WRAP_FROM else "top"
        general = styles.of("General", align=self.align)
        self.empty = f'<c s="{general}"/>'.encode()
        self.number = f'<c s="{styles.of(FORMATS[column.kind], align=self.align)}"><v>'.encode()
        self.true = f'<c s="{general}" t="b"><v>1</v></c>'.encode()
        self.false = f'<c s="{general}" t="b"><v>0</v></c>'.encode()
        self.text = f'<c s="{general}" t="inlineStr"><is><t'
        quoted = styles.of("General", align=self.align, quoted=True)
        self.quoted = f'<c s="{quoted}" t="inlineStr"><is><t'
        self.texts = _Remembered(self._text)
        self.dates = _Remembered(lambda value: self.cell(value).encode())

    def _text(self, value: object) -> bytes:
        return _text_cell(str(value), self.quoted, self.text).encode()

    def other(self, value: Any) -> bytes:
        """A cell of anything but exact text, numbers and dates typed."""
        if value is None:
            return self.empty
        kind = type(value)
        if kind is int:
            return b"%s%d</v></c>" % (self.number, value)
        if kind is bool:
            return self.true if value else self.false
        if kind is datetime or kind is date:
            return self.dates[value]
        return self.cell(value).encode()

    def cell(self, value: object) -> str:
        """Any cell: numbers, dates and booleans typed, all else text."""
        kind = self.kind
        if isinstance(value, Typed):
            kind, value = value.kind, value.value
            if kind not in FORMATS:
                raise ValueError(f"A cell has an unknown kind {kind!r}")
        if value is None:
            return self.empty.decode()
        if isinstance(value, str):
            return _text_cell(str.__str__(value), self.quoted, self.text)
        if isinstance(value, bool):
            return (self.true if value else self.false).decode()
        if isinstance(value, int):
            return self._typed(FORMATS[kind], str(int(value)))
        if isinstance(value, float) and math.isfinite(value):
            return self._typed(FORMATS[kind], repr(float(value)))
        if isinstance(value, Decimal) and value.is_finite():
            return self._typed(FORMATS[kind], str(value))
        if isinstance(value, datetime) and kind != "date":
            if value.tzinfo is not None:
                raise ValueError("Spreadsheets hold times without a time zone")
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            serial = value.toordinal() - EPOCH + (seconds + value.microsecond / 1e6) / 86400
            return self._typed(FORMATS["datetime"], repr(serial))
        if isinstance(value, date):
            wanted = kind if kind in ("date", "datetime") else "date"
            return self._typed(FORMATS[wanted], str(value.toordinal() - EPOCH))
        return _text_cell(str(value), self.quoted, self.text)

    def _typed(self, number_format: str, number: str) -> str:
        return f'<c s="{self.styles.of(number_format, align=self.align)}"><v>{number}</v></c>'


def _text_cell(value: str, quoted: str, plain: str) -> str:
    """A text cell, given the starts of its quoted and plain forms."""
    text = legal(value)
    start = quoted if looks_like_a_formula(text) else plain
    space = ' xml:space="preserve">' if text != text.strip() else ">"
    if "_x" in text:
        text = EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")  # else XML reads it back as a line feed
    return f"{start}{space}{text}</t></is></c>"


def _write_sheet(part: IO[bytes], sheet: Sheet, styles: Styles, *, selected: bool) -> str:
    """Write one worksheet's XML to `part` row by row; the range its filter covers.

    Each row says its number and its cells follow in order from column A, so a cell need not
    name its place (the `r` attribute is optional): the least work and XML for each cell."""
    columns = [_Column(column, styles) for column in sheet.columns]
    written = 1
    chunk: list[bytes] = [_sheet_start(sheet, styles, selected=selected).encode()]
    add = chunk.append
    rows: Iterable[Sequence[Any]] = sheet.rows  # each value's type is looked at below
    with _Compressing(part) as compressing:
        for row in rows:
            written += 1
            add(b'<row r="%d">' % written)
            chunk += [
                column.texts[value] if type(value) is str else column.other(value)
                for value, column in zip(row, columns, strict=True)
            ]
            add(b"</row>")
            if not written % ROWS_AT_A_TIME:
                compressing.write(b"".join(chunk))
                chunk.clear()
        last = f"{column_letters(len(columns))}{written}"
        add(f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'.encode())
        compressing.write(b"".join(chunk))
    return f"A1:{last}"


class _Compressing:
    """Writes to a zip entry from a second thread. Compressing the XML and its checksum
    release Python's lock, so they run beside the next rows being turned into XML; a few
    chunks wait at most, so memory stays flat."""

    def __init__(self, part: IO[bytes]) -> None:
        self.part = part
        self.waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=CHUNKS_WAITING)
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="xlsx-compress", daemon=True)

    def __enter__(self) -> _Compressing:
        self.thread.start()
        return self

    def write(self, data: bytes) -> None:
        if self.failed is not None:
            raise self.failed
        self.waiting.put(data)

    def __exit__(self, *exc: object) -> None:
        self.waiting.put(None)
        self.thread.join()
        if self.failed is not None and exc[0] is None:
            raise self.failed

    def _run(self) -> None:
        while (data := self.waiting.get()) is not None:
            if self.failed is None:
                try:
                    self.part.write(data)
                except BaseException as error:  # raised again in the writing thread
                    self.failed = error


def _sheet_start(sheet: Sheet, styles: Styles, *, selected: bool) -> str:
    """The worksheet up to its first row of data: the frozen header, the column widths and
    the header row in bold."""
    widths = "".join(
        f'<col min="{n}" max="{n}" width="{column.shown_width}" customWidth="1"/>'
        for n, column in enumerate(sheet.columns, start=1)
    )
    bold = f'<c s="{styles.of("General", bold=True)}" t="inlineStr"><is><t'
    quoted = f'<c s="{styles.of("General", bold=True, quoted=True)}" t="inlineStr"><is><t'
    header = "".join(_text_cell(column.heading, quoted, bold) for column in sheet.columns)
    tab = ' tabSelected="1"' if selected else ""
    return (
        f'{DECLARATION}<worksheet xmlns="{MAIN}">'
        f'<sheetViews><sheetView{tab} workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols>'
        f'<sheetData><row r="1">{header}</row>'
    )
