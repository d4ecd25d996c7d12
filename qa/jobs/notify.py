"""Reminders by e-mail: each event makes one message in the outbox, sent by SMTP when it is
configured and otherwise kept there for administrators to read.

Every message has an event key (``audit-assigned:12``, ``signoff-waiting:7:2026-11-23``...)
that is unique in the table, and is inserted with ON CONFLICT DO NOTHING, so running the
reminders twice, or in two processes at once, never makes a second message for one event.

A message says what to do in plain English and links to the page. It carries only names,
dates and links: never an audit answer, a comment or anything said about wellbeing, because
e-mail leaves the service's access control.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from qa.access import SIGNERS, may_sign_off
from qa.actions.models import Action
from qa.actions.states import ActionState
from qa.audits.models import Audit
from qa.audits.service import sign_off_queue
from qa.audits.states import EDITABLE, AuditState
from qa.clock import now
from qa.config import base_url
from qa.extensions import db
from qa.formatting import long_date
from qa.jobs import settings
from qa.jobs.models import OutboxMessage
from qa.org.models import Staff

DUE_SOON_DAYS = 7
OPEN_STATES = EDITABLE
SMTP_TIMEOUT_SECONDS = 30
AUDIT_PATH = "/audits/{audit_id}"
CONFIRM_PATH = "/actions/{action_id}/confirm"
SIGN_OFF_PATH = "/audits/sign-off"
ACTIONS_PATH = "/actions/"


@dataclass(frozen=True)
class Message:
    event_key: str
    recipient: Staff
    subject: str
    body: str

    @property
    def kind(self) -> str:
        return self.event_key.split(":", 1)[0]


def queue_reminders(on: date) -> dict[str, int]:
    """Queue every reminder due on this day that was not queued before; new ones by kind."""
    counts: dict[str, int] = {}
    for message in [*_audit_messages(on), *_sign_off_messages(on), *_action_messages(on)]:
        counts.setdefault(message.kind, 0)
        counts[message.kind] += queue(message)
    db.session.commit()
    return counts


def queue(message: Message) -> bool:
    """Add the message to the outbox unless its event already has one; True when added."""
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = (
        insert(OutboxMessage)
        .values(
            event_key=message.event_key,
            recipient_id=message.recipient.id,
            to_address=message.recipient.email,
            subject=message.subject,
            body=message.body,
            created_at=now(),
            status="queued",
            error="",
        )
        .on_conflict_do_nothing(index_elements=["event_key"])
        .returning(OutboxMessage.id)
    )
    return db.session.execute(statement).first() is not None


def link_to(path: str) -> str:
    """The full address of a page, on the address the service runs on (`base_url`)."""
    return base_url(current_app.config) + path


def signed_message(body: str) -> str:
    config = current_app.config
    return (
        f"{body}\n\n"
        f"This message comes from {config['SERVICE_NAME']}, {config['COUNCIL_NAME']}. "
        "Sign in to see the details: e-mails never contain audit answers or comments."
    )


def _audit_messages(on: date) -> Iterator[Message]:
    audits = db.session.scalars(
        select(Audit)
        .where(Audit.state.in_(OPEN_STATES), Audit.auditor_id.is_not(None))
        .order_by(Audit.id)
    )
    for audit in audits:
        auditor = audit.auditor
        if auditor is None or auditor.has_left(on):
            continue
        whose = f"the supervision file of {audit.file.supervisee.name} ({audit.file.reference})"
        link = link_to(AUDIT_PATH.format(audit_id=audit.id))
        due = long_date(audit.due_on)
        if audit.state == AuditState.SELECTED:
            yield Message(
                f"audit-assigned:{audit.id}",
                auditor,
                f"Audit a supervision file by {due}",
                signed_message(
                    f"Dear {auditor.name},\n\nYou have been asked to audit {whose}.\n\n"
                    f"Complete and submit the audit by {due}.\n\nOpen the audit: {link}"
                ),
            )
        if audit.due_on < on:
            yield Message(
                f"audit-overdue:{audit.id}",
                auditor,
                f"Overdue: the audit due on {due}",
                signed_message(
                    f"Dear {auditor.name},\n\nYour audit of {whose} was due on {due} and has "
                    "not been submitted.\n\nComplete and submit it as soon as you can. If you "
                    f"cannot, tell your line manager.\n\nOpen the audit: {link}"
                ),
            )
        elif audit.due_on - timedelta(days=DUE_SOON_DAYS) <= on:
            yield Message(
                f"audit-due-soon:{audit.id}",
                auditor,
                f"Reminder: your audit is due on {due}",
                signed_message(
                    f"Dear {auditor.name},\n\nYour audit of {whose} is due on {due}.\n\n"
                    f"Complete and submit it by then.\n\nOpen the audit: {link}"
                ),
            )


def _sign_off_messages(on: date) -> Iterator[Message]:
    heads = db.session.scalars(select(Staff).where(Staff.role.in_(SIGNERS)).order_by(Staff.id))
    for head in heads:
        if head.has_left(on):
            continue
        waiting = [a for a in sign_off_queue(head) if may_sign_off(head, a)]
        if not waiting:
            continue
        lines = "\n".join(
            f"- {a.file.supervisee.name} ({a.file.reference}), audited by "
            f"{a.auditor.name if a.auditor else 'an auditor'}, submitted on "
            f"{long_date(a.submitted_at)}: {link_to(AUDIT_PATH.format(audit_id=a.id))}"
            for a in waiting
        )
        count = "1 audit is" if len(waiting) == 1 else f"{len(waiting)} audits are"
        yield Message(
            f"signoff-waiting:{head.id}:{on.isoformat()}",
            head,
            f"{count} waiting for your sign-off",
            signed_message(
                f"Dear {head.name},\n\n{count} waiting for your sign-off:\n\n{lines}\n\n"
                "Read each one, then sign it off or return it to the auditor with a reason.\n\n"
                f"See all audits waiting for sign-off: {link_to(SIGN_OFF_PATH)}"
            ),
        )


def _action_messages(on: date) -> Iterator[Message]:
    yield from _to_confirm_messages(on)
    actions = db.session.scalars(
        select(Action).where(Action.status == ActionState.OPEN).order_by(Action.id)
    )
    for action in actions:
        owner = action.owner
        if owner.has_left(on):
            continue
        due = long_date(action.due_on)
        source = f"the audit of the supervision file of {action.audit.file.supervisee.name}"
        if action.due_on < on:
            kind, subject, first = (
                "action-overdue",
                f"Overdue: an action for you was due on {due}",
                f"An action raised for you by {source} was due on {due} and is not marked done.",
            )
        elif action.due_on - timedelta(days=DUE_SOON_DAYS) <= on:
            kind, subject, first = (
                "action-due-soon",
                f"Reminder: an action for you is due on {due}",
                f"An action raised for you by {source} is due on {due}.",
            )
        else:
            continue
        yield Message(
            f"{kind}:{action.id}",
            owner,
            subject,
            signed_message(
                f"Dear {owner.name},\n\n{first}\n\nOpen your actions to see what it asks, and "
                f"mark it done with a note when it is: {link_to(ACTIONS_PATH)}"
            ),
        )


def _to_confirm_messages(on: date) -> Iterator[Message]:
    """Whoever raised an action is told, once, when its owner has marked it done: it is not
    closed until they (or the area's head of service) confirm it was."""
    actions = db.session.scalars(
        select(Action).where(Action.status == ActionState.DONE).order_by(Action.id)
    )
    for action in actions:
        raiser = action.created_by
        if raiser is None or raiser.id == action.owner_id or raiser.has_left(on):
            continue
        whose = action.audit.file.supervisee.name
        yield Message(
            f"action-to-confirm:{action.id}",
            raiser,
            "An action you raised is marked done: please confirm it",
            signed_message(
                f"Dear {raiser.name},\n\n{action.owner.name} has marked done an action you "
                f"raised on the audit of {whose}'s supervision file. It stays open until "
                "you check it was done and confirm it.\n\n"
                f"Confirm it: {link_to(CONFIRM_PATH.format(action_id=action.id))}"
            ),
        )


def deliver_pending() -> dict[str, int]:
    """Send every message not yet sent, when SMTP is configured; otherwise keep them in the
    outbox. A message that cannot be sent is marked failed with the error and tried again on
    the next run."""
    pending = list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status != "sent").order_by(OutboxMessage.id)
        )
    )
    if not settings.text("SMTP_HOST"):
        for message in pending:
            message.status = "outbox"
        db.session.commit()
        return {"kept in the outbox": len(pending)}
    counts = {"sent": 0, "not sent": 0}
    try:
        with _connect() as smtp:
            for message in pending:
                try:
                    smtp.send_message(_email(message))
                except smtplib.SMTPException as exc:
                    _failed(message, exc)
                    counts["not sent"] += 1
                else:
                    message.status, message.sent_at, message.error = "sent", now(), ""
                    counts["sent"] += 1
                db.session.commit()
    except (OSError, smtplib.SMTPException) as exc:
        for message in pending:
            if message.status != "sent":
                _failed(message, exc)
        db.session.commit()
        counts["not sent"] = sum(1 for m in pending if m.status == "failed")
    return counts


def _connect() -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        settings.text("SMTP_HOST"), settings.integer("SMTP_PORT"), timeout=SMTP_TIMEOUT_SECONDS
    )
    try:
        if settings.flag("SMTP_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if username := settings.text("SMTP_USERNAME"):
            smtp.login(username, str(current_app.config.get("SMTP_PASSWORD") or ""))
    except BaseException:
        smtp.close()
        raise
    return smtp


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.text("MAIL_SENDER")
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


def _failed(message: OutboxMessage, error: BaseException) -> None:
    message.status = "failed"
    message.error = f"{type(error).__name__}: {error}"[:2000]
