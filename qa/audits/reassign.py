"""Giving audits to another auditor: one or several of a selection's unsubmitted audits, to
someone who may audit every one of them, with a reason kept in the event log; the new
auditor is e-mailed. Answers already saved stay with the audit for the new auditor."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from qa.access import Forbidden, auditor_refusal, may_reassign
from qa.access.rules import AUDITORS
from qa.audits.models import Audit
from qa.audits.service import AuditError
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.formatting import long_date
from qa.jobs.notify import AUDIT_PATH, Message, link_to, queue, signed_message
from qa.org.models import Staff


def reassignable(user: Staff, audits: Sequence[Audit]) -> list[Audit]:
    """The audits in `audits` that `user` may give to someone else."""
    return [audit for audit in audits if may_reassign(user, audit)]


def possible_auditors(audits: Sequence[Audit]) -> list[Staff]:
    """Everyone who may be given at least one of `audits`, by name."""
    on = today()
    people = db.session.scalars(
        select(Staff).where(Staff.role.in_(AUDITORS)).order_by(Staff.name, Staff.id)
    )
    return [p for p in people if any(auditor_refusal(p, a, on) is None for a in audits)]


def person(staff_id: int | None) -> Staff | None:
    """The person chosen to make the audits, if there is one with that id."""
    return db.session.get(Staff, staff_id) if staff_id else None


def reassign(actor: Staff, audits: Sequence[Audit], to: Staff, reason: str) -> None:
    """Give every audit in `audits` to `to`, or none of them: raises Forbidden if the actor
    may not move one, and AuditError naming each audit `to` may not be given."""
    if not audits:
        raise AuditError("Select at least one audit to give to someone else")
    if not reason.strip():
        raise AuditError("Enter why the audits are being given to someone else")
    if not all(may_reassign(actor, audit) for audit in audits):
        raise Forbidden
    on = today()
    refusals = [
        f"{audit.file.supervisee.name}'s file: {why}"
        for audit in audits
        if (why := auditor_refusal(to, audit, on)) is not None
    ]
    if refusals:
        raise AuditError(f"{to.name} cannot be given " + "; ".join(refusals))
    for audit in audits:
        before = audit.auditor.name if audit.auditor else "no one"
        audit.auditor_id = to.id
        audit.lock_version += 1
        record(
            actor, "audit_reassigned", "audit", audit.id, f"From {before} to {to.name}: {reason}"
        )
        queue(_message(audit, to, actor))
    db.session.commit()


def _message(audit: Audit, to: Staff, actor: Staff) -> Message:
    whose = f"the supervision file of {audit.file.supervisee.name} ({audit.file.reference})"
    due = long_date(audit.due_on)
    return Message(
        f"audit-reassigned:{audit.id}:{to.id}:{now().isoformat()}",
        to,
        f"Audit a supervision file by {due}",
        signed_message(
            f"Dear {to.name},\n\n{actor.name} has given you the audit of {whose}.\n\n"
            f"Complete and submit the audit by {due}.\n\n"
            f"Open the audit: {link_to(AUDIT_PATH.format(audit_id=audit.id))}"
        ),
    )
