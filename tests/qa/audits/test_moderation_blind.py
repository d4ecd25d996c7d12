"""While a QA officer scores an audit for moderation, nothing they can open shows the
auditor's answers, grade, score or evidence: not the audit's pages, the event log, the
spreadsheets or the trends. Once they submit their scores, all of it is theirs to read."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from qa.audits.models import Audit, Moderation
from qa.audits.tools import get_tool
from qa.extensions import db
from qa.trends import service as trends
from qa.trends.filters import Filters
from tests.qa.audits.test_moderation import _score_form
from tests.qa.audits.test_workflow import submitted_audit

EVIDENCE = "Seen on the file"  # what the auditor wrote against every answer


def _scoring(sign_in_as, org):
    """A submitted audit, chosen for moderation and not yet scored; the moderator's client."""
    audit, _ = submitted_audit(sign_in_as, org)
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    qa.post(f"/moderation/choose/{audit.id}", data={})
    return audit, qa, db.session.scalar(select(Moderation))


def _submit_scores(qa, moderation):
    qa.get(f"/moderation/{moderation.id}")
    form = _score_form(get_tool("supervision-file-audit"), "partly")
    assert qa.post(f"/moderation/{moderation.id}", data=form).status_code == 302


def test_the_submitted_page_is_closed_to_the_moderator_until_they_submit(sign_in_as, org):
    audit, qa, moderation = _scoring(sign_in_as, org)
    assert qa.get(f"/audits/{audit.id}/submitted").status_code == 403
    _submit_scores(qa, moderation)
    assert qa.get(f"/audits/{audit.id}/submitted").status_code == 200


def _event_log_sheet(client, audit_id: int) -> str:
    book = load_workbook(io.BytesIO(client.get(f"/reports/event-log.xlsx?audit={audit_id}").data))
    return " ".join(str(c.value) for row in book.active.iter_rows() for c in row)


def test_the_event_log_hides_the_grade_of_an_audit_being_moderated_blind(sign_in_as, org):
    audit, qa, moderation = _scoring(sign_in_as, org)
    page = qa.get(f"/events/?audit={audit.id}").get_data(as_text=True)
    sheet = _event_log_sheet(qa, audit.id)
    for shown in (page, sheet):
        assert "grade outstanding" not in shown
        assert "Hidden while you moderate this audit blind" in shown
    _submit_scores(qa, moderation)
    assert "grade outstanding" in qa.get(f"/events/?audit={audit.id}").get_data(as_text=True)
    assert "grade outstanding" in _event_log_sheet(qa, audit.id)


def _answers_sheet(client) -> str:
    book = load_workbook(io.BytesIO(client.get("/reports/audit-answers.xlsx").data))
    return " ".join(str(c.value) for row in book.active.iter_rows() for c in row)


def test_the_answers_spreadsheet_leaves_out_an_audit_being_moderated_blind(sign_in_as, org):
    _, qa, moderation = _scoring(sign_in_as, org)
    assert EVIDENCE not in _answers_sheet(qa)
    assert EVIDENCE in _answers_sheet(sign_in_as("head_of_service"))
    _submit_scores(qa, moderation)
    assert EVIDENCE in _answers_sheet(qa)


def test_the_trends_leave_out_an_audit_being_moderated_blind(sign_in_as, org):
    audit, qa, moderation = _scoring(sign_in_as, org)
    signed = db.session.get(Audit, audit.id)
    signed.state, signed.signed_off_at = "signed_off", datetime(2026, 11, 20, 12, 0)
    db.session.commit()
    months = Filters(period_kind="month", start=date(2026, 10, 1), end=date(2026, 11, 30))
    moderator, other = org.people["qa_officer"], org.people["head_of_service"]
    assert trends.dashboard(other, months).audits == 1
    assert trends.dashboard(moderator, months).audits == 0
    _submit_scores(qa, moderation)
    assert trends.dashboard(moderator, months).audits == 1


def test_a_quality_assurance_officer_who_signs_off_an_audit_cannot_see_it_while_moderating(
    sign_in_as, org
):
    audit, qa, moderation = _scoring(sign_in_as, org)
    db.session.get(Audit, audit.id).sign_off_rule = "quality_assurance"
    db.session.commit()
    queue = qa.get("/audits/sign-off").get_data(as_text=True)
    assert "Hidden while you moderate it blind" in queue and "Outstanding" not in queue
    response = qa.get(f"/audits/{audit.id}/sign-off")
    assert response.status_code == 302 and response.headers["Location"].endswith("/moderation/")
    _submit_scores(qa, moderation)
    assert qa.get(f"/audits/{audit.id}/sign-off").status_code == 200
