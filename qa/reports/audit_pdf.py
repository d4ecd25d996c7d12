"""The audit record PDF: the audit "noted, signed and dated on the supervision record, along
with written details of any action required" (Coventry policy 9.3 and 9.4,
003_2701f8fa2326f2b4.txt).

It is made once, when the audit is signed off, in the sign-off's own transaction, and kept
in `StoredDocument` (kind "audit", one row per version of the audit), so the same bytes are
served every time. A correction signed off again makes the next version; the earlier ones
stay downloadable. Wellbeing comments never appear: they show as "Wellbeing discussion".
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden, NotFound

from audit_tools.schema import ANSWER_LABELS, Tool
from audit_tools.scoring import Result, grade_label, meets_standard, score
from qa.actions.service import actions_of
from qa.audits import moderation
from qa.audits.facts import FileFacts
from qa.audits.models import Audit, Reply, StoredDocument
from qa.audits.record import amendments, moderation_of, outcome, replies
from qa.audits.service import (
    WELLBEING_PLACEHOLDER,
    AuditError,
    answer_values,
    answers_of,
    facts_for,
    get_audit,
    shown_comment,
    tool_for,
)
from qa.audits.states import AuditState
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.formatting import long_date
from qa.jobs.retention import anonymised_audit_ids
from qa.org.models import Staff
from qa.reports.method import VERIFY_STEPS, SelectionStatement, selection_statement
from qa.reports.pdf import render_pdf

KIND = "audit"
LAYOUT = "pdf/audit.html"
log = logging.getLogger(__name__)


class RecordNotMade(AuditError):
    """The audit record PDF could not be made, so the sign-off cannot stand."""


@dataclass(frozen=True)
class AnswerLine:
    number: str
    text: str
    answer: str
    evidence: str
    wellbeing: bool
    critical: bool
    meets_standard: bool | None


@dataclass(frozen=True)
class SectionLines:
    number: int
    title: str
    score: float | None
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class AuditRecord:
    """Everything the audit record shows, read from the database once."""

    audit: Audit
    tool: Tool
    result: Result
    facts: FileFacts
    sections: tuple[SectionLines, ...]
    limiting: tuple[str, ...]
    outcome: str
    moderated_by: str | None
    actions: list
    replies: list[Reply]
    addenda: list[Reply]
    earlier_versions: list[tuple[int, str, str]]
    selection: SelectionStatement | None
    origin: str


def audit_record(audit: Audit) -> AuditRecord:
    tool = tool_for(audit)
    result = score(tool, answer_values(audit))
    moderated = moderation_of(audit)
    said = replies(audit)
    return AuditRecord(
        audit=audit,
        tool=tool,
        result=result,
        facts=facts_for(audit),
        sections=_sections(audit, tool, result),
        limiting=tuple(tool.question(key).text for key in result.limited_by),
        outcome=grade_label(outcome(audit)),
        moderated_by=(
            moderated.moderator.name if moderated is not None and moderated.agreed_grade else None
        ),
        actions=actions_of(audit),
        replies=[r for r in said if not r.after_sign_off],
        addenda=[r for r in said if r.after_sign_off],
        earlier_versions=[
            (row.version_no, str(snap.get("signed_off_by") or "nobody"), row.reason)
            for row, snap in amendments(audit)
        ],
        selection=selection_statement(audit.run, audit) if audit.run is not None else None,
        origin=_origin(audit),
    )


def _sections(audit: Audit, tool: Tool, result: Result) -> tuple[SectionLines, ...]:
    answers = answers_of(audit)
    found = []
    for number, (section, scored) in enumerate(
        zip(tool.sections, result.sections, strict=True), start=1
    ):
        lines = []
        for index, question in enumerate(section.questions, start=1):
            row = answers.get(question.key)
            value = row.answer if row else None
            evidence = shown_comment(tool, question.key, row.comment if row else "", False)
            lines.append(
                AnswerLine(
                    number=f"{number}.{index}",
                    text=question.text,
                    answer=ANSWER_LABELS.get(value or "", "Not answered"),
                    evidence=evidence,
                    wellbeing=evidence == WELLBEING_PLACEHOLDER and question.sensitive,
                    critical=question.critical,
                    meets_standard=meets_standard(tool, question, value or ""),
                )
            )
        found.append(SectionLines(number, section.title, scored.score, tuple(lines)))
    return tuple(found)


def _origin(audit: Audit) -> str:
    """How the file came to be audited, in a sentence."""
    if audit.reaudit_of_id is not None:
        return (
            f"This is a re-audit of audit {audit.reaudit_of_id}, scheduled because that "
            "audit's outcome was inadequate."
        )
    if audit.run is None:
        return "This audit was not drawn by a selection run."
    if audit.replaces_id is not None:
        return (
            f"The file was drawn by selection run {audit.run_id} as the next reserve in "
            f"ticket order, in place of audit {audit.replaces_id}, which was cancelled."
        )
    return f"The file was drawn at random by selection run {audit.run_id}."


def reference(audit: Audit) -> str:
    return f"Audit {audit.id}, version {audit.version_no}"


def make_audit_pdf(audit: Audit, revision: int = 0) -> bytes:
    """The audit record as PDF bytes, dated by the sign-off (a later revision, which adds
    the replies made after sign-off, by the time it is made)."""
    return render_pdf(LAYOUT, **record_layout(audit, revision))


def record_layout(audit: Audit, revision: int = 0) -> dict[str, Any]:
    """What the audit record's layout is given: its date, its reference and what it shows."""
    if audit.state != AuditState.SIGNED_OFF or audit.signed_off_at is None:
        raise RecordNotMade("Only a signed-off audit has an audit record")
    suffix = f"-r{revision}" if revision else ""
    return {
        "made_at": now() if revision else audit.signed_off_at,
        "reference": f"audit-{audit.id}-v{audit.version_no}{suffix}",
        "record": audit_record(audit),
        "reference_text": reference(audit),
        "verify_steps": VERIFY_STEPS,
    }


