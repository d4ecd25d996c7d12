"""The spreadsheet writer's own file: every part well-formed XML that the package lists, read
back by openpyxl with its types, number formats, bold header, quote prefixes, frozen header,
filter and widths; any text comes back as it was, less the characters XML cannot hold."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from qa.reports.xlsx import Column, Sheet, Typed, sheet_titles, workbook_bytes, workbook_file

KINDS = [
    Column("Id", "integer", 8),
    Column("Name"),
    Column("Due", "date"),
    Column("Made", "datetime"),
    Column("Score", "number"),
    Column("Amount", "decimal"),
    Column("Share", "percent"),
    Column("Met", "boolean"),
    Column("Evidence", "text", 70),
]
ROW = [
    7,
    "=SUM(A1:A2)",
    date(2026, 11, 23),
    datetime(2026, 11, 23, 14, 5, 30),
    0.125,
    Decimal("12.50"),
    0.875,
    True,
    "Seen on the file & discussed <twice>",
]
ILLEGAL = "\x00\x01\x08\x0b\x0c\x0e\x1f\ud800\udfff\ufffe\uffff"


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def excel_reads(text: str) -> str:
    """What Excel shows for a text written in a cell: _xHHHH_ is the character HHHH (openpyxl
    leaves such escapes as they are)."""
    return re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def xml_holds(ch: str) -> bool:
    """XML 1.0's Char production."""
    n = ord(ch)
    return ch in "\t\n\r" or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or n >= 0x10000


def one_cell(text: str) -> str:
    data = workbook_bytes([Sheet("S", [Column("Text")], [[text]])], title="t", author="a")
    return read(data)["S"]["A2"].value


def test_every_part_is_well_formed_xml_and_listed_in_the_content_types():
    data = workbook_bytes(
        [Sheet("Answers", KINDS, [ROW, [None] * len(KINDS)]), Sheet("Empty", KINDS, [])],
        title="Audit answers & more",
        author="Northshire <Council>",
    )
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        parts = {name: ElementTree.fromstring(package.read(name)) for name in package.namelist()}
    types = parts["[Content_Types].xml"]
    listed = {o.get("PartName") for o in types if o.tag.endswith("Override")}
    assert listed == {f"/{name}" for name in parts if not name.endswith((".rels", "].xml"))}
    assert {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml"} <= set(parts)


def test_openpyxl_reads_back_types_formats_header_pane_filter_and_widths():
    app = Flask(__name__)
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0)
    with app.app_context():
        data = workbook_bytes([Sheet("Answers", KINDS, [ROW])], title="Answers", author="Council")
    book = read(data)
    sheet = book["Answers"]
    assert [c.value for c in sheet[1]] == [c.heading for c in KINDS]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"]
    assert widths == [c.shown_width for c in KINDS]
    cells = {c.column_letter: c for c in sheet[2]}
    assert cells["A"].value == 7 and cells["A"].number_format == "0"
    assert cells["B"].value == "=SUM(A1:A2)" and cells["B"].data_type == "s"
    assert cells["B"].quotePrefix and not cells["I"].quotePrefix
    assert cells["C"].value == datetime(2026, 11, 23) and cells["C"].number_format == "yyyy-mm-dd"
    assert cells["D"].value == datetime(2026, 11, 23, 14, 5, 30)
    assert cells["D"].number_format == "yyyy-mm-dd hh:mm"
    assert (cells["E"].value, cells["E"].number_format) == (0.125, "0.000")
    assert (cells["F"].value, cells["F"].number_format) == (12.5, "0.00")
    assert (cells["G"].value, cells["G"].number_format) == (0.875, "0.0%")
    assert cells["H"].value is True and cells["H"].data_type == "b"
    assert cells["I"].value == "Seen on the file & discussed <twice>"
    assert cells["I"].alignment.wrap_text and not cells["B"].alignment.wrap_text
    assert {c.alignment.vertical for c in sheet[2]} == {"top"}
    assert book.properties.title == "Answers" and book.properties.creator == "Council"
    assert book.properties.created == datetime(2026, 11, 23, 10, 0)  # 10:00 GMT


def test_a_typed_cell_takes_its_own_kind_and_odd_values_are_written_as_text():
    rows = [
        ["From", Typed(date(2026, 4, 1), "date")],
        ["Share", Typed(0.5, "percent")],
        ["Nothing", Typed(None, "percent")],
        ["Not a number", float("nan")],
        ["A whole number", Decimal("3")],
    ]
    sheet = read(
        workbook_bytes([Sheet("S", [Column("What"), Column("Value")], rows)], title="t", author="a")
    )["S"]
    assert sheet["B2"].value == datetime(2026, 4, 1) and sheet["B2"].is_date
    assert (sheet["B3"].value, sheet["B3"].number_format) == (0.5, "0.0%")
    assert sheet["B4"].value is None
    assert (sheet["B5"].value, sheet["B5"].data_type) == ("nan", "s")
    assert sheet["B6"].value == 3


def test_characters_xml_cannot_hold_are_left_out_and_the_rest_kept():
    assert one_cell(f"Seen{ILLEGAL} on the file") == "Seen on the file"
    assert one_cell("\x00=1+1") == "=1+1"
    data = workbook_bytes(
        [Sheet(f"Sheet{ILLEGAL}", [Column(f"Head{ILLEGAL}")], [])],
        title=f"Title{ILLEGAL}",
        author=f"Author{ILLEGAL}",
    )
    book = read(data)
    assert book.sheetnames == ["Sheet"] and book["Sheet"]["A1"].value == "Head"
    assert book.properties.title == "Title" and book.properties.creator == "Author"


TRICKY = ["_x0041_", "_x", "&amp;", "<t>", "]]>", "\r\n", "\r", " ", "=", "\t", "\x00", "\ud800"]
TEXTS = st.lists(st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY))).map(
    "".join
)
"""Any characters, lone surrogates included, often with escapes and markup in them."""


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_any_text_comes_back_as_it_was_less_what_xml_cannot_hold(text):
    shown = one_cell(text)
    kept = "".join(ch for ch in text if xml_holds(ch))
    assert excel_reads(shown or "") == kept
    assert one_cell(f"_x0041_{text[:3]}").startswith("_x005F_x0041_")  # Excel shows _x0041_


def test_sheet_titles_are_ones_excel_accepts():
    titles = sheet_titles(
        ["Runs: 2026/27 [draft]", "'Quoted'", "", "History", "A" * 40, "a" * 40, "Runs"]
    )
    assert titles == [
        "Runs 2026 27 draft",
        "Quoted",
        "Sheet",
        "History sheet",
        "A" * 31,
        "a" * 27 + " (2)",
        "Runs",
    ]
    data = workbook_bytes(
        [Sheet(t, [Column("A")], []) for t in ["x:y", "x y"]], title="t", author="a"
    )
    assert read(data).sheetnames == ["x y", "x y (2)"]


def test_a_failure_while_reading_the_rows_reaches_the_caller():
    def rows():
        yield ["first"]
        raise LookupError("the rows could not be read")

    with pytest.raises(LookupError, match="could not be read"):
        workbook_file([Sheet("S", [Column("A")], rows())], title="t", author="a")


def test_a_large_workbook_is_written_to_a_file_with_zip64_sizes():
    with workbook_file(
        [Sheet("S", [Column("N", "integer")], ([n] for n in range(5000)))], title="t", author="a"
    ) as out:
        data = out.read()
    sheet = read(data)["S"]
    assert sheet.max_row == 5001 and sheet["A5001"].value == 4999
    assert sheet.auto_filter.ref == "A1:A5001"
