"""The audit tools in use: themes from the council profile in force, a new shipped version
beside the old, and each shipped tool done end to end when a sampling policy names it."""

from __future__ import annotations

import html
import io
from datetime import datetime

import pytest
import yaml
from sqlalchemy import delete, select

from audit_tools.schema import ToolError, tool_to_dict
from qa.audits.models import Audit, AuditToolVersion
from qa.audits.tools import (
    check_themes_in_force,
    ensure_default_tools,
    get_tool,
    theme_titles,
    themes_in_force,
    upload_tool,
)
from qa.extensions import db
from qa.profiles.service import use_profile
from tests.qa.audits.helpers import complete, make_audit, raise_an_action


def adult_tool(version: int = 1) -> dict:
    """A tool for adult services, filed under Haringey's themes."""
    data = tool_to_dict(get_tool("personal-supervision-audit"))
    data |= {"id": "adult-supervision-audit", "version": version, "title": "Adult audit"}
    data["themes"] = [*data["themes"], "persons_voice"]
    data["sections"][0]["questions"][0]["themes"] = ["persons_voice"]
    return data


def test_the_themes_in_force_follow_the_council_profile_chosen(org):
    assert themes_in_force().title("childs_voice") == "The child's voice"
    use_profile("haringey", "Quinn Officer", "Adult services use this service")
    vocabulary = themes_in_force()
    assert vocabulary.title("persons_voice") == "The person's voice"
    assert "childs_voice" not in vocabulary
    assert "Haringey adult social care supervision policy" in vocabulary.owner


def test_an_adult_services_tool_is_uploaded_under_haringey_and_refused_under_coventry(org):
    text = yaml.safe_dump(adult_tool(), allow_unicode=True)
    with pytest.raises(ToolError) as caught:
        upload_tool(text, "adult.yaml", org.people["qa_officer"])
    assert (
        "adult.yaml: section ‘records’, question ‘sessions_regular’: theme ‘persons_voice’ is "
        "not one of the themes of the council profile in force (Coventry supervision policy "
        "(2015)) (use one of: childs_voice," in "\n".join(caught.value.problems)
    )
    assert (
        db.session.scalar(
            select(AuditToolVersion).where(AuditToolVersion.tool_id == "adult-supervision-audit")
        )
        is None
    )
    use_profile("haringey", "Quinn Officer", "Adult services use this service")
    assert upload_tool(text, "adult.yaml", org.people["qa_officer"]).themes[-1] == "persons_voice"


