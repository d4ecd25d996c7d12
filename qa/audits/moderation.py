"""Moderation: a QA officer scores an audit blind, then sees both and agrees the result.

While the moderator is scoring, no page or response they can fetch shows the auditor's
answers (`blinds`); the audit page refuses them until they submit. Each question's pair of
answers is kept, so agreement (weighted kappa) and each auditor's drift can be computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, or_, select

from audit_tools.schema import GRADES, Tool
from audit_tools.scoring import AnswerProblem, check_answers, score
from qa.access import may_moderate, may_work_on_moderation
from qa.access.blind import blinds as blinds  # the blind is an access rule, used from here
from qa.audits.listing import STAGES, AuditFilters, audit_order, audits_query
from qa.audits.models import Audit, Moderation, ModerationAnswer
from qa.audits.service import AuditError, answers_of, tool_for
from qa.audits.states import AuditState
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.lists import Page, page_of
from qa.org.models import Staff
from sampling import selection as draw_lib
from sampling.periods import period_bounds, period_key

MODERATED_STATES = (AuditState.SUBMITTED, AuditState.SIGNED_OFF)
# The audits list's stages a moderator can narrow the candidates to: one moderated state each.
STAGE_CHOICES = {
    value: label
    for value, (label, states) in STAGES.items()
    if len(states) == 1 and states[0] in MODERATED_STATES
}


def audit_to_moderate(audit_id: int) -> Audit | None:
    """Any audit by id: QA officers see the whole service."""
    return db.session.get(Audit, audit_id)


def moderation_of_user(user: Staff, moderation_id: int) -> Moderation | None:
    """The person's own moderation, or None (another moderator's is not theirs to see)."""
    found = db.session.get(Moderation, moderation_id)
    if found is None or not may_work_on_moderation(user, found):
        return None
    return found


def refusal(audit: Audit, moderator: Staff) -> str | None:
    """Why `moderator` may not moderate `audit`, or None when they may."""
    if not may_moderate(moderator):
        return "Only quality assurance officers moderate audits"
    if audit.state not in MODERATED_STATES:
        return "Only a submitted or signed-off audit can be moderated"
    if audit.auditor_id == moderator.id:
        return "You cannot moderate an audit you completed"
    return None


def choose(audit: Audit, moderator: Staff, chosen_by: str = "officer") -> Moderation:
    refused = refusal(audit, moderator)
    if refused is not None:
        raise AuditError(refused)
    existing = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    if existing is not None:
        return existing
    moderation = Moderation(
        audit_id=audit.id,
        moderator_id=moderator.id,
        state="scoring",
        chosen_by=chosen_by,
        created_at=now(),
    )
    db.session.add(moderation)
    db.session.flush()
    record(moderator, "moderation_chosen", "audit", audit.id, chosen_by)
    db.session.commit()
    return moderation


def draw_share(
    moderator: Staff, share: float, seed: str | None = None
) -> tuple[str, list[Moderation]]:
    """Choose a share of this quarter's unmoderated audits at random, with the same
    verifiable draw as the selections. Returns the seed and the moderations made."""
    if not 0 < share <= 1:
        raise AuditError("Enter a share between 1% and 100%")
    start, end = period_bounds(period_key("quarterly", today()))
    moderated = select(Moderation.audit_id)
    candidates = list(
        db.session.scalars(
            select(Audit.id).where(
                Audit.state.in_(MODERATED_STATES),
                Audit.auditor_id != moderator.id,
                Audit.id.not_in(moderated),
                Audit.submitted_at >= start,
            )
        )
    )
    seed = seed or draw_lib.new_seed()
    k = max(1, round(len(candidates) * share)) if candidates else 0
    picked = draw_lib.draw(seed, [f"A{c:06d}" for c in candidates], k).selected
    made = [choose(db.session.get(Audit, int(ref[1:])), moderator, "random") for ref in picked]  # type: ignore[arg-type]
    record(
        moderator,
        "moderation_drawn",
        "moderation",
        None,
        f"seed {seed}, {len(made)} of {len(candidates)}",
    )
    db.session.commit()
    return seed, made


def submit_scores(
    moderation: Moderation,
    moderator: Staff,
    answers: Mapping[str, str],
    comments: Mapping[str, str],
) -> list[AnswerProblem]:
    """Record the moderator's blind answers; then the pairs are kept per question."""
    if moderation.moderator_id != moderator.id or moderation.state != "scoring":
        raise AuditError("This moderation is not waiting for your scores")
    tool = tool_for(moderation.audit)
    given = {k: v for k, v in answers.items() if v}
    problems = check_answers(tool, given, comments, require_all=True)
    if problems:
        return problems
    auditor = {k: a.answer for k, a in answers_of(moderation.audit).items()}
    for _, question in tool.questions():
        mine = given.get(question.key)
        theirs = auditor.get(question.key)
        moderation.answers.append(
            ModerationAnswer(
                question_key=question.key,
                answer=mine,
                comment=comments.get(question.key, "").strip(),
                auditor_answer=theirs,
                agreed=mine == theirs,
            )
        )
    result = score(tool, given)
    moderation.moderator_score = result.overall
    moderation.moderator_grade = result.grade
    moderation.state = "compare"
    moderation.submitted_at = now()
    record(moderator, "moderation_scored", "audit", moderation.audit_id)
    db.session.commit()
    return []


