"""Giving audits to another auditor: by the run's selector or a QA officer, while unsubmitted,
never to someone who may not audit the file; logged with the reason, the new auditor e-mailed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa.access import Forbidden, may_edit_audit
from qa.audits.models import Audit
from qa.audits.reassign import reassign
from qa.audits.service import AuditError
from qa.audits.states import AuditState
from qa.events.models import Event
from qa.extensions import db
from qa.jobs.models import OutboxMessage
from qa.selections import service

SEED = "12345678901234567890"


def monthly(org) -> Audit:
    run, _ = service.run_selection(
        "monthly-team-manager", "2026-11", org.people["service_manager"], None, seed=SEED
    )
    return db.session.scalars(select(Audit).where(Audit.run_id == run.id)).one()


def sample(org) -> list[Audit]:
    run, _ = service.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    return list(db.session.scalars(select(Audit).where(Audit.run_id == run.id).order_by(Audit.id)))


def test_the_selector_gives_an_audit_to_another_manager_who_is_told(org, sign_in_as):
    audit = monthly(org)
    new = org.people["service_manager_south"]
    client = sign_in_as("service_manager")
    page = client.get(f"/selections/{audit.run_id}")
    assert f"/selections/{audit.run_id}/give?audit={audit.id}" in page.get_data(as_text=True)
    form = client.get(f"/selections/{audit.run_id}/give?audit={audit.id}")
    assert new.name in form.get_data(as_text=True)
    response = client.post(
        f"/selections/{audit.run_id}/give",
        data={"audits": [audit.id], "auditor": new.id, "reason": "On leave until January"},
    )
    assert response.status_code == 302
    moved = db.session.get(Audit, audit.id)
    assert moved.auditor_id == new.id
    assert not may_edit_audit(org.people["service_manager"], moved)
    event = db.session.scalars(select(Event).where(Event.action == "audit_reassigned")).one()
    assert event.actor_id == org.people["service_manager"].id
    assert event.detail.endswith(f"to {new.name}: On leave until January")
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.recipient_id == new.id
    assert f"/audits/{audit.id}" in message.body


def test_nobody_in_the_files_line_who_has_left_or_who_signs_it_off_is_given_it(org):
    audit = monthly(org)
    leaver = org.people["service_manager_south"]
    leaver.leaving_date = date(2026, 11, 1)
    db.session.commit()
    supervisee, supervisor = audit.file.supervisee, audit.file.supervisor
    for person in (supervisee, supervisor, leaver, org.people["head_of_service"]):
        with pytest.raises(AuditError, match=person.name):
            reassign(org.people["service_manager"], [audit], person, "Cover")
    db.session.rollback()
    assert db.session.get(Audit, audit.id).auditor_id == org.people["service_manager"].id
    assert db.session.scalars(select(Event).where(Event.action == "audit_reassigned")).all() == []


def test_a_reason_is_needed(org):
    audit = monthly(org)
    with pytest.raises(AuditError, match="Enter why"):
        reassign(org.people["service_manager"], [audit], org.people["qa_officer"], "  ")


def test_only_the_selector_or_a_qa_officer_gives_and_only_before_submission(org, sign_in_as):
    audit = monthly(org)
    for key in ("team_manager", "head_of_service", "service_manager_south", "administrator"):
        assert sign_in_as(key).get(f"/selections/{audit.run_id}/give").status_code in (403, 404)
    assert sign_in_as("qa_officer").get(f"/selections/{audit.run_id}/give").status_code == 200
    with pytest.raises(Forbidden):
        reassign(org.people["team_manager_n2"], [audit], org.people["qa_officer"], "Cover")
    audit.state = AuditState.SUBMITTED
    db.session.commit()
    with pytest.raises(Forbidden):
        reassign(org.people["qa_officer"], [audit], org.people["service_manager_south"], "Late")


def test_a_qa_officer_gives_several_audits_at_once_and_each_is_logged(org, sign_in_as):
    audits = sample(org)
    new = org.people["qa_officer"]
    chosen = [a for a in audits if a.auditor_id != new.id][:2]
    assert len(chosen) == 2
    response = sign_in_as("qa_officer").post(
        f"/selections/{chosen[0].run_id}/give",
        data={"audits": [a.id for a in chosen], "auditor": new.id, "reason": "Restructure"},
    )
    assert response.status_code == 302
    assert {db.session.get(Audit, a.id).auditor_id for a in chosen} == {new.id}
    events = db.session.scalars(select(Event).where(Event.action == "audit_reassigned")).all()
    assert sorted(e.subject_id for e in events) == sorted(a.id for a in chosen)
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 2


def test_an_ineligible_auditor_in_a_bulk_move_moves_none_and_says_why(org, sign_in_as):
    audit = monthly(org)
    supervisor = audit.file.supervisor
    response = sign_in_as("qa_officer").post(
        f"/selections/{audit.run_id}/give",
        data={"audits": [audit.id], "auditor": supervisor.id, "reason": "Cover"},
    )
    assert response.status_code == 400
    assert f"{supervisor.name} supervises this file" in response.get_data(as_text=True)
    assert db.session.get(Audit, audit.id).auditor_id == org.people["service_manager"].id
