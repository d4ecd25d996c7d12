"""What an audit's record says: its outcome, its moderation, its replies and its earlier
versions. Read by the workflow, the audit pages and the kept PDF alike."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from qa.audits.models import Audit, AuditAmendment, Moderation, Reply
from qa.audits.states import AuditState
from qa.extensions import db
from qa.formatting import long_date
from sampling.policies import SIGN_OFF_RULE_LABELS


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


def sign_off_words(audit: Audit) -> str:
    """Who signs the audit off, in words ("the head of service for the file's service
    area"), from the sign-off rule of the policy it was drawn under."""
    return SIGN_OFF_RULE_LABELS.get(audit.sign_off_rule, "the person who signs it off")


def outcome(audit: Audit) -> str | None:
    """The audit's outcome: the grade agreed after moderation, else the grade agreed at
    sign-off, else the auditor's judgement, else the grade the answers give."""
    return grade_story(audit).outcome


@dataclass(frozen=True)
class GradeLine:
    label: str
    grade: str
    note: str


@dataclass(frozen=True)
class GradeStory:
    """Every grade the audit has been given, each labelled, and the one that counts."""

    lines: tuple[GradeLine, ...]
    outcome: str | None
    why: str


def grade_story(audit: Audit) -> GradeStory:
    """The grade from the answers, the auditor's judgement (an override says why), the grade
    agreed at sign-off and after moderation; the latest of these is the outcome."""
    lines: list[GradeLine] = []
    found: str | None = None
    why = "No grade yet: the audit has not been submitted."
    if audit.computed_grade:
        lines.append(GradeLine("Grade from the answers", audit.computed_grade, ""))
        found, why = audit.computed_grade, "The outcome is the grade the answers give."
    if audit.auditor_judgement:
        differs = audit.computed_grade and audit.auditor_judgement != audit.computed_grade
        note = f"Overrides the grade from the answers: {audit.judgement_reason}" if differs else ""
        lines.append(GradeLine("Auditor's judgement", audit.auditor_judgement, note))
        found = audit.auditor_judgement
        why = (
            "The outcome is the auditor's judgement, which overrides the grade from the answers."
            if differs
            else "The auditor's judgement agrees with the grade from the answers."
        )
    if audit.agreed_grade:
        signer = audit.signed_off_by.name if audit.signed_off_by else "the signer"
        lines.append(
            GradeLine("Grade agreed at sign-off", audit.agreed_grade, audit.agreed_grade_reason)
        )
        found = audit.agreed_grade
        why = f"The outcome is the grade {signer} agreed at sign-off, in place of the auditor's."
    moderation = moderation_of(audit)
    if moderation is not None and moderation.agreed_grade:
        lines.append(
            GradeLine(
                "Grade agreed after moderation", moderation.agreed_grade, moderation.agreed_note
            )
        )
        found = moderation.agreed_grade
        why = "The outcome is the grade agreed after moderation by quality assurance."
    return GradeStory(tuple(lines), found, why)


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
