"""Completing an audit: starting it, saving sections, checking answers, submitting.

Only the assigned auditor may change an audit, and only before it is submitted (or after it
has been returned). Saves are guarded by a version number, so when two people save the same
audit the second is told, instead of silently overwriting the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import current_app
from sqlalchemy import case, select, update
from werkzeug.exceptions import NotFound

from audit_tools.frequency import add_working_days
from audit_tools.schema import GRADES, Tool
from audit_tools.scoring import AnswerProblem, Result, check_answers, meets_standard, score
from audit_tools.tool import Question
from qa.access import audit_scope, may_edit_audit, sign_off_scope
from qa.actions.models import Action
from qa.audits.facts import FileFacts, file_facts
from qa.audits.models import Audit, AuditAnswer
from qa.audits.states import EDITABLE, AuditState, move
from qa.audits.tools import get_tool
from qa.cases.audit import case_suggestions
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile
from qa.profiles.service import frequency_rules_of
from sampling.periods import months_before

WELLBEING_PLACEHOLDER = "Wellbeing discussion"


class AuditError(Exception):
    """The audit cannot be changed this way; the message says why."""


class Conflict(AuditError):
    """Someone else saved the audit since this page was opened."""


def my_audits(user: Staff) -> list[Audit]:
    """The person's audits to do, overdue first, then by due date."""
    overdue = case((Audit.due_on < today(), 0), else_=1)
    return list(
        db.session.scalars(
            select(Audit)
            .where(Audit.auditor_id == user.id, Audit.state.in_(EDITABLE))
            .order_by(overdue, Audit.due_on, Audit.id)
        )
    )


def get_audit(user: Staff, audit_id: int) -> Audit:
    """An audit the user may read, or 404 (the same answer whether it exists or not)."""
    found = db.session.scalar(
        select(Audit)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(Audit.id == audit_id, audit_scope(user))
    )
    if found is None:
        raise NotFound
    return found


def tool_for(audit: Audit) -> Tool:
    return get_tool(audit.tool_id, audit.tool_version)


def start(audit: Audit, actor: Staff) -> None:
    """Begin the audit: fix the tool version and the window, and suggest the answers the
    imported sessions and agreement can tell (the auditor checks and may change them)."""
    if audit.state != AuditState.SELECTED:
        return
    tool = get_tool(audit.tool_id)
    move(audit, AuditState.IN_PROGRESS, actor, f"{tool.id} version {tool.version}")
    audit.tool_version = tool.version
    audit.started_at = now()
    audit.window_end = today()
    months = int(current_app.config.get("AUDIT_WINDOW_MONTHS", 6))
    audit.window_start = months_before(audit.window_end, months)
    suggestions = facts_for(audit).suggestions()
    suggestions.update(case_suggestions(audit))
    for _, question in tool.questions():
        if question.prefill and question.prefill in suggestions:
            answer, reason = suggestions[question.prefill]
            db.session.add(
                AuditAnswer(
                    audit=audit,
                    question_key=question.key,
                    answer=answer,
                    prefilled=answer,
                    prefill_reason=reason,
                )
            )
    db.session.commit()


def facts_for(audit: Audit) -> FileFacts:
    end = audit.window_end or today()
    begin = audit.window_start or months_before(end, 6)
    rules = frequency_rules_of(audit.profile_name, audit.profile_version, audit.created_at.date())
    return file_facts(audit.file, begin, end, rules)


def answers_of(audit: Audit) -> dict[str, AuditAnswer]:
    return {a.question_key: a for a in audit.answers}


def answer_values(audit: Audit) -> dict[str, str]:
    return {k: a.answer for k, a in answers_of(audit).items() if a.answer}


def save_section(
    audit: Audit,
    section_key: str,
    answers: Mapping[str, str],
    comments: Mapping[str, str],
    lock_version: int,
    actor: Staff,
    *,
    complete: bool,
) -> list[AnswerProblem]:
    """Save one section's answers and comments.

    `complete` (the Continue button) needs every question in the section answered; saving
    to come back later needs only that what is given is allowed. A suggested answer the
    auditor changes needs a comment saying why. Returns the problems; nothing is saved
    when there are any.
    """
    if not may_edit_audit(actor, audit):
        raise AuditError("Only the assigned auditor can change this audit before it is submitted")
    tool = tool_for(audit)
    section = tool.section(section_key)
    keys = [q.key for q in section.questions]
    given = {k: answers[k] for k in keys if answers.get(k)}
    notes = {k: comments.get(k, "").strip() for k in keys}
    problems = check_answers(tool, given, notes, keys=keys, require_all=complete)
    existing = answers_of(audit)
    for key in keys:
        row = existing.get(key)
        if row and row.prefilled and given.get(key) and given[key] != row.prefilled:
            if not notes[key]:
                problems.append(
                    AnswerProblem(key, "comment", "Say why you changed the suggested answer")
                )
    if problems:
        return problems
    _claim(audit, lock_version)
    for key in keys:
        row = existing.get(key) or AuditAnswer(audit=audit, question_key=key)
        row.answer = given.get(key)
        row.comment = notes[key]
        db.session.add(row)
    if audit.state == AuditState.SELECTED:
        move(audit, AuditState.IN_PROGRESS, actor)
    record(actor, "audit_edited", "audit", audit.id, f"section {section_key}")
    db.session.commit()
    return []