def test_uploading_a_childrens_tool_under_haringey_shows_each_refused_theme(sign_in_as, org):
    use_profile("haringey", "Quinn Officer", "Adult services use this service")
    data = tool_to_dict(get_tool("supervision-file-audit"))
    data["version"] = 3
    client = sign_in_as("qa_officer")
    client.get("/audits/tools/upload")
    body = client.post(
        "/audits/tools/upload",
        data={"upload": (io.BytesIO(yaml.safe_dump(data).encode()), "file-audit.yaml")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "The tool was not saved" in body
    assert "question ‘views_wishes_feelings’: theme ‘childs_voice’ is not one of" in body
    assert get_tool("supervision-file-audit").version == 2


def test_a_tool_a_policy_points_at_is_checked_against_the_themes_in_force(org):
    check_themes_in_force(get_tool("managers-file-audit"))
    use_profile("haringey", "Quinn Officer", "Adult services use this service")
    with pytest.raises(ToolError, match="theme ‘childs_voice’ is not one of the themes"):
        check_themes_in_force(get_tool("supervision-file-audit"))


def test_old_audits_keep_their_theme_titles_when_another_profile_is_in_force(org):
    use_profile("haringey", "Quinn Officer", "Adult services use this service")
    titles = theme_titles()
    assert titles["persons_voice"] == "The person's voice"
    assert titles["childs_voice"] == "The child's voice"
    assert titles["smart_actions"] == "Actions, owners and timescales"


def test_the_tool_preview_names_the_themes_by_the_profiles_titles(sign_in_as, org):
    body = (
        sign_in_as("qa_officer").get("/audits/tools/managers-file-audit/1").get_data(as_text=True)
    )
    assert "Themes: Frequency and timeliness; Management oversight and safety; SMART" in body
    assert "themes: Management oversight and safety" in body
    assert "smart_actions" not in body


def test_a_new_shipped_version_is_stored_beside_the_old_and_old_audits_keep_theirs(org):
    db.session.execute(
        delete(AuditToolVersion).where(AuditToolVersion.tool_id == "supervision-file-audit")
    )
    old = tool_to_dict(get_tool("supervision-file-audit", 2))
    old["version"] = 1
    db.session.execute(
        delete(AuditToolVersion).where(AuditToolVersion.tool_id == "supervision-file-audit")
    )
    db.session.add(
        AuditToolVersion(
            tool_id="supervision-file-audit",
            version=1,
            title="Supervision file audit",
            source=yaml.safe_dump(old),
            uploaded_at=datetime(2026, 1, 5),
        )
    )
    db.session.commit()
    audit = make_audit(org)
    audit.tool_version = 1
    db.session.commit()
    ensure_default_tools()
    versions = db.session.scalars(
        select(AuditToolVersion.version).where(AuditToolVersion.tool_id == "supervision-file-audit")
    ).all()
    assert sorted(versions) == [1, 2]
    assert get_tool("supervision-file-audit").version == 2
    assert db.session.get(Audit, audit.id).tool_version == 1


def submit_and_sign_off(sign_in_as, org, audit: Audit, auditor: str, signer: str) -> Audit:
    client = sign_in_as(auditor)
    complete(client, audit.id, answer="partly")
    raise_an_action(org, audit.id, auditor)
    client.get(f"/audits/{audit.id}/check")
    response = client.post(
        f"/audits/{audit.id}/check",
        data={
            "lock_version": str(db.session.get(Audit, audit.id).lock_version),
            "judgement": "requires_improvement",
            "reason": "As the answers show",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    head = sign_in_as(signer)
    head.get(f"/audits/{audit.id}/sign-off")
    response = head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "grade_agreed": "yes", "early": "y", "comment": "Agreed"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.get(Audit, audit.id)


@pytest.mark.parametrize(
    ("tool_id", "supervisee", "auditor", "asked"),
    [
        # Coventry 9.3: a service manager audits a team manager's own file.
        ("managers-file-audit", "team_manager", "service_manager", "workload_reports_examined"),
        # Coventry 9.4: the head of service audits a service manager's own file.
        ("managers-file-audit", "service_manager", "head_of_service", "sampled_file_noted"),
        ("personal-supervision-audit", "practitioner", "service_manager", "reflective_discussion"),
    ],
)
def test_an_audit_drawn_with_a_shipped_tool_is_completed_submitted_and_signed_off(
    sign_in_as, org, tool_id, supervisee, auditor, asked
):
    audit = make_audit(org, auditor=auditor, supervisee=supervisee, tool_id=tool_id)
    signer = "qa_officer" if auditor == "head_of_service" else "head_of_service"
    if signer == "qa_officer":
        audit.sign_off_rule = "quality_assurance"
        db.session.commit()
    body = sign_in_as(auditor).get(f"/audits/{audit.id}").get_data(as_text=True)
    assert get_tool(tool_id).title in html.unescape(body)
    done = submit_and_sign_off(sign_in_as, org, audit, auditor, signer)
    assert done.state == "signed_off" and done.tool_id == tool_id
    assert done.tool_version == get_tool(tool_id).version
    assert asked in {answer.question_key for answer in done.answers}
    record = sign_in_as(signer).get(f"/audits/{audit.id}").get_data(as_text=True)
    assert get_tool(tool_id).question(asked).text in html.unescape(record)
