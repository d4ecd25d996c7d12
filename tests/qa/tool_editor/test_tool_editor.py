"""The audit tool editor: a QA officer changes a tool in the browser and saves a new version
that the next audits use; every change is checked with the same schema as an upload."""

from __future__ import annotations

import re

import yaml
from sqlalchemy import select

from audit_tools.schema import load_tool_text, tool_to_dict
from qa.audits.models import Audit, AuditToolVersion
from qa.audits.tools import get_tool, upload_tool
from qa.events.models import Event
from qa.extensions import db
from qa.tool_editor import service
from qa.tool_editor.models import ToolDraft
from tests.qa.audits.helpers import make_audit

TOOL = "personal-supervision-audit"
DRAFT = f"/audits/tools/{TOOL}/draft"
NEW_QUESTION = {
    "text": "Is the worker's caseload discussed?",
    "hint": "",
    "guidance": "Caseload weighting is reviewed in each session, "
    "as Coventry supervision policy (2015), section 9.3 asks.",
    "sources": "Coventry supervision policy (2015), section 9.3",
    "scale": "yes_partly_no",
    "weight": "2",
    "critical": "no",
    "evidence": "every",
    "not_applicable": "no",
    "themes": ["reflection"],
    "sensitive": "no",
    "position": "1",
}


def editing(sign_in_as):
    client = sign_in_as("qa_officer")
    assert client.post(f"/audits/tools/{TOOL}/1/edit", data={}).status_code == 302
    return client


def test_a_question_added_in_the_browser_is_in_the_new_version_and_the_next_audit(sign_in_as, org):
    client = editing(sign_in_as)
    assert client.get(f"{DRAFT}/sections/1/questions/new").status_code == 200
    response = client.post(f"{DRAFT}/sections/1/questions/new", data=dict(NEW_QUESTION))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(DRAFT).get_data(as_text=True)
    assert "Is the worker&#39;s caseload discussed?" in page
    preview = client.get(f"{DRAFT}/preview").get_data(as_text=True)
    assert "Is the worker&#39;s caseload discussed?" in preview
    assert "Coventry supervision policy (2015), section 9.3" in preview

    client.get(f"{DRAFT}/save")
    saved = client.post(f"{DRAFT}/save", data={"reason": "Caseloads are now audited"})
    assert saved.status_code == 302
    tool = get_tool(TOOL)
    assert tool.version == 2
    first = tool.sections[0].questions[0]
    assert first.text == "Is the worker's caseload discussed?"
    assert first.sources == ("003_2701f8fa2326f2b4.txt, 9.3",)
    assert "003_2701f8fa2326f2b4.txt, 9.3" in first.guidance
    assert (first.weight, first.evidence_required, first.allow_not_applicable) == (
        2.0,
        True,
        False,
    )
    assert first.themes == ("reflection",)
    row = db.session.scalar(
        select(AuditToolVersion).where(
            AuditToolVersion.tool_id == TOOL, AuditToolVersion.version == 2
        )
    )
    assert row.reason == "Caseloads are now audited"
    assert row.uploaded_by_id == org.people["qa_officer"].id
    event = db.session.scalar(select(Event).where(Event.action == "tool_edited"))
    assert "Caseloads are now audited" in event.detail
    assert db.session.scalar(select(ToolDraft)) is None

    audit = make_audit(org)
    audit.tool_id = TOOL
    db.session.commit()
    auditor = sign_in_as("service_manager")
    auditor.post(f"/audits/{audit.id}/start", data={})
    assert db.session.get(Audit, audit.id).tool_version == 2
    section = auditor.get(f"/audits/{audit.id}/sections/{tool.sections[0].key}")
    assert "Is the worker&#39;s caseload discussed?" in section.get_data(as_text=True)


def test_the_downloaded_yaml_reads_back_as_the_same_tool(sign_in_as, org):
    response = sign_in_as("qa_officer").get(f"/audits/tools/{TOOL}/1/download")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert load_tool_text(response.get_data(as_text=True), "download") == get_tool(TOOL, 1)


def test_a_question_without_a_known_policy_section_is_refused_with_the_reason(sign_in_as, org):
    client = editing(sign_in_as)
    client.get(f"{DRAFT}/sections/1/questions/new")
    bad = {
        **NEW_QUESTION,
        "sources": "Our policy, section 1\nCoventry supervision policy (2015), section 99.9",
        "weight": "0",
    }
    response = client.post(f"{DRAFT}/sections/1/questions/new", data=bad)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Error: Add a question" in body
    assert "‘Our policy, section 1’ is not a policy and section" in body
    assert "Coventry supervision policy (2015) has no section 99.9" in body
    assert "The weight must be from 0.1 to 100" in body
    data = service.data_of(db.session.scalar(select(ToolDraft)))
    assert len(data["sections"][0]["questions"]) == len(get_tool(TOOL).sections[0].questions)


def test_an_empty_section_stops_the_save_naming_the_section(sign_in_as, org):
    client = editing(sign_in_as)
    client.get(f"{DRAFT}/sections/new")
    response = client.post(
        f"{DRAFT}/sections/new",
        data={"title": "Caseload", "description": "", "weight": "1", "position": "1"},
    )
    assert response.status_code == 302
    page = client.get(f"{DRAFT}/save")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Section 1 (Caseload): has no questions: add one or remove the section" in body
    refused = client.post(f"{DRAFT}/save", data={"reason": "Try"})
    assert refused.status_code == 400
    assert get_tool(TOOL).version == 1