def keep_audit_pdf(audit: Audit, actor: Staff | None, *, addendum: bool = False) -> StoredDocument:
    """Make the signed-off audit's record and add it to the caller's transaction.

    With `addendum`, a reply has come after sign-off: the record is made again as the next
    revision of the same version, showing it; the records kept before are never changed.
    Raises RecordNotMade (an AuditError, so the sign-off page says so) if it cannot be
    made; the caller rolls back, so there is never a signed-off audit without its record.
    """
    revision = _next_revision(audit) if addendum else 0
    try:
        content = make_audit_pdf(audit, revision)
    except RecordNotMade:
        raise
    except Exception as exc:
        log.exception("The record of audit %s could not be made", audit.id)
        raise RecordNotMade(
            "The audit record (PDF) could not be made, so the audit has not been signed off. "
            "Try again; if it happens again, tell your service's administrator."
        ) from exc
    document = StoredDocument(
        kind=KIND,
        subject_id=audit.id,
        version_no=audit.version_no,
        revision=revision,
        filename=(
            f"audit-{audit.id}-version-{audit.version_no}"
            + (f"-addendum-{revision}" if revision else "")
            + ".pdf"
        ),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_at=now() if revision else (audit.signed_off_at or now()),
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(document)
    return document


def _next_revision(audit: Audit) -> int:
    latest = db.session.scalar(
        select(func.max(StoredDocument.revision)).where(
            StoredDocument.kind == KIND,
            StoredDocument.subject_id == audit.id,
            StoredDocument.version_no == audit.version_no,
        )
    )
    return 0 if latest is None else latest + 1


@dataclass(frozen=True)
class RecordLink:
    """A download on the audit's page: the current record (version None) or an earlier one."""

    text: str
    version: int | None
    revision: int | None = None


def record_links(audit: Audit) -> list[RecordLink]:
    """The audit records that can be downloaded, the current one first."""
    kept = db.session.execute(
        select(StoredDocument.version_no, func.min(StoredDocument.created_at))
        .where(StoredDocument.kind == KIND, StoredDocument.subject_id == audit.id)
        .group_by(StoredDocument.version_no)
        .order_by(StoredDocument.version_no.desc())
    ).all()
    current = audit.state == AuditState.SIGNED_OFF and (
        any(version == audit.version_no for version, _ in kept) or _can_make_now(audit)
    )
    links = [RecordLink("Download the audit record (PDF)", None)] if current else []
    if current and _next_revision(audit) > 1:
        links.append(
            RecordLink(
                "Download the record as it was signed, before the replies added after "
                f"sign-off (PDF), signed off {long_date(audit.signed_off_at)}",
                audit.version_no,
                0,
            )
        )
    for version, made in kept:
        if not (current and version == audit.version_no):
            text = f"Download version {version} of the audit record (PDF), signed off"
            links.append(RecordLink(f"{text} {long_date(made)}", version))
    return links


def _can_make_now(audit: Audit) -> bool:
    """A signed-off audit without a kept record (signed off before records were kept) can
    have it made, unless retention has anonymised the audit and removed its record."""
    return audit.state == AuditState.SIGNED_OFF and not anonymised_audit_ids([audit.id])


def audit_record_pdf(
    user: Staff, audit_id: int, version: int | None, revision: int | None = None
) -> StoredDocument:
    """The kept audit record the user asked for, logged as an export.

    The current version unless `version` is given. The access policy decides, through
    `get_audit`: 404 for an audit the user may not read. A signed-off audit whose record
    was never kept gets it now, dated by its sign-off.
    """
    audit = get_audit(user, audit_id)
    if moderation.blinds(user, audit):
        raise Forbidden
    wanted = version
    if wanted is None and audit.state == AuditState.SIGNED_OFF:
        wanted = audit.version_no
    document = _kept(audit, wanted, revision)
    if (
        document is None
        and wanted == audit.version_no
        and revision is None
        and _can_make_now(audit)
    ):
        document = keep_audit_pdf(audit, user)
    if document is None:
        raise NotFound
    record(user, "exported", "audit", audit.id, f"audit record PDF, version {document.version_no}")
    db.session.commit()
    return document


def _kept(audit: Audit, version: int | None, revision: int | None = None) -> StoredDocument | None:
    """The kept record of that version, or the latest kept when no version is given; of a
    version with addenda, its latest revision."""
    query = select(StoredDocument).where(
        StoredDocument.kind == KIND, StoredDocument.subject_id == audit.id
    )
    if version is not None:
        query = query.where(StoredDocument.version_no == version)
    if revision is not None:
        query = query.where(StoredDocument.revision == revision)
    return db.session.scalar(
        query.order_by(StoredDocument.version_no.desc(), StoredDocument.revision.desc()).limit(1)
    )
