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
from sqlalchemy.exc import IntegrityError

from audit_tools.schema import GRADES
from qa.access import may_correct, may_reply, sign_off_refusal
from qa.audits.models import Audit, AuditAmendment, Reply
from qa.audits.record import outcome, replies
from qa.audits.service import AuditError, answers_of, tool_for
from qa.audits.states import AuditState, move
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.formatting import long_date
from qa.jobs.notify import AUDIT_PATH, Message, link_to, queue, signed_message
from qa.org.models import Staff, SupervisionFile
from qa.profiles.service import stamp as profile_stamp
from qa.reports.audit_pdf import keep_audit_pdf


class RepliesOutstanding(AuditError):
    """The reply window is open and the signer has not said they sign before it closes."""


def _require_signer(user: Staff, audit: Audit) -> None:
    refusal = sign_off_refusal(user, audit)
    if refusal is not None:
        raise AuditError(refusal)


def replies_outstanding(audit: Audit) -> list[Staff]:
    """The supervisor and supervisee who have not replied while the reply window is open."""
    if audit.reply_due is None or audit.reply_due < today():
        return []
    replied = {r.staff_id for r in replies(audit)}
    people = (audit.file.supervisor, audit.file.supervisee)
    return [p for p in dict.fromkeys(people) if p is not None and p.id not in replied]


def sign_off(
    audit: Audit,
    user: Staff,
    comment: str,
    *,
    early: bool = False,
    agreed_grade: str | None = None,
    agreed_reason: str = "",
) -> Audit | None:
    """Sign the audit off; schedule a re-audit when the outcome is inadequate.

    While the supervisor or supervisee can still reply, the signer must say they are signing
    before the replies are in (`early`); a reply made later is added to the record as an
    addendum. A signer who grades the file differently gives the grade and why. Returns the
    re-audit when one was scheduled.
    """
    _require_signer(user, audit)
    waiting = replies_outstanding(audit)
    if waiting and not early:
        raise RepliesOutstanding(
            "Confirm that you are signing off before the replies are in: "
            f"{' and '.join(p.name for p in waiting)} can reply until "
            f"{long_date(audit.reply_due)}"
        )
    if agreed_grade is not None:
        if agreed_grade not in GRADES:
            raise AuditError("Select the grade you agree")
        if not agreed_reason.strip():
            raise AuditError("Say why you give a different grade from the auditor's")
    move(audit, AuditState.SIGNED_OFF, user, comment.strip())
    audit.sign_off_comment = comment.strip()
    audit.agreed_grade = agreed_grade
    audit.agreed_grade_reason = agreed_reason.strip() if agreed_grade else ""
    if early and waiting:
        record(
            user,
            "audit_signed_before_replies",
            "audit",
            audit.id,
            f"signed before the reply window closed on {long_date(audit.reply_due)}",
        )
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
        sign_off_rule=audit.sign_off_rule,
    )
    reaudit.profile_name, reaudit.profile_version = profile_stamp()
    db.session.add(reaudit)
    db.session.flush()
    record(user, "reaudit_scheduled", "audit", reaudit.id, f"re-audit of audit {audit.id}")
    return reaudit


def return_audit(audit: Audit, user: Staff, reason: str) -> None:
    if not reason.strip():
        raise AuditError("Enter why you are returning the audit")
    _require_signer(user, audit)
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
    """Record the person's one reply. After sign-off it is an addendum to the signed record:
    a new revision of the kept PDF shows it (the first is never changed) and the signer is
    told."""
    if not may_reply(user, audit):
        raise AuditError("Only the supervisor and the supervisee can reply to this audit")
    if kind not in ("acknowledged", "responded"):
        raise AuditError("Select whether you acknowledge the audit or want to respond")
    if kind == "responded" and not text.strip():
        raise AuditError("Enter your response")
    if _reply_of(audit, user) is not None:
        raise AuditError("You have already sent your reply to this audit")
    found = Reply(
        audit_id=audit.id,
        staff_id=user.id,
        kind=kind,
        text=text.strip(),
        at=now(),
        after_sign_off=audit.state == AuditState.SIGNED_OFF,
    )
    db.session.add(found)
    try:
        db.session.flush()
    except IntegrityError:  # the same reply posted twice at once: the first one stands
        db.session.rollback()
        raise AuditError("You have already sent your reply to this audit") from None
    record(user, f"reply_{kind}", "audit", audit.id)
    if audit.state == AuditState.SIGNED_OFF:
        _add_to_signed_record(audit, user, found)
    db.session.commit()
    return found


def _reply_of(audit: Audit, user: Staff) -> Reply | None:
    return db.session.scalar(
        select(Reply).where(Reply.audit_id == audit.id, Reply.staff_id == user.id)
    )


def _add_to_signed_record(audit: Audit, user: Staff, found: Reply) -> None:
    keep_audit_pdf(audit, user, addendum=True)
    signer = audit.signed_off_by
    if signer is None or signer.has_left(today()):
        return
    what = "acknowledged" if found.kind == "acknowledged" else "responded to"
    queue(
        Message(
            f"reply-after-sign-off:{found.id}",
            signer,
            "A reply to an audit you signed off",
            signed_message(
                f"Dear {signer.name},\n\n{user.name} has {what} the audit of "
                f"{audit.file.supervisee.name}'s supervision file ({audit.file.reference}) "
                f"that you signed off on {long_date(audit.signed_off_at)}. The reply has "
                "been added to the signed record as an addendum.\n\n"
                f"Read it: {link_to(AUDIT_PATH.format(audit_id=audit.id))}"
            ),
        )
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
    in_tool = [question.key for _, question in tool_for(audit).questions()]
    answered = set(before) | set(now_)
    # The tool's order, then anything else answered (the overall judgement) by key: the
    # database gives answers back in no set order.
    keys = [k for k in in_tool if k in answered] + sorted(answered - set(in_tool))
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
