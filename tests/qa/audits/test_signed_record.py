"""The signed record tells the truth: who signs off each cadence, due dates of late draws,
replies before and after sign-off, one grade story, and state changes that cannot race."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from qa.access import sign_off_refusal
from qa.actions.models import Action
from qa.audits import workflow
from qa.audits.models import Audit, Reply, StoredDocument
from qa.audits.service import AuditError
from qa.audits.states import TransitionError
from qa.extensions import db
from qa.jobs import notify
from qa.jobs.models import OutboxMessage
from qa.selections import service as selections
from qa.selections.service import SelectionError
from tests.qa.audits.helpers import complete, make_audit

SEED = "12345678901234567890"


def _submit(client, audit_id: int, judgement: str = "good", reason: str = "As the answers show"):
    client.get(f"/audits/{audit_id}/check")
    lock = db.session.get(Audit, audit_id).lock_version
    return client.post(
        f"/audits/{audit_id}/check",
        data={"lock_version": str(lock), "judgement": judgement, "reason": reason},
    )


def _submitted(sign_in_as, org, auditor="service_manager", answer="yes", judgement="outstanding"):
    audit = make_audit(org, auditor=auditor)
    client = sign_in_as(auditor)
    complete(client, audit.id, answer=answer)
    response = _submit(client, audit.id, judgement)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.get(Audit, audit.id)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# 1. Every cadence has someone who may sign its audits off.


def test_a_quarterly_audit_made_by_the_head_of_service_is_signed_off_by_quality_assurance(
    sign_in_as, org
):
    head = org.people["head_of_service"]
    run, _ = selections.run_selection("quarterly-service-manager", "2026-Q4", head, None, seed=SEED)
    audit = selections.audits_of_run(run)[0]
    assert audit.auditor_id == head.id and audit.sign_off_rule == "quality_assurance"
    client = sign_in_as("head_of_service")
    complete(client, audit.id)
    assert _submit(client, audit.id, "outstanding").status_code == 302
    for refused in ("head_of_service", "head_south"):
        page = sign_in_as(refused).get(f"/audits/{audit.id}/sign-off")
        assert page.status_code in (302, 403, 404)
    qa = sign_in_as("qa_officer")
    assert "Sign off" in qa.get("/audits/sign-off").get_data(as_text=True)
    qa.get(f"/audits/{audit.id}/sign-off")
    response = qa.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "comment": "Agreed", "early": "y", "grade_agreed": "yes"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    audit = db.session.get(Audit, audit.id)
    assert audit.state == "signed_off" and audit.signed_off_by_id == org.people["qa_officer"].id


def test_the_monthly_audit_is_still_signed_off_by_the_head_of_the_area(org):
    audit = make_audit(org)
    assert audit.sign_off_rule == "area_head_of_service"
    assert sign_off_refusal(org.people["qa_officer"], audit) is not None
    assert sign_off_refusal(org.people["head_of_service"], audit) is None


# 2. A late draw is not overdue on the day it is made; a future period waits.


def test_a_late_six_monthly_draw_gives_auditors_ten_working_days(org):
    run, _ = selections.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    audits = selections.audits_of_run(run)
    assert audits
    # drawn on Monday 23 November 2026; the rule alone would say 12 August 2026
    assert {a.due_on for a in audits} == {date(2026, 12, 7)}
    assert not any(a.is_overdue(date(2026, 11, 23)) for a in audits)
    notify.queue_reminders(date(2026, 11, 23))
    keys = set(db.session.scalars(select(OutboxMessage.event_key)))
    assert not any(k.startswith("audit-overdue:") for k in keys)


def test_a_future_period_cannot_be_drawn_before_it_begins(org, app):
    with pytest.raises(SelectionError, match="December 2026 cannot be drawn yet"):
        selections.run_selection(
            "monthly-team-manager", "2026-12", org.people["service_manager"], None
        )
    app.config["DRAW_LEAD_DAYS"] = 10
    run, created = selections.run_selection(
        "monthly-team-manager", "2026-12", org.people["service_manager"], None
    )
    assert created and selections.audits_of_run(run)[0].due_on == date(2026, 12, 31)


# 3. Replies reach the record, before or after sign-off.


def test_signing_off_inside_the_reply_window_needs_the_signer_to_say_so(sign_in_as, org):
    audit = _submitted(sign_in_as, org)
    head = sign_in_as("head_of_service")
    page = head.get(f"/audits/{audit.id}/sign-off").get_data(as_text=True)
    assert "can reply until" in page
    refused = head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "comment": "", "grade_agreed": "yes"},
    )
    assert refused.status_code == 400
    assert "Confirm that you are signing off before the replies are in" in refused.get_data(
        as_text=True
    )
    assert db.session.get(Audit, audit.id).state == "submitted"


def test_a_reply_after_sign_off_is_an_addendum_in_a_new_record_and_the_first_is_kept(
    sign_in_as, org
):
    audit = _submitted(sign_in_as, org)
    workflow.sign_off(audit, org.people["head_of_service"], "Agreed", early=True)
    first = db.session.scalar(select(StoredDocument).where(StoredDocument.subject_id == audit.id))
    first_bytes, first_hash = bytes(first.content), first.sha256
    supervisee = sign_in_as("practitioner")
    form = supervisee.get(f"/audits/{audit.id}/reply").get_data(as_text=True)
    assert "reads it before signing" not in form and "added to the signed record" in form
    supervisee.post(
        f"/audits/{audit.id}/reply",
        data={"kind": "responded", "text": "The October session was held by phone"},
    )
    documents = db.session.scalars(
        select(StoredDocument)
        .where(StoredDocument.subject_id == audit.id)
        .order_by(StoredDocument.revision)
    ).all()
    assert [d.revision for d in documents] == [0, 1]
    assert bytes(documents[0].content) == first_bytes and documents[0].sha256 == first_hash
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(documents[1].content)).pages)
    assert "Addendum" in text and "held by phone" in text
    head = sign_in_as("head_of_service")
    page = head.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "after sign-off" in page and "held by phone" in page
    assert "before the replies added after sign-off" in page
    assert head.get(f"/reports/audits/{audit.id}.pdf").data == bytes(documents[1].content)
    original = head.get(f"/reports/audits/{audit.id}.pdf?version=1&revision=0")
    assert original.data == first_bytes
    told = db.session.scalars(select(OutboxMessage)).all()
    assert any(
        m.event_key.startswith("reply-after-sign-off:")
        and m.recipient_id == org.people["head_of_service"].id
        for m in told
    )


def test_a_person_replies_once_however_often_the_form_is_posted(sign_in_as, org):
    audit = _submitted(sign_in_as, org)
    supervisor = sign_in_as("team_manager")
    supervisor.get(f"/audits/{audit.id}/reply")
    for _ in range(3):
        supervisor.post(f"/audits/{audit.id}/reply", data={"kind": "acknowledged", "text": ""})
    assert _count(Reply) == 1
    with pytest.raises(AuditError, match="already sent your reply"):
        workflow.reply(audit, org.people["team_manager"], "acknowledged", "")


# 4. One grade story.


def test_the_signer_can_record_a_different_grade_and_the_outcome_says_which_counts(sign_in_as, org):
    audit = _submitted(sign_in_as, org, judgement="outstanding")
    head = sign_in_as("head_of_service")
    head.get(f"/audits/{audit.id}/sign-off")
    missing = head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "early": "y", "grade_agreed": "no", "agreed_grade": "good"},
    )
    assert "Say why you give a different grade" in missing.get_data(as_text=True)
    head.post(
        f"/audits/{audit.id}/sign-off",
        data={
            "decision": "sign_off",
            "early": "y",
            "grade_agreed": "no",
            "agreed_grade": "good",
            "agreed_grade_reason": "The agreement review is late",
        },
    )
    audit = db.session.get(Audit, audit.id)
    assert audit.state == "signed_off" and audit.agreed_grade == "good"
    page = head.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Grade agreed at sign-off" in page and "The agreement review is late" in page
    assert "Outcome: Good" in " ".join(page.split())


def test_a_file_below_good_cannot_be_submitted_without_an_action(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    complete(client, audit.id, answer="no")
    refused = _submit(client, audit.id, "inadequate")
    assert refused.status_code == 400
    assert "Raise at least one action" in refused.get_data(as_text=True)
    db.session.add(
        Action(
            audit_id=audit.id,
            description="Record the child's views at every session by 31 January 2027",
            owner_id=org.people["team_manager"].id,
            due_on=date(2027, 1, 31),
            created_at=db.session.get(Audit, audit.id).created_at,
            created_by_id=org.people["service_manager"].id,
        )
    )
    db.session.commit()
    assert _submit(client, audit.id, "inadequate").status_code == 302


# 5. State changes cannot race.


def _changed_behind_its_back(audit: Audit, state: str) -> None:
    """Another request changes the stored audit; this one still holds what it read."""
    with db.engine.begin() as connection:
        connection.execute(update(Audit).where(Audit.id == audit.id).values(state=state))


def test_a_sign_off_that_lost_a_race_to_a_return_changes_nothing(sign_in_as, org):
    audit = _submitted(sign_in_as, org)
    _changed_behind_its_back(audit, "returned")  # another request returned it just now
    with pytest.raises(TransitionError):
        workflow.sign_off(audit, org.people["head_of_service"], "Agreed", early=True)
    audit = db.session.get(Audit, audit.id)
    db.session.refresh(audit)
    assert audit.state == "returned" and audit.signed_off_at is None
    assert _count(StoredDocument) == 0


def test_a_second_tab_signing_off_again_is_told_who_signed_and_when(sign_in_as, org):
    audit = _submitted(sign_in_as, org)
    head = sign_in_as("head_of_service")
    head.get(f"/audits/{audit.id}/sign-off")
    data = {"decision": "sign_off", "comment": "", "early": "y", "grade_agreed": "yes"}
    assert head.post(f"/audits/{audit.id}/sign-off", data=data).status_code == 302
    again = head.post(f"/audits/{audit.id}/sign-off", data=data, follow_redirects=True)
    assert again.status_code == 200
    assert "signed off by Head Of Service" in again.get_data(as_text=True)
    assert _count(StoredDocument) == 1


@pytest.mark.postgres
def test_twenty_racing_sign_offs_and_returns_leave_one_consistent_outcome(app, sign_in_as, org):
    """Twenty requests from the head of service's tabs at once, half signing off and half
    returning: exactly one moves the audit, none is a server error, and the record agrees."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("The race is tested on PostgreSQL")
    import threading

    from qa.events.models import Event

    audit = _submitted(sign_in_as, org)
    clients = [sign_in_as("head_of_service") for _ in range(20)]
    for client in clients:
        client.get(f"/audits/{audit.id}/sign-off")
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(index: int, client) -> None:
        data = (
            {"decision": "sign_off", "grade_agreed": "yes", "early": "y", "comment": "Agreed"}
            if index % 2 == 0
            else {"decision": "return", "comment": "Add the agreement"}
        )
        with app.app_context():
            barrier.wait()
            statuses.append(client.post(f"/audits/{audit_id}/sign-off", data=data).status_code)

    audit_id = audit.id
    threads = [threading.Thread(target=post, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(statuses) == 20 and all(code < 500 for code in statuses), statuses
    db.session.expire_all()
    audit = db.session.get(Audit, audit.id)
    moves = db.session.scalars(
        select(Event.action).where(
            Event.subject_id == audit.id,
            Event.action.in_(("audit_signed_off", "audit_returned")),
        )
    ).all()
    assert len(moves) == 1
    if audit.state == "signed_off":
        assert moves == ["audit_signed_off"] and audit.signed_off_at is not None
        assert _count(StoredDocument) == 1
    else:
        assert audit.state == "returned" and moves == ["audit_returned"]
        assert audit.signed_off_at is None and audit.signed_off_by_id is None
        assert _count(StoredDocument) == 0
