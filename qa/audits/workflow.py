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

from qa.access import can_sign_off, sees_everything
from qa.audits.models import Audit, AuditAmendment, Moderation, Reply
from qa.audits.service import AuditError, answers_of
from qa.audits.states import move
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile


def area_of(audit: Audit) -> int | None:
    return audit.file.supervisee.service_area_id


def outcome(audit: Audit) -> str | None:
    """The audit's outcome: the moderated grade when agreed, else the auditor's judgement."""
    moderation = moderation_of(audit)
    if moderation is not None and moderation.agreed_grade:
        return moderation.agreed_grade
    return audit.auditor_judgement or audit.computed_grade


def moderation_of(audit: Audit) -> Moderation | None:
    return db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))


def sign_off_queue(user: Staff) -> list[Audit]:
    """Submitted audits in the head of service's area, oldest first."""
    if user.role != "head_of_service" or user.service_area_id is None:
        return []
    return list(
        db.session.scalars(
            select(Audit)
            .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
            .join(Staff, Staff.id == SupervisionFile.supervisee_id)
            .where(Audit.state == "submitted", Staff.service_area_id == user.service_area_id)
            .order_by(Audit.submitted_at, Audit.id)
        )
    )


def _require_head(user: Staff, audit: Audit) -> None:
    if not can_sign_off(user, area_of(audit)):
        raise AuditError("Only the head of service for this area can sign off or return it")
    if audit.auditor_id == user.id:
        raise AuditError("You audited this file, so another head of service must sign it off")


def sign_off(audit: Audit, user: Staff, comment: str) -> Audit | None:
    """Sign the audit off; schedule a re-audit when the outcome is inadequate.

    Returns the re-audit when one was scheduled.
    """
    _require_head(user, audit)
    move(audit, "signed_off", user, comment.strip())
    audit.sign_off_comment = comment.strip()
    reaudit = None
    if outcome(audit) == "inadequate":
        reaudit = _schedule_reaudit(audit, user)
    from qa.reports.audit_pdf import keep_audit_pdf

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
        state="selected",
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
    move(audit, "returned", user, reason.strip())
    audit.returned_reason = reason.strip()
    db.session.commit()


def can_correct(user: Staff, audit: Audit) -> bool:
    return audit.state == "signed_off" and (
        sees_everything(user) or can_sign_off(user, area_of(audit))
    )


def start_correction(audit: Audit, user: Staff, reason: str) -> None:
    """Unlock a signed-off audit as a new version; the signed-off version is kept whole."""
    if not reason.strip():
        raise AuditError("Enter why the audit needs correcting")
    if not can_correct(user, audit):
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
    move(audit, "in_progress", user, f"correction to version {audit.version_no + 1}: {reason}")
    audit.version_no += 1
    audit.signed_off_at = None
    audit.signed_off_by_id = None
    audit.sign_off_comment = ""
    db.session.commit()


def amendments(audit: Audit) -> list[tuple[AuditAmendment, dict[str, object]]]:
    rows = db.session.scalars(
        select(AuditAmendment)
        .where(AuditAmendment.audit_id == audit.id)
        .order_by(AuditAmendment.version_no)
    )
    return [(row, json.loads(row.snapshot)) for row in rows]


def may_reply(user: Staff, audit: Audit) -> bool:
    """The file's supervisor and its supervisee reply once the audit is submitted."""
    return audit.state in ("submitted", "returned", "signed_off") and user.id in (
        audit.file.supervisor_id,
        audit.file.supervisee_id,
    )


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


def replies(audit: Audit) -> list[Reply]:
    return list(
        db.session.scalars(select(Reply).where(Reply.audit_id == audit.id).order_by(Reply.at))
    )


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
                Audit.state.in_(("submitted", "signed_off")),
                (SupervisionFile.supervisor_id == user.id)
                | (SupervisionFile.supervisee_id == user.id),
                Audit.id.not_in(replied),
                Audit.reply_due >= today(),
            )
            .order_by(Audit.reply_due)
        )
    )
