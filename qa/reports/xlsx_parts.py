"""The fixed parts of an .xlsx package around its worksheets (SpreadsheetML, ECMA-376): the
content types, the relationships, the workbook with its sheet names and filter ranges, the
cell styles every sheet uses, and the document properties (title, author, when made)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from qa.clock import LONDON

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

BUILT_IN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "@": 49}
"""Number formats Excel knows by number; any other is declared in styles.xml from 164 on."""
ALIGNMENTS = (None, "top", "wrap")
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all (control characters other than tab, line feed and
carriage return; lone surrogates; U+FFFE and U+FFFF): left out of the file."""


def legal(text: str) -> str:
    """The text without the characters XML cannot hold."""
    return ILLEGAL.sub("", text) if ILLEGAL.search(text) else text


class Styles:
    """The workbook's cell formats (styles.xml): one for each number format, alignment, bold
    and quote prefix a cell can have, numbered once so that each cell names its format by
    index (`s="3"`)."""

    def __init__(self, number_formats: Iterable[str]) -> None:
        custom = [f for f in dict.fromkeys(number_formats) if f not in BUILT_IN_FORMATS]
        self.format_ids = BUILT_IN_FORMATS | {f: 164 + n for n, f in enumerate(custom)}
        self.custom = custom
        self.formats: list[tuple[str, bool, str | None, bool]] = []
        self.index: dict[tuple[str, bool, str | None, bool], int] = {}
        self.of("General")  # the default format, index 0, for cells that name none
        for number_format in self.format_ids:
            for align in ALIGNMENTS:
                for quoted in (False, True):
                    self.of(number_format, align=align, quoted=quoted)
        for quoted in (False, True):
            self.of("General", bold=True, quoted=quoted)

    def of(
        self,
        number_format: str,
        *,
        bold: bool = False,
        align: str | None = None,
        quoted: bool = False,
    ) -> int:
        """The index of a cell format: `align` is "top", "wrap" (top and wrapped) or None;
        `quoted` is Excel's quote prefix, which keeps text text when it is edited."""
        key = (number_format, bold, align, quoted)
        if key not in self.index:
            self.index[key] = len(self.formats)
            self.formats.append(key)
        return self.index[key]

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{self.format_ids[f]}" formatCode={quoteattr(f)}/>'
            for f in self.custom
        )
        cells = "".join(self._xf(*key) for key in self.formats)
        return (
            f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="{len(self.custom)}">{formats}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(self.formats)}">{cells}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )

    def _xf(self, number_format: str, bold: bool, align: str | None, quoted: bool) -> str:
        format_id = self.format_ids[number_format]
        attributes = f'numFmtId="{format_id}" fontId="{int(bold)}" fillId="0" borderId="0" xfId="0"'
        if format_id:
            attributes += ' applyNumberFormat="1"'
        if bold:
            attributes += ' applyFont="1"'
        if quoted:
            attributes += ' quotePrefix="1"'
        if align is None:
            return f"<xf {attributes}/>"
        wrap = ' wrapText="1"' if align == "wrap" else ""
        return f'<xf {attributes} applyAlignment="1"><alignment vertical="top"{wrap}/></xf>'


def content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f"{DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
        f"{overrides}"
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )


def package_relationships() -> str:
    return (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
        'Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )


def workbook_relationships(sheets: int) -> str:
    each = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{each}'
        f'<Relationship Id="rId{sheets + 1}" Type="{RELATIONSHIPS}/styles" '
        'Target="styles.xml"/></Relationships>'
    )


def workbook(filtered: Sequence[tuple[str, str]]) -> str:
    """The workbook part: each sheet by its title, with the range its filter covers (Excel
    keeps a sheet's filter range as a hidden name too)."""
    sheets = "".join(
        f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, (title, _) in enumerate(filtered, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(sheet_reference(title, ref))}</definedName>"
        for n, (title, ref) in enumerate(filtered)
    )
    return (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets><definedNames>{names}</definedNames></workbook>"
    )


def sheet_reference(title: str, ref: str) -> str:
    """An absolute reference to a range of a sheet, as a formula names it: 'Sheet'!$A$1:$B$2."""
    quoted = title.replace("'", "''")
    first, last = ref.split(":")
    return f"'{quoted}'!{_absolute(first)}:{_absolute(last)}"


def _absolute(cell: str) -> str:
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters) :]}"


def core_properties(title: str, author: str, made: datetime) -> str:
    """Title, author and when the workbook was made (`made` is London time, as `qa.clock`
    gives it; the file says it in UTC)."""
    when = made.replace(tzinfo=LONDON).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(legal(title))}</dc:title><dc:creator>{escape(legal(author))}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(legal(author))}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )
