"""Print views: a blank audit tool for QA officers, and an audit before sign-off for those
who may see it."""

from __future__ import annotations

from sqlalchemy import select

from qa.audits.tools import get_tool
from qa.events.models import Event
from qa.extensions import db
from tests.qa.audits.helpers import answer_section, make_audit

TOOL = "supervision-file-audit"


def test_the_blank_tool_has_every_question_with_its_guidance_and_answer_boxes(sign_in_as, org):
    tool = get_tool(TOOL)
    response = sign_in_as("qa_officer").get(f"/audits/tools/{TOOL}/{tool.version}/print")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    questions = [q for _, q in tool.questions()]
    assert body.count('class="question"') == len(questions)
    assert body.count('class="box"') == len(questions) + 1  # and the judgement's reason
    for section in tool.sections:
        assert section.title.replace("'", "&#39;") in body
    assert "What good looks like:" in body
    assert "Coventry supervision policy (2015), section" in body
    assert 'href="/print.css"' in body


def test_the_print_stylesheet_is_the_pdf_records_with_the_screen_controls_hidden(client):
    css = client.get("/print.css")
    assert css.mimetype == "text/css"
    text = css.get_data(as_text=True)
    assert "size: A4" in text and ".screen-only { display: none; }" in text


def test_only_qa_officers_print_a_blank_tool_from_the_tools_pages(sign_in_as, org):
    assert sign_in_as("team_manager").get(f"/audits/tools/{TOOL}/1/print").status_code == 403
    assert sign_in_as("qa_officer").get(f"/audits/tools/{TOOL}/99/print").status_code == 404


def test_an_audit_in_progress_prints_with_its_answers_and_says_it_is_not_signed_off(
    sign_in_as, org
):
    audit = make_audit(org)
    auditor = sign_in_as("service_manager")
    auditor.post(f"/audits/{audit.id}/start", data={})
    tool = get_tool(TOOL)
    answer_section(auditor, audit.id, tool.sections[0], comment="Sessions every four weeks")
    page = auditor.get(f"/audits/{audit.id}")
    assert f"/audits/{audit.id}/print" in page.get_data(as_text=True)
    response = auditor.get(f"/audits/{audit.id}/print")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not signed off: in progress." in body
    assert "Evidence: Sessions every four weeks" in body
    assert "Not answered" in body
    printed = db.session.scalar(select(Event).where(Event.action == "audit_printed"))
    assert printed.subject_id == audit.id


def test_someone_who_may_not_see_an_audit_cannot_print_it(sign_in_as, org):
    audit = make_audit(org)
    assert sign_in_as("practitioner").get(f"/audits/{audit.id}/print").status_code == 404