def agree(moderation: Moderation, moderator: Staff, grade: str, note: str) -> None:
    if moderation.moderator_id != moderator.id or moderation.state != "compare":
        raise AuditError("Score the audit before recording the agreed result")
    if grade not in GRADES:
        raise AuditError("Select the agreed grade")
    if not note.strip():
        raise AuditError("Enter a note of how the result was agreed")
    moderation.agreed_grade = grade
    moderation.agreed_note = note.strip()
    moderation.agreed_at = now()
    moderation.state = "agreed"
    record(moderator, "moderation_agreed", "audit", moderation.audit_id, grade)
    db.session.commit()


def for_moderator(user: Staff) -> list[Moderation]:
    return list(
        db.session.scalars(
            select(Moderation)
            .where(Moderation.moderator_id == user.id)
            .order_by(Moderation.state != "scoring", Moderation.created_at.desc())
        )
    )


def candidates_query(user: Staff, wanted: AuditFilters) -> Select[Any]:
    """Submitted and signed-off audits not yet chosen for moderation that the person did not
    complete, narrowed by the audits list's filters."""
    return audits_query(user, wanted).where(
        Audit.state.in_(MODERATED_STATES),
        Audit.id.not_in(select(Moderation.audit_id)),
        or_(Audit.auditor_id.is_(None), Audit.auditor_id != user.id),
    )


def candidates_page(user: Staff, wanted: AuditFilters, page: int = 1) -> Page[Audit]:
    """The audits to choose from, 50 a page."""
    return page_of(candidates_query(user, wanted), audit_order(wanted), page)


def choose_many(audit_ids: Sequence[int], moderator: Staff) -> list[Moderation]:
    """Moderate each chosen audit, or none of them when one cannot be: the error names each
    file that cannot be moderated and why."""
    wanted = set(audit_ids)
    if not wanted:
        raise AuditError("Select the audits you want to moderate")
    found = list(db.session.scalars(select(Audit).where(Audit.id.in_(wanted)).order_by(Audit.id)))
    if len(found) != len(wanted):
        raise AuditError("One of the chosen audits no longer exists. Choose the audits again")
    problems = [
        f"{audit.file.supervisee.name}'s file: {reason.lower()}"
        for audit in found
        if (reason := refusal(audit, moderator)) is not None
    ]
    if problems:
        raise AuditError("Nothing was chosen. " + "; ".join(problems))
    return [choose(audit, moderator) for audit in found]


def side_by_side(
    moderation: Moderation, tool: Tool
) -> list[tuple[str, str | None, str | None, bool | None]]:
    pairs = {a.question_key: a for a in moderation.answers}
    return [
        (q.text, pairs[q.key].auditor_answer, pairs[q.key].answer, pairs[q.key].agreed)
        for _, q in tool.questions()
        if q.key in pairs
    ]
