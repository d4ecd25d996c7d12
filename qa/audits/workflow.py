"""After submission: sign-off, return, corrections, re-audit and the right of reply.

Heads of service sign off or return submitted audits of their own area. A signed-off audit
is locked; a correction makes a new version, keeping the old one whole. An inadequate
outcome schedules a re-audit of the same file with the same tool.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from qa.access import may_correct, may_reply, sign_off_refusal, sign_off_scope
from qa.audits.models import Audit, AuditAmendment, Reply
from qa.audits.record import outcome
from qa.audits.service import AuditError, answers_of
from qa.audits.states import AuditState, move
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile
from qa.reports.audit_pdf import keep_audit_pdf


def sign_off_queue(user: Staff) -> list[Audit]:
    """Submitted audits in the head of service's area, oldest first."""
    return list(
        db.session.scalars(
            select(Audit)
            .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
            .join(Staff, Staff.id == SupervisionFile.supervisee_id)
            .where(Audit.state == AuditState.SUBMITTED, sign_off_scope(user))
            .order_by(Audit.submitted_at, Audit.id)
        )
    )


def _require_head(user: Staff, audit: Audit) -> None:
    refusal = sign_off_refusal(user, audit)
    if refusal is not None:
        raise AuditError(refusal)


def sign_off(audit: Audit, user: Staff, comment: str) -> Audit | None:
    """Sign the audit off; schedule a re-audit when the outcome is inadequate.

    Returns the re-audit when one was scheduled.
    """
    _require_head(user, audit)
    move(audit, AuditState.SIGNED_OFF, user, comment.strip())
    audit.sign_off_comment = comment.strip()
    reaudit = None
    if outcome(audit) == "inadequate":
        reaudit = _schedule_reaudit(audit, user)
    try:
        keep_audit_pdf(audit, user)  # the signed record, kept in the same transaction
    except AuditError:
        db.session.rollback()
        raise
    db.session.commit()
    return reaudit


def _schedule_reaudit(audit: Audit, user: Staff) -> Audit:
    weeks = int(current_app.config.get("REAUDIT_WEEKS", 8))
    reaudit = Audit(
        file_id=audit.file_id,
        auditor_id=audit.auditor_id,
        tool_id=audit.tool_id,
        due_on=today() + timedelta(weeks=weeks),
        state=AuditState.SELECTED,
        created_at=now(),
        reaudit_of_id=audit.id,
        draw_label="re-audit",
    )
    db.session.add(reaudit)
    db.session.flush()
    record(user, "reaudit_scheduled", "audit", reaudit.id, f"re-audit of audit {audit.id}")
    return reaudit


def return_audit(audit: Audit, user: Staff, reason: str) -> None:
    if not reason.strip():
        raise AuditError("Enter why you are returning the audit")
    _require_head(user, audit)
    move(audit, AuditState.RETURNED, user, reason.strip())
    audit.returned_reason = reason.strip()
    db.session.commit()


def start_correction(audit: Audit, user: Staff, reason: str) -> None:
    """Unlock a signed-off audit as a new version; the signed-off version is kept whole."""
    if not reason.strip():
        raise AuditError("Enter why the audit needs correcting")
    if not may_correct(user, audit):
        raise AuditError(
            "Only QA or the head of service for the area can correct a signed-off audit"
        )
    snapshot = {
        "version_no": audit.version_no,
        "answers": {k: [a.answer, a.comment] for k, a in answers_of(audit).items()},
        "computed_grade": audit.computed_grade,
        "auditor_judgement": audit.auditor_judgement,
        "judgement_reason": audit.judgement_reason,
        "overall_score": audit.overall_score,
        "signed_off_by": audit.signed_off_by.name if audit.signed_off_by else None,
        "signed_off_at": audit.signed_off_at.isoformat() if audit.signed_off_at else None,
        "sign_off_comment": audit.sign_off_comment,
    }
    db.session.add(
        AuditAmendment(
            audit_id=audit.id,
            version_no=audit.version_no,
            reason=reason.strip(),
            snapshot=json.dumps(snapshot),
            created_at=now(),
            created_by_id=user.id,
        )
    )
    move(
        audit,
        AuditState.IN_PROGRESS,
        user,
        f"correction to version {audit.version_no + 1}: {reason}",
    )
    audit.version_no += 1
    audit.signed_off_at = None
    audit.signed_off_by_id = None
    audit.sign_off_comment = ""
    db.session.commit()


def reply(audit: Audit, user: Staff, kind: str, text: str) -> Reply:
    if not may_reply(user, audit):
        raise AuditError("Only the supervisor and the supervisee can reply to this audit")
    if kind not in ("acknowledged", "responded"):
        raise AuditError("Select whether you acknowledge the audit or want to respond")
    if kind == "responded" and not text.strip():
        raise AuditError("Enter your response")
    found = Reply(audit_id=audit.id, staff_id=user.id, kind=kind, text=text.strip(), at=now())
    db.session.add(found)
    record(user, f"reply_{kind}", "audit", audit.id)
    db.session.commit()
    return found


def reaudit_comparison(audit: Audit) -> list[tuple[str, str | None, str | None]]:
    """For a re-audit: (question key, answer last time, answer now), those that fell short
    last time first."""
    if audit.reaudit_of_id is None:
        return []
    first = db.session.get(Audit, audit.reaudit_of_id)
    if first is None:
        return []
    before = {k: a.answer for k, a in answers_of(first).items()}
    now_ = {k: a.answer for k, a in answers_of(audit).items()}
    keys = list(before) + [k for k in now_ if k not in before]
    short = [
        k for k in keys if before.get(k) not in ("yes", "outstanding", "good", "not_applicable")
    ]
    rest = [k for k in keys if k not in short]
    return [(k, before.get(k), now_.get(k)) for k in short + rest]


def replies_due(user: Staff) -> list[Audit]:
    """Submitted audits of files the person supervises or is the supervisee of, not yet
    replied to by them."""
    replied = select(Reply.audit_id).where(Reply.staff_id == user.id)
    return list(
        db.session.scalars(
            select(Audit)
            .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
            .where(
                Audit.state.in_((AuditState.SUBMITTED, AuditState.SIGNED_OFF)),
                (SupervisionFile.supervisor_id == user.id)
                | (SupervisionFile.supervisee_id == user.id),
                Audit.id.not_in(replied),
                Audit.reply_due >= today(),
            )
            .order_by(Audit.reply_due)
        )
    )
