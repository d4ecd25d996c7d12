"""What an audit's record says: its outcome, its moderation, its replies and its earlier
versions. Read by the workflow, the audit pages and the kept PDF alike."""

from __future__ import annotations

import json

from sqlalchemy import select

from qa.audits.models import Audit, AuditAmendment, Moderation, Reply
from qa.extensions import db


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
