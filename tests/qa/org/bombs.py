"""Hostile import files, small to send and huge to read."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

STAFF_HEADINGS = ["staff_id", "name", "email", "role", "team", "service_area"]
EVERYTHING = b'<dimension ref="A1:XFD1048576"'
"""Every cell Excel allows, 1,048,576 rows by 16,384 columns."""


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "staff"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, change) -> bytes:
    """The same .xlsx package with each worksheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = change(content)
            new.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declared_dimensions_bomb() -> bytes:
    """A workbook of 5,000 short rows that declares itself A1:XFD1048576 (every cell Excel
    allows), so a reader trusting the declaration makes each row 16,384 cells wide."""
    small = _workbook(
        [STAFF_HEADINGS]
        + [[f"P{n}", "Pat", f"p{n}@council.org.uk", "administrator"] for n in range(5000)]
    )
    return _rewrite(
        small,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )


def far_cell_bomb() -> bytes:
    """A workbook whose second row is the last Excel allows, with one value in the last
    column (XFD1048576), and which declares every cell."""
    small = _workbook([STAFF_HEADINGS, ["P1"]])
    return _rewrite(
        small,
        lambda xml: (
            re.sub(rb'<dimension ref="[^"]*"', EVERYTHING, xml)
            .replace(
                b'<c r="A2" t="inlineStr"><is><t>P1</t></is></c>',
                b'<c r="XFD1048576" t="inlineStr"><is><t>P1</t></is></c>',
            )
            .replace(b'<row r="2">', b'<row r="1048576">')
        ),
    )


def zip_bomb(unpacked_mb: int = 400) -> bytes:
    """A real workbook carrying one more part that unpacks to `unpacked_mb` of zeros."""
    data = _workbook([STAFF_HEADINGS])
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as package:
        with package.open("xl/media/padding.bin", "w") as padding:
            block = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                padding.write(block)
    return out.getvalue()


def wide_csv(columns: int = 200_000) -> bytes:
    """Under a megabyte of CSV with 200,000 columns in its heading row."""
    return b"a," * columns + b"\n" + b"1," * columns + b"\n"