def _claim(audit: Audit, lock_version: int) -> None:
    """Move the audit's version on by one, or raise Conflict if someone else already did."""
    done = db.session.execute(
        update(Audit)
        .where(Audit.id == audit.id, Audit.lock_version == lock_version)
        .values(lock_version=lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict(
            "Someone else saved this audit after you opened the page. Your answers were not "
            "saved: the page now shows the latest answers. Enter your changes again."
        )
    audit.lock_version = lock_version + 1


def result_of(audit: Audit) -> Result:
    return score(tool_for(audit), answer_values(audit))


def _record_judgement(audit: Audit, question: Question, judgement: str) -> None:
    row = answers_of(audit).get(question.key) or AuditAnswer(audit=audit, question_key=question.key)
    row.answer = judgement
    db.session.add(row)


def judgement_question(tool: Tool) -> Question | None:
    """The tool's question that asks the auditor's overall judgement (on the four-point
    judgement scale), if it has one: then the judgement is asked there, and only there."""
    found = [q for _, q in tool.questions() if q.scale == "judgement"]
    return found[-1] if found else None


def submit(
    audit: Audit, judgement: str | None, reason: str, lock_version: int, actor: Staff
) -> list[AnswerProblem]:
    """Submit for sign-off: every question answered, evidence where needed, the auditor's
    own overall judgement given. The computed grade is stored beside it."""
    if not may_edit_audit(actor, audit):
        raise AuditError("Only the assigned auditor can submit this audit")
    tool = tool_for(audit)
    values = answer_values(audit)
    comments = {k: a.comment for k, a in answers_of(audit).items()}
    problems = check_answers(tool, values, comments, require_all=True)
    asked = judgement_question(tool)
    if asked is not None:
        if judgement in GRADES and values.get(asked.key) != judgement:
            _record_judgement(audit, asked, judgement)  # given here, kept as that answer
            values[asked.key] = judgement
            problems = [p for p in problems if p.question_key != asked.key or p.field != "answer"]
        judgement = values.get(asked.key)
    elif judgement not in GRADES:
        problems.append(AnswerProblem("judgement", "answer", "Select your overall judgement"))
    judgement = judgement or ""
    result = score(tool, values)
    if judgement in GRADES and result.grade and judgement != result.grade and not reason.strip():
        problems.append(
            AnswerProblem(
                "judgement",
                "comment",
                "Say why your judgement differs from the grade the answers give",
            )
        )
    if judgement in GRADES and needs_an_action(tool, values, judgement) and not _has_action(audit):
        problems.append(
            AnswerProblem(
                "judgement",
                "answer",
                "Raise at least one action before you submit: a file below good, or short of "
                "the standard on a critical question, needs an action to bring it up to standard",
            )
        )
    if problems:
        return problems
    _claim(audit, lock_version)
    audit.overall_score = result.overall
    audit.computed_grade = result.grade
    audit.auditor_judgement = judgement
    audit.judgement_reason = reason.strip()
    move(audit, AuditState.SUBMITTED, actor, f"grade {result.grade}")
    audit.reply_due = add_working_days(today(), current_app.config.get("REPLY_WORKING_DAYS", 10))
    db.session.commit()
    return []


def needs_an_action(tool: Tool, values: dict[str, str], judgement: str) -> bool:
    """Coventry 9.3 and 9.4 (003_2701f8fa2326f2b4.txt): the audit is recorded "along with
    written details of any action required to bring the selected supervision file up to
    required standards". A file judged below good, or short of the standard on a critical
    question, has such an action."""
    if judgement in ("requires_improvement", "inadequate"):
        return True
    return any(
        meets_standard(tool, q, values.get(q.key, "")) is False
        for _, q in tool.questions()
        if q.critical
    )


def _has_action(audit: Audit) -> bool:
    return (
        db.session.scalar(select(Action.id).where(Action.audit_id == audit.id).limit(1)) is not None
    )


def shown_comment(tool: Tool, question_key: str, comment: str, viewer_is_auditor: bool) -> str:
    """What a comment shows as: wellbeing content never leaves the auditor's own form.

    Haringey's rule (004_fde0c66ff807e5b0.txt): for internal audits, personal wellbeing
    content is replaced with "wellbeing discussion".
    """
    question = tool.question(question_key)
    if question.sensitive and comment and not viewer_is_auditor:
        return WELLBEING_PLACEHOLDER
    return comment


def overdue(audit: Audit, on: date | None = None) -> bool:
    return audit.is_overdue(on or today())


def sign_off_queue(user: Staff) -> list[Audit]:
    """Submitted audits whose sign-off falls to the person (see `sign_off_scope`), oldest
    first."""
    return list(
        db.session.scalars(
            select(Audit)
            .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
            .join(Staff, Staff.id == SupervisionFile.supervisee_id)
            .where(Audit.state == AuditState.SUBMITTED, sign_off_scope(user))
            .order_by(Audit.submitted_at, Audit.id)
        )
    )
