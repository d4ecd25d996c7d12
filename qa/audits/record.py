"""What an audit's record says: its outcome, its moderation, its replies and its earlier
versions. Read by the workflow, the audit pages and the kept PDF alike."""

from __future__ import annotations

import json

from sqlalchemy import select

from qa.audits.models import Audit, AuditAmendment, Moderation, Reply
from qa.audits.states import AuditState
from qa.extensions import db
from qa.formatting import long_date


def where_it_stands(audit: Audit) -> str:
    """One sentence on the audit's state, for a page opened from an old link or a second tab
    after someone moved the audit on."""
    if audit.state == AuditState.SUBMITTED:
        return (
            f"This audit was submitted on {long_date(audit.submitted_at)} and is waiting for "
            "sign-off, so it can no longer be changed."
        )
    if audit.state == AuditState.SIGNED_OFF:
        signer = audit.signed_off_by.name if audit.signed_off_by else "the head of service"
        return (
            f"This audit was signed off by {signer} on {long_date(audit.signed_off_at)}. "
            "It is locked."
        )
    if audit.state == AuditState.RETURNED:
        return "This audit was returned to the auditor, so it is not waiting for sign-off."
    if audit.state == AuditState.CANCELLED:
        return "This audit was cancelled, so it can no longer be changed."
    return "This audit has not been submitted yet."


def outcome(audit: Audit) -> str | None:
    """The audit's outcome: the moderated grade when agreed, else the auditor's judgement."""
    moderation = moderation_of(audit)
    if moderation is not None and moderation.agreed_grade:
        return moderation.agreed_grade
    return audit.auditor_judgement or audit.computed_grade


def moderation_of(audit: Audit) -> Moderation | None:
    return db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))


def amendments(audit: Audit) -> list[tuple[AuditAmendment, dict[str, object]]]:
    rows = db.session.scalars(
        select(AuditAmendment)
        .where(AuditAmendment.audit_id == audit.id)
        .order_by(AuditAmendment.version_no)
    )
    return [(row, json.loads(row.snapshot)) for row in rows]


def replies(audit: Audit) -> list[Reply]:
    return list(
        db.session.scalars(select(Reply).where(Reply.audit_id == audit.id).order_by(Reply.at))
    )