def test_sections_and_questions_can_be_moved_renamed_and_removed(sign_in_as, org):
    client = editing(sign_in_as)
    original = get_tool(TOOL)
    first, second = original.sections[0], original.sections[1]
    client.get(f"{DRAFT}/sections/1")
    client.post(
        f"{DRAFT}/sections/1",
        data={"title": "Renamed", "description": "", "weight": "1", "position": "2"},
    )
    client.get(f"{DRAFT}/sections/1")
    client.post(f"{DRAFT}/sections/1/questions/1/remove", data={})
    data = service.data_of(db.session.scalar(select(ToolDraft)))
    assert [s["key"] for s in data["sections"][:2]] == [second.key, first.key]
    assert data["sections"][1]["title"] == "Renamed"
    assert [q["key"] for q in data["sections"][0]["questions"]] == [
        q.key for q in second.questions[1:]
    ]
    client.get(f"{DRAFT}/sections/2")
    client.post(f"{DRAFT}/sections/2/remove", data={})
    data = service.data_of(db.session.scalar(select(ToolDraft)))
    assert first.key not in [s["key"] for s in data["sections"]]


def test_grade_bands_are_checked_as_the_schema_checks_them(sign_in_as, org):
    client = editing(sign_in_as)
    client.get(f"{DRAFT}/details")
    tool = get_tool(TOOL)
    values = {"title": tool.title, "description": tool.description}
    grades = [band.grade for band in tool.grade_bands]
    values |= {f"band_{g}": str(50 + 10 * n) for n, g in enumerate(grades[:-1])}
    response = client.post(f"{DRAFT}/details", data=values)
    assert response.status_code == 400
    assert "minimums must go down from the best grade" in response.get_data(as_text=True)
    values |= {f"band_{g}": str(90 - 10 * n) for n, g in enumerate(grades[:-1])}
    assert client.post(f"{DRAFT}/details", data=values).status_code == 302
    bands = service.data_of(db.session.scalar(select(ToolDraft)))["grade_bands"]
    assert bands[0]["minimum"] == 0.9


def test_only_qa_officers_may_edit_tools(sign_in_as, org):
    for who in ("head_of_service", "service_manager", "administrator"):
        client = sign_in_as(who)
        assert client.post(f"/audits/tools/{TOOL}/1/edit", data={}).status_code == 403
        assert client.get(f"/audits/tools/{TOOL}/1/download").status_code == 403
    assert db.session.scalar(select(ToolDraft)) is None


def test_without_changes_under_way_the_draft_pages_are_not_found(sign_in_as, org):
    assert sign_in_as("qa_officer").get(DRAFT).status_code == 404


def test_citations_in_words_go_back_to_the_files_they_name():
    words = "See Coventry supervision policy (2015), section 9.3 and Havering social work "
    words += "supervision policy, appendix 2."
    assert service.citations_as_files(words) == (
        "See 003_2701f8fa2326f2b4.txt, 9.3 and 001_20b868241c344233.txt, Appendix 2."
    )


def test_new_keys_are_unique_and_made_of_the_first_words():
    taken = {"is_the_worker_s_caseload_discussed"}
    assert service.new_key("Is the worker's caseload discussed?", taken) == (
        "is_the_worker_s_caseload_discussed_2"
    )
    assert service.new_key("2026 review", set()) == "q_2026_review"


def test_a_saved_yaml_version_matches_what_the_editor_stored(sign_in_as, org):
    client = editing(sign_in_as)
    client.get(f"{DRAFT}/save")
    client.post(f"{DRAFT}/save", data={"reason": "No change, a new baseline"})
    text = client.get(f"/audits/tools/{TOOL}/2/download").get_data(as_text=True)
    assert yaml.safe_load(text)["version"] == 2


def test_saving_warns_when_a_newer_version_was_saved_after_the_changes_began(sign_in_as, org):
    client = editing(sign_in_as)
    newer = tool_to_dict(get_tool(TOOL)) | {"version": 2}
    upload_tool(yaml.safe_dump(newer), "newer.yaml", org.people["qa_officer"])
    page = client.get(f"{DRAFT}/save").get_data(as_text=True)
    assert "Version 2 was saved after you started from version 1" in page
    assert "Save as version 3" in page


def test_a_theme_the_council_profile_in_force_lacks_stops_the_save(sign_in_as, org):
    from qa.profiles.service import use_profile

    tool = get_tool("supervision-file-audit")
    assert "childs_voice" in tool.themes
    client = sign_in_as("qa_officer")
    draft = f"/audits/tools/{tool.id}/draft"
    assert client.post(f"/audits/tools/{tool.id}/{tool.version}/edit", data={}).status_code == 302
    use_profile("haringey", "Quality Officer", "Adult services audit their files")
    db.session.commit()
    page = client.get(f"{draft}/save").get_data(as_text=True)
    words = re.sub(r"<[^>]+>", " ", page)
    assert "the theme ‘The child&#39;s voice’ is not one of the themes of the council" in words
    assert "(use one of: The person&#39;s voice;" in words
    assert "childs_voice" not in words and "persons_voice" not in words
    refused = client.post(f"{draft}/save", data={"reason": "Try"})
    assert refused.status_code == 400
    assert get_tool(tool.id).version == tool.version
