"""The audit answers spreadsheet is read from the database a batch at a time and written to a
file that the response streams, so a council's million answers never sit in memory; the rows
are the same however small the batches."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from qa.audits.models import Audit, AuditToolVersion
from qa.extensions import db
from qa.reports import audit_pdf, spreadsheets
from tests.qa.reports.helpers import signed_off, workbook


@pytest.fixture(autouse=True)
def quick_audit_records(monkeypatch):
    """Sign-off still keeps a record, but these tests are about spreadsheets: skip the layout."""
    monkeypatch.setattr(audit_pdf, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 record")


def test_the_answers_are_streamed_in_batches_and_give_the_same_rows(sign_in_as, org, monkeypatch):
    first = signed_off(org)
    second = signed_off(org, supervisee="practitioner_n2")
    started = Audit(
        file_id=org.file_of("senior_practitioner").id,
        auditor_id=org.people["service_manager"].id,
        tool_id=first.tool_id,
        tool_version=first.tool_version,
        state="in_progress",
        due_on=first.due_on,
        created_at=first.created_at,
    )
    db.session.add(started)
    db.session.commit()
    client = sign_in_as("qa_officer")
    whole = client.get("/reports/audit-answers.xlsx")
    assert whole.is_streamed  # from the file on disk
    assert whole.headers["Content-Disposition"] == (
        'attachment; filename="audit-answers-2026-11-23.xlsx"'
    )
    assert whole.headers["Cache-Control"] == "private, no-store"
    monkeypatch.setattr(spreadsheets, "STREAMED_ROWS", 3)
    batched = client.get("/reports/audit-answers.xlsx")
    rows = [[c.value for c in row] for row in workbook(whole.data)["Audit answers"].iter_rows(2)]
    assert rows == [
        [c.value for c in row] for row in workbook(batched.data)["Audit answers"].iter_rows(2)
    ]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert {row[0] for row in rows} == {first.id, second.id, started.id}
    unanswered = [row for row in rows if row[0] == started.id]
    assert unanswered and all(row[13] == "Not answered" for row in unanswered)
    assert len(unanswered) == len([row for row in rows if row[0] == first.id])


def test_the_answers_come_out_before_the_shipped_tools_are_stored(sign_in_as, org):
    """Answers loaded straight into the database (a council's history moved over, or the
    scale data) can name a shipped tool that no page has stored yet."""
    audit = signed_off(org)
    client = sign_in_as("qa_officer")
    db.session.execute(delete(AuditToolVersion))
    db.session.commit()
    response = client.get("/reports/audit-answers.xlsx")
    assert response.status_code == 200
    rows = list(workbook(response.data)["Audit answers"].iter_rows(2, values_only=True))
    assert rows and {row[0] for row in rows} == {audit.id}
