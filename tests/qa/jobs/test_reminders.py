"""Reminders: who is told what and when, once per event, and sending them by SMTP to a
server on the loopback interface."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from qa.audits.models import AuditAnswer
from qa.extensions import db
from qa.jobs import notify
from qa.jobs.models import OutboxMessage
from qa.jobs.service import run_job
from tests.qa.jobs.helpers import at, count, free_port, make_action, make_audit


def _messages() -> dict[str, OutboxMessage]:
    return {m.event_key: m for m in db.session.scalars(select(OutboxMessage))}


@pytest.fixture
def events(app, org):
    """On 23 November 2026: a new audit due in a week, an overdue one, one waiting for
    sign-off in North, and two actions, one due in two days and one overdue."""
    new = make_audit(org, due_on=date(2026, 11, 30))
    late = make_audit(org, "senior_practitioner", state="in_progress", due_on=date(2026, 11, 20))
    waiting = make_audit(
        org,
        "practitioner_n2",
        state="submitted",
        submitted_at=datetime(2026, 11, 18, 15, 0),
        due_on=date(2026, 11, 30),
    )
    db.session.add(
        AuditAnswer(
            audit_id=waiting.id,
            question_key="wellbeing_discussed",
            answer="yes",
            comment="Talked about a bereavement at home",
        )
    )
    soon = make_action(org, waiting, due_on=date(2026, 11, 25), description="Visit the child")
    overdue = make_action(org, waiting, due_on=date(2026, 11, 1))
    return {"new": new, "late": late, "waiting": waiting, "soon": soon, "overdue": overdue}


def test_each_event_makes_one_message_for_the_right_person(app, org, events):
    run_job("daily-reminders")
    messages = _messages()
    head = org.people["head_of_service"]
    assert set(messages) == {
        f"audit-assigned:{events['new'].id}",
        f"audit-due-soon:{events['new'].id}",
        f"audit-overdue:{events['late'].id}",
        f"signoff-waiting:{head.id}:2026-11-23",
        f"action-due-soon:{events['soon'].id}",
        f"action-overdue:{events['overdue'].id}",
    }
    sm, tm = org.people["service_manager"], org.people["team_manager"]
    recipients = {key.split(":")[0]: m.to_address for key, m in messages.items()}
    assert recipients == {
        "audit-assigned": sm.email,
        "audit-due-soon": sm.email,
        "audit-overdue": sm.email,
        "signoff-waiting": head.email,
        "action-due-soon": tm.email,
        "action-overdue": tm.email,
    }


def test_a_message_says_what_to_do_and_links_to_the_page(app, org, events):
    run_job("daily-reminders")
    messages = _messages()
    assigned = messages[f"audit-assigned:{events['new'].id}"]
    assert assigned.subject == "Audit a supervision file by 30 November 2026"
    assert "You have been asked to audit the supervision file of Practitioner" in assigned.body
    assert f"http://localhost/audits/{events['new'].id}" in assigned.body
    head = org.people["head_of_service"]
    waiting = messages[f"signoff-waiting:{head.id}:2026-11-23"]
    assert waiting.subject == "1 audit is waiting for your sign-off"
    assert "http://localhost/audits/sign-off" in waiting.body
    action = messages[f"action-overdue:{events['overdue'].id}"]
    assert "was due on 1 November 2026" in action.body
    assert "http://localhost/actions/" in action.body


def test_messages_never_carry_answers_comments_or_action_text(app, org, events):
    run_job("daily-reminders")
    for message in _messages().values():
        assert "bereavement" not in message.body
        assert "Visit the child" not in message.body and "Record the child" not in message.body


def test_the_links_in_messages_are_pages_of_the_service(app):
    adapter = app.url_map.bind("localhost")
    for path in (
        notify.AUDIT_PATH.format(audit_id=1),
        notify.SIGN_OFF_PATH,
        notify.ACTIONS_PATH,
        notify.CONFIRM_PATH.format(action_id=1),
    ):
        endpoint, _ = adapter.match(path)
        assert endpoint


def test_running_the_reminders_twice_sends_nothing_twice(app, org, events):
    first = run_job("daily-reminders")
    second = run_job("daily-reminders")
    assert count(OutboxMessage) == 6
    assert "audit assigned messages queued: 1" in first.detail.lower()
    assert "audit assigned messages queued: 0" in second.detail.lower()


def test_heads_of_service_are_reminded_at_most_once_a_day(app, org, events):
    run_job("daily-reminders")
    run_job("daily-reminders")
    at(app, date(2026, 11, 24))
    run_job("daily-reminders")
    head = org.people["head_of_service"]
    keys = [k for k in _messages() if k.startswith("signoff-waiting:")]
    assert sorted(keys) == [
        f"signoff-waiting:{head.id}:2026-11-23",
        f"signoff-waiting:{head.id}:2026-11-24",
    ]


def test_an_audit_due_in_more_than_a_week_has_no_reminder_yet(app, org):
    audit = make_audit(org, due_on=date(2026, 12, 1))
    run_job("daily-reminders")
    assert set(_messages()) == {f"audit-assigned:{audit.id}"}
    at(app, date(2026, 11, 24))
    run_job("daily-reminders")
    assert f"audit-due-soon:{audit.id}" in _messages()


def test_no_reminder_goes_to_someone_who_has_left(app, org):
    make_audit(org, auditor="service_manager_south", supervisee="practitioner_south")
    org.people["service_manager_south"].leaving_date = date(2026, 11, 20)
    db.session.commit()
    run_job("daily-reminders")
    assert count(OutboxMessage) == 0


def test_without_smtp_messages_stay_in_the_outbox(app, org, events):
    run = run_job("daily-reminders")
    assert {m.status for m in _messages().values()} == {"outbox"}
    assert "kept in the outbox: 6" in run.detail


class _Inbox:
    def __init__(self) -> None:
        self.envelopes = []
        self.logins = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)


@pytest.fixture
def smtp_server(app):
    """An SMTP server on 127.0.0.1 at a free port, with the app set up to use it."""
    inbox = _Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_USE_TLS="0")
    yield inbox
    controller.stop()


def test_messages_are_sent_by_smtp_when_it_is_set_up(app, org, smtp_server):
    audit = make_audit(org, due_on=date(2026, 12, 20))
    app.config.update(SMTP_USERNAME="audit-service", SMTP_PASSWORD="app-password")
    run = run_job("daily-reminders")
    assert "sent: 1" in run.detail
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [org.people["service_manager"].email]
    email = message_from_bytes(envelope.original_content)
    assert email["Subject"] == "Audit a supervision file by 20 December 2026"
    assert email["From"] == app.config["MAIL_SENDER"]
    assert f"http://localhost/audits/{audit.id}" in email.get_payload(decode=True).decode()
    assert smtp_server.logins == [(b"audit-service", b"app-password")]
    [message] = _messages().values()
    assert message.status == "sent" and message.sent_at == app.config["FIXED_NOW"]

    run_job("daily-reminders")
    assert len(smtp_server.envelopes) == 1


def test_a_message_that_cannot_be_sent_is_kept_and_tried_again(app, org):
    make_audit(org, due_on=date(2026, 12, 20))
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_USE_TLS=False)
    run = run_job("daily-reminders")
    [message] = _messages().values()
    assert message.status == "failed" and "ConnectionRefusedError" in message.error
    assert message.sent_at is None and "not sent: 1" in run.detail
    assert run.outcome == "failed" and "1 could not be sent: the outbox says why" in run.detail

    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config["SMTP_PORT"] = port
        app.config["FIXED_NOW"] += timedelta(days=1)
        run_job("daily-reminders")
    finally:
        controller.stop()
    db.session.refresh(message)
    assert message.status == "sent" and message.error == ""
    assert len(inbox.envelopes) == 1


def test_whoever_raised_an_action_is_asked_once_to_confirm_it_when_it_is_marked_done(app, org):
    audit = make_audit(org, state="signed_off")
    action = make_action(
        org,
        audit,
        due_on=date(2026, 12, 18),
        status="done",
        created_by_id=org.people["service_manager"].id,
    )
    notify.queue_reminders(date(2026, 11, 23))
    notify.queue_reminders(date(2026, 11, 24))
    asked = [m for m in _messages().values() if m.event_key.startswith("action-to-confirm:")]
    assert [(m.event_key, m.recipient_id) for m in asked] == [
        (f"action-to-confirm:{action.id}", org.people["service_manager"].id)
    ]
    assert f"/actions/{action.id}/confirm" in asked[0].body
