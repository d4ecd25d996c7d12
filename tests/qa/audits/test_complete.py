"""Completing an audit through the web client."""

from __future__ import annotations

from sqlalchemy import select

from qa.audits.models import Audit, AuditAnswer
from qa.audits.tools import get_tool
from qa.events.models import Event
from qa.extensions import db
from tests.qa.audits.helpers import answer_section, complete, make_audit


def test_my_audits_lists_assignments_overdue_first(sign_in_as, org):
    late = make_audit(org)
    late.due_on = late.due_on.replace(month=10)
    make_audit(org, supervisee="senior_practitioner")
    db.session.commit()
    body = sign_in_as("service_manager").get("/audits/").get_data(as_text=True)
    assert body.index("Overdue") < body.index("Not started")


def test_an_auditor_completes_and_submits_an_audit(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    complete(client, audit.id)
    check = client.get(f"/audits/{audit.id}/check").get_data(as_text=True)
    assert "Outstanding" in check and "Check your answers" in check
    response = client.post(
        f"/audits/{audit.id}/check",
        data={
            "lock_version": str(db.session.get(Audit, audit.id).lock_version),
            "judgement": "outstanding",
            "reason": "",
        },
    )
    assert response.status_code == 302
    audit = db.session.get(Audit, audit.id)
    assert audit.state == "submitted" and audit.computed_grade == "outstanding"
    assert "What happens next" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_frequency_answers_are_suggested_from_the_imported_sessions(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    rows = {
        a.question_key: a
        for a in db.session.scalars(select(AuditAnswer).where(AuditAnswer.audit_id == audit.id))
    }
    assert rows["sessions_at_interval"].prefilled in ("yes", "partly", "no")
    assert rows["agreement_on_file"].prefilled == "yes"
    assert rows["no_long_gap"].prefill_reason  # Coventry, the profile in force: two months
    assert "recorded_on_time" not in rows  # Coventry sets no deadline for writing the record
    assert "views_wishes_feelings" not in rows  # nothing else is answered for the auditor
    page = client.get(f"/audits/{audit.id}/sections/frequency_timeliness").get_data(as_text=True)
    assert "Suggested from the imported sessions" in page


def test_changing_a_suggested_answer_needs_a_comment(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    section = get_tool("supervision-file-audit").section("frequency_timeliness")
    response = answer_section(client, audit.id, section, answer="yes", comment="")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say why you changed the suggested answer" in body


def test_missing_answers_and_evidence_show_an_error_summary_linking_to_each(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    client.get(f"/audits/{audit.id}/sections/childs_voice")
    data = {
        "lock_version": str(db.session.get(Audit, audit.id).lock_version),
        "answer_views_wishes_feelings": "no",
        "comment_views_wishes_feelings": "",
    }
    response = client.post(f"/audits/{audit.id}/sections/childs_voice", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error:" in body
    assert 'href="#answer_lived_experience"' in body
    assert 'href="#comment_views_wishes_feelings"' in body


def test_save_and_come_back_later_keeps_partial_answers(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    client.get(f"/audits/{audit.id}/sections/childs_voice")
    data = {
        "lock_version": str(db.session.get(Audit, audit.id).lock_version),
        "answer_views_wishes_feelings": "yes",
        "comment_views_wishes_feelings": "Views quoted",
        "later": "1",
    }
    response = client.post(f"/audits/{audit.id}/sections/childs_voice", data=data)
    assert response.status_code == 302
    page = client.get(f"/audits/{audit.id}/sections/childs_voice").get_data(as_text=True)
    assert "Views quoted" in page
    overview = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "In progress" in overview


def test_submitting_an_incomplete_audit_lists_what_is_missing(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    client.get(f"/audits/{audit.id}/check")
    body = client.post(
        f"/audits/{audit.id}/check", data={"lock_version": "2", "judgement": ""}
    ).get_data(as_text=True)
    # the overall judgement is one of the tool's questions, so it is listed once, as missing
    asked = "What is your overall judgement of the quality of supervision on this file?"
    assert asked in body and "Select your overall judgement" not in body
    assert db.session.get(Audit, audit.id).state == "in_progress"


def test_a_judgement_that_differs_from_the_grade_needs_a_reason(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    tool = complete(client, audit.id)
    answer_section(client, audit.id, tool.section("overall"), answer="inadequate")
    page = client.get(f"/audits/{audit.id}/check").get_data(as_text=True)
    assert 'name="judgement"' not in page  # asked once, in the tool's own question
    assert "Inadequate</strong>, your answer to" in page
    lock = str(db.session.get(Audit, audit.id).lock_version)
    body = client.post(
        f"/audits/{audit.id}/check", data={"lock_version": lock, "reason": ""}
    ).get_data(as_text=True)
    assert "Say why your judgement differs" in body


def test_a_critical_no_limits_the_grade(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    tool = complete(client, audit.id)
    section = tool.section("oversight")
    data = {"lock_version": str(db.session.get(Audit, audit.id).lock_version)}
    for q in section.questions:
        data[f"answer_{q.key}"] = "no" if q.key == "child_safe" else "yes"
        data[f"comment_{q.key}"] = "Seen"
    client.get(f"/audits/{audit.id}/sections/oversight")
    client.post(f"/audits/{audit.id}/sections/oversight", data=data)
    body = client.get(f"/audits/{audit.id}/check").get_data(as_text=True)
    assert "limited by a ‘No’ to a critical question" in body
    assert "Requires improvement" in body


def test_two_people_saving_the_same_audit_the_second_is_told(sign_in_as, org):
    audit = make_audit(org)
    first = sign_in_as("service_manager")
    first.post(f"/audits/{audit.id}/start", data={})
    second = sign_in_as("service_manager")
    section = get_tool("supervision-file-audit").section("childs_voice")
    stale = str(db.session.get(Audit, audit.id).lock_version)
    answer_section(first, audit.id, section)
    data = {"lock_version": stale}
    for q in section.questions:
        data[f"answer_{q.key}"] = "no"
        data[f"comment_{q.key}"] = "Overwrite attempt"
    response = second.post(f"/audits/{audit.id}/sections/childs_voice", data=data)
    assert response.status_code == 409
    assert "Your answers have not been saved" in response.get_data(as_text=True)
    saved = db.session.scalar(
        select(AuditAnswer).where(
            AuditAnswer.audit_id == audit.id, AuditAnswer.question_key == "views_wishes_feelings"
        )
    )
    assert saved.answer == "yes"


def test_only_the_assigned_auditor_edits(sign_in_as, org):
    audit = make_audit(org)
    for role in ("head_of_service", "qa_officer"):
        assert sign_in_as(role).get(f"/audits/{audit.id}/sections/childs_voice").status_code == 403
    assert sign_in_as("team_manager").get(f"/audits/{audit.id}").status_code == 404
    assert sign_in_as("service_manager_south").get(f"/audits/{audit.id}").status_code == 404


def test_viewing_an_audit_is_logged(sign_in_as, org):
    audit = make_audit(org)
    sign_in_as("qa_officer").get(f"/audits/{audit.id}")
    event = db.session.scalar(select(Event).where(Event.action == "audit_viewed"))
    assert event.subject_id == audit.id and event.actor_id == org.people["qa_officer"].id


def test_wellbeing_comments_are_never_shown_to_anyone_but_the_auditor(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    tool = complete(client, audit.id)
    section = tool.section("wellbeing_development")
    answer_section(client, audit.id, section, comment="Private matter discussed")
    lock = str(db.session.get(Audit, audit.id).lock_version)
    client.get(f"/audits/{audit.id}/check")
    client.post(
        f"/audits/{audit.id}/check", data={"lock_version": lock, "judgement": "outstanding"}
    )
    body = sign_in_as("qa_officer").get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Wellbeing discussion" in body


def test_qa_officer_uploads_a_new_tool_version_and_sees_problems_in_a_bad_one(sign_in_as, org):
    import io

    import yaml

    from audit_tools.schema import tool_to_dict

    client = sign_in_as("qa_officer")
    client.get("/audits/tools/upload")
    data = tool_to_dict(get_tool("personal-supervision-audit"))
    data["version"] = 2
    good = yaml.safe_dump(data).encode()
    response = client.post(
        "/audits/tools/upload",
        data={"upload": (io.BytesIO(good), "personal.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert get_tool("personal-supervision-audit").version == 2
    data["version"] = 3
    data["sections"][0]["questions"][0]["weight"] = 0
    data["sections"][0]["questions"][1]["key"] = data["sections"][0]["questions"][0]["key"]
    bad = yaml.safe_dump(data).encode()
    client.get("/audits/tools/upload")
    body = client.post(
        "/audits/tools/upload",
        data={"upload": (io.BytesIO(bad), "broken.yaml")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "broken.yaml" in body and "The tool was not saved" in body
    assert (
        body.count("govuk-error-summary__list") == 1
        and get_tool("personal-supervision-audit").version == 2
    )


def test_a_tool_preview_shows_the_questions(sign_in_as, org):
    body = (
        sign_in_as("qa_officer")
        .get("/audits/tools/supervision-file-audit/2")
        .get_data(as_text=True)
    )
    assert "Is the child safe" in body or "child safe" in body.lower()


def test_audits_keep_the_tool_version_they_began_with(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    assert db.session.get(Audit, audit.id).tool_version == 2
