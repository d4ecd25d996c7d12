"""The sampling of a supervisor's files, kept with the supervisor's own supervision file.

Coventry's policy expects "the supervisor's line manager will record the sampling in the
supervisor's own supervision records" (003_2701f8fa2326f2b4.txt, 9.2). So the page of a
person's own supervision file lists the audits of the files they supervise, and a panel
"For your next supervision" lists those completed since their last session, for the line
manager to note at the next one. Each person sees only the audits they may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from audit_tools.frequency_rules import Citation
from qa.access import audit_scope
from qa.audits.models import Audit
from qa.audits.record import grade_story
from qa.audits.states import SHARED, AuditState
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile, SupervisionSession
from qa.profiles.service import in_force


@dataclass(frozen=True)
class SampledAudit:
    """One audit of a file the supervisor supervises: whose file, by whom, how far it has
    gone, its outcome once there is one, and when it was completed (submitted)."""

    audit: Audit
    supervisee: Staff
    outcome: str | None
    completed_on: date | None


@dataclass(frozen=True)
class SamplingRecord:
    """The audits of the files a person supervises, newest first; those completed since the
    last session on their own file (`for_next_session`); and the policy's words, where the
    council profile in force says where the sampling is recorded."""

    supervisor: Staff
    supervises: bool
    audits: list[SampledAudit]
    for_next_session: list[SampledAudit]
    last_session: date | None
    citation: Citation


def sampling_record(user: Staff, own_file: SupervisionFile) -> SamplingRecord:
    """The sampling record on `own_file`, the supervision file of the person it belongs to,
    as `user` may see it (the caller has checked `user` may see the file)."""
    rows = db.session.execute(
        select(Audit, Staff)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(
            SupervisionFile.supervisor_id == own_file.supervisee_id,
            Audit.state != AuditState.CANCELLED,
            audit_scope(user),
        )
        .order_by(Audit.created_at.desc(), Audit.id.desc())
    ).all()
    audits = [_sampled(audit, person) for audit, person in rows]
    last = db.session.scalar(
        select(func.max(SupervisionSession.held_on)).where(
            SupervisionSession.file_id == own_file.id
        )
    )
    waiting = [
        found
        for found in audits
        if found.audit.state in SHARED
        and found.completed_on is not None
        and (last is None or found.completed_on > last)
    ]
    supervises = db.session.scalar(
        select(func.count(SupervisionFile.id)).where(
            SupervisionFile.supervisor_id == own_file.supervisee_id
        )
    )
    return SamplingRecord(
        own_file.supervisee,
        bool(supervises),
        audits,
        waiting,
        last,
        in_force().profile.sampling_record,
    )


def _sampled(audit: Audit, supervisee: Staff) -> SampledAudit:
    outcome = grade_story(audit).outcome if audit.state in SHARED else None
    return SampledAudit(audit, supervisee, outcome, _day(audit.submitted_at))


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None
