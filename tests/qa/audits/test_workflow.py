"""From submitted to signed off: transitions, sign-off, corrections, re-audit, replies."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa.audits import workflow
from qa.audits.models import Audit, AuditAmendment
from qa.audits.service import AuditError, tool_for
from qa.audits.states import TRANSITIONS, TransitionError, move
from qa.events.models import Event
from qa.extensions import db
from tests.qa.audits.helpers import complete, make_audit, raise_an_action

STATES = ("selected", "in_progress", "submitted", "returned", "signed_off", "cancelled")


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("end", STATES)
def test_only_listed_transitions_are_possible(org, start, end):
    audit = make_audit(org)
    audit.state = start
    if (start, end) in TRANSITIONS:
        move(audit, end, org.people["qa_officer"])
        assert audit.state == end
    else:
        with pytest.raises(TransitionError):
            move(audit, end, org.people["qa_officer"])
        assert audit.state == start


def submitted_audit(sign_in_as, org, answer="yes", judgement="outstanding"):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    complete(client, audit.id, answer=answer)
    if answer != "yes" or judgement in ("requires_improvement", "inadequate"):
        raise_an_action(org, audit.id)
    client.get(f"/audits/{audit.id}/check")
    grade = db.session.get(Audit, audit.id).lock_version
    response = client.post(
        f"/audits/{audit.id}/check",
        data={"lock_version": str(grade), "judgement": judgement, "reason": "As the answers show"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.get(Audit, audit.id), client


def test_head_of_service_signs_off_from_their_queue_and_the_audit_locks(sign_in_as, org):
    audit, auditor = submitted_audit(sign_in_as, org)
    head = sign_in_as("head_of_service")
    assert "Practitioner" in head.get("/audits/sign-off").get_data(as_text=True)
    head.get(f"/audits/{audit.id}/sign-off")
    response = head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "grade_agreed": "yes", "early": "y", "comment": "Good file"},
    )
    assert response.status_code == 302
    audit = db.session.get(Audit, audit.id)
    assert (
        audit.state == "signed_off" and audit.signed_off_by_id == org.people["head_of_service"].id
    )
    assert audit.signed_off_at is not None
    old_link = auditor.get(f"/audits/{audit.id}/sections/childs_voice")
    assert old_link.status_code == 302 and old_link.headers["Location"].endswith(f"/{audit.id}")
    assert auditor.post(f"/audits/{audit.id}/sections/childs_voice", data={}).status_code == 302
    assert db.session.get(Audit, audit.id).state == "signed_off"
    assert "The audit is locked" in auditor.get(f"/audits/{audit.id}").get_data(as_text=True)


def test_head_of_service_returns_with_a_reason_and_the_auditor_resubmits(sign_in_as, org):
    audit, auditor = submitted_audit(sign_in_as, org)
    head = sign_in_as("head_of_service")
    head.get(f"/audits/{audit.id}/sign-off")
    blank = head.post(f"/audits/{audit.id}/sign-off", data={"decision": "return", "comment": ""})
    assert "Enter why you are returning the audit" in blank.get_data(as_text=True)
    head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "return", "comment": "Evidence for the child's voice is thin"},
    )
    assert db.session.get(Audit, audit.id).state == "returned"
    page = auditor.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert (
        "Evidence for the child&#39;s voice is thin" in page
        or "Evidence for the child's voice is thin" in page
    )
    auditor.get(f"/audits/{audit.id}/check")
    lock = db.session.get(Audit, audit.id).lock_version
    auditor.post(
        f"/audits/{audit.id}/check",
        data={"lock_version": str(lock), "judgement": "outstanding", "reason": ""},
    )
    assert db.session.get(Audit, audit.id).state == "submitted"


def test_heads_of_other_areas_and_other_roles_cannot_sign_off(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    assert sign_in_as("head_south").get(f"/audits/{audit.id}/sign-off").status_code == 404
    assert sign_in_as("qa_officer").get(f"/audits/{audit.id}/sign-off").status_code == 403
    with pytest.raises(AuditError):
        workflow.sign_off(
            db.session.get(Audit, audit.id), org.people["service_manager"], "", early=True
        )


def test_a_correction_after_sign_off_is_a_new_version_and_both_stay_readable(sign_in_as, org):
    audit, auditor = submitted_audit(sign_in_as, org)
    workflow.sign_off(audit, org.people["head_of_service"], "Signed", early=True)
    with pytest.raises(AuditError, match="Enter why"):
        workflow.start_correction(audit, org.people["qa_officer"], " ")
    workflow.start_correction(audit, org.people["qa_officer"], "Wrong session dates used")
    audit = db.session.get(Audit, audit.id)
    assert audit.version_no == 2 and audit.state == "in_progress"
    amendment = db.session.scalar(select(AuditAmendment))
    assert amendment.version_no == 1 and "Wrong session dates" in amendment.reason
    page = sign_in_as("qa_officer").get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Version 1, replaced" in page


def test_an_inadequate_outcome_schedules_a_reaudit_of_the_same_file(sign_in_as, org, app):
    audit, _ = submitted_audit(sign_in_as, org, answer="no", judgement="inadequate")
    reaudit = workflow.sign_off(audit, org.people["head_of_service"], "Needs work", early=True)
    assert reaudit is not None
    assert reaudit.file_id == audit.file_id and reaudit.tool_id == audit.tool_id
    assert reaudit.reaudit_of_id == audit.id
    assert (reaudit.due_on - date(2026, 11, 23)).days == 7 * app.config["REAUDIT_WEEKS"]


def test_a_reaudit_compares_before_and_after_with_shortfalls_first(sign_in_as, org):
    audit, auditor = submitted_audit(sign_in_as, org, answer="no", judgement="inadequate")
    reaudit = workflow.sign_off(audit, org.people["head_of_service"], "Needs work", early=True)
    complete(auditor, reaudit.id, answer="yes")
    rows = workflow.reaudit_comparison(db.session.get(Audit, reaudit.id))
    assert rows[0][1] == "no" and rows[0][2] == "yes"
    # Every answer fell short the first time: the tool's questions in the tool's order, then
    # the judgement, whatever order the database gives the answers back in (PostgreSQL moves
    # a row it updates to the end of its table).
    in_tool = [q.key for _, q in tool_for(reaudit).questions()]
    keys = [key for key, _, _ in rows]
    assert keys == [k for k in in_tool if k in keys] + sorted(set(keys) - set(in_tool))
    page = auditor.get(f"/audits/{reaudit.id}").get_data(as_text=True)
    assert "Re-audit: before and after" in page


def test_supervisor_and_supervisee_reply_and_the_head_sees_it_before_sign_off(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    assert audit.reply_due is not None and audit.reply_due > date(2026, 11, 23)
    supervisee = sign_in_as("practitioner")
    assert "Reply to the audit" in supervisee.get("/").get_data(as_text=True)
    supervisee.get(f"/audits/{audit.id}/reply")
    blank = supervisee.post(f"/audits/{audit.id}/reply", data={"kind": "responded", "text": ""})
    assert "Enter your response" in blank.get_data(as_text=True)
    supervisee.post(
        f"/audits/{audit.id}/reply",
        data={
            "kind": "responded",
            "text": "The visit on 3 October was recorded late because of leave",
        },
    )
    supervisor = sign_in_as("team_manager")
    supervisor.get(f"/audits/{audit.id}/reply")
    supervisor.post(f"/audits/{audit.id}/reply", data={"kind": "acknowledged", "text": ""})
    page = sign_in_as("head_of_service").get(f"/audits/{audit.id}/sign-off").get_data(as_text=True)
    assert "recorded late because of leave" in page and "Acknowledged the audit" in page
    assert sign_in_as("practitioner_n2").get(f"/audits/{audit.id}/reply").status_code == 404


def test_the_supervisee_cannot_see_the_audit_before_it_is_submitted(sign_in_as, org):
    audit = make_audit(org)
    assert sign_in_as("practitioner").get(f"/audits/{audit.id}").status_code == 404


def test_every_operation_is_in_the_event_log(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    sign_in_as("qa_officer").get(f"/audits/{audit.id}")
    workflow.sign_off(audit, org.people["head_of_service"], "Signed", early=True)
    actions = set(
        db.session.scalars(
            select(Event.action).where(Event.subject_id == audit.id, Event.subject_type == "audit")
        )
    )
    assert {
        "audit_started",
        "audit_edited",
        "audit_submitted",
        "audit_signed_off",
        "audit_viewed",
    } <= actions


def test_the_event_log_is_searchable_by_qa_and_administrators_only(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    client = sign_in_as("qa_officer")
    body = client.get(f"/events/?action=audit_submitted&audit={audit.id}").get_data(as_text=True)
    assert "audit submitted" in body
    assert sign_in_as("administrator").get("/events/").status_code == 200
    assert sign_in_as("head_of_service").get("/events/").status_code == 403


def test_the_event_log_has_no_way_to_change_or_delete_entries(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/events")]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)
