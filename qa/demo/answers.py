"""The demo auditors' answers, comments, actions and moderations (see `qa.demo.history`).

Seeded and plausible: each team has its own level; one is good and steady, one improves over
the history, one gets worse, and one has a month when its audits fall far short (the month
it lost its team manager and a practice supervisor); some questions are harder to meet than
others; evidence is short and never personal (sensitive questions say only that wellbeing was
discussed); about one audit in seven is moderated, mostly agreeing, except one auditor who
marks generously.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, insert, select

from audit_tools.schema import GRADES, SCALES, Question, Tool
from audit_tools.scoring import score
from qa.actions.models import Action
from qa.actions.states import ActionState
from qa.audits.models import Audit, Moderation, ModerationAnswer
from qa.demo.words import ACTIONS, COMMENTS, JUDGEMENT_REASONS, OVERALL
from qa.extensions import db
from qa.org.models import Staff
from qa.roles import Role
from sampling.periods import long_date

STEADY_TEAM = "Safeguarding North"
IMPROVING_TEAM = "Children in Care"
DETERIORATING_TEAM = "Safeguarding South"
SPECIAL_CAUSE_TEAM = "Front Door and Assessment"
MODERATED_SHARE = 0.1
LENIENT_SHARE = 0.6  # the QA officer has noticed one auditor's high scores and checks more
# How much easier (+) or harder (-) each question is to meet than the team's usual standard.
EASE = {
    "child_safe": 0.14,
    "agreement_on_file": 0.12,
    "agreement_signed": 0.05,
    "decisions_recorded": 0.05,
    "sessions_at_interval": 0.04,
    "views_shaped_plan": -0.22,
    "disagreement_escalated": -0.2,
    "equality_discussed": -0.16,
    "anti_discriminatory_practice": -0.12,
    "signed_by_both": -0.12,
    "recorded_on_time": -0.1,
    "impact_on_child": -0.08,
    "agreement_reviewed": -0.08,
}
OFTEN_NOT_APPLICABLE = {"disagreement_recorded", "disagreement_action", "disagreement_escalated"}


@dataclass
class Audited:
    """An audit being filled in, with what the answers depend on."""

    audit: Audit
    team: str
    asye: bool
    supervisor_id: int
    area_id: int | None
    progress: float  # 0 at the start of the history, 1 at its end
    bad_month: bool = False  # signed off in the special-cause team's bad month


def first_staff(where: ColumnElement[bool]) -> Staff | None:
    """The first member of staff (by id) matching `where`."""
    return db.session.scalar(select(Staff).where(where).order_by(Staff.id).limit(1))


def mark_bad_month(done: list[Audited]) -> str | None:
    """Mark the audits of the special-cause team signed off in its bad month: the month with
    any of its audits nearest the middle of the history. That month, as "2026-03"."""
    months = {
        item.audit.signed_off_at.strftime("%Y-%m"): item.progress
        for item in done
        if item.team == SPECIAL_CAUSE_TEAM and item.audit.signed_off_at is not None
    }
    if not months:
        return None
    bad = min(sorted(months), key=lambda month: abs(months[month] - 0.55))
    for item in done:
        signed = item.audit.signed_off_at
        if item.team == SPECIAL_CAUSE_TEAM and signed and signed.strftime("%Y-%m") == bad:
            item.bad_month = True
    return bad


def _ability(item: Audited) -> float:
    """How likely the team is to meet the standard at this point in the history: one team
    is good and steady, one improves, one gets worse, one has a bad month, the others keep
    their own level."""
    change = 1 / (1 + math.exp(-(item.progress - 0.55) * 12))  # most of it in the second year
    if item.bad_month:
        return 0.2
    if item.team == STEADY_TEAM:
        return 0.9
    if item.team == IMPROVING_TEAM:
        return 0.4 + 0.52 * change
    if item.team == DETERIORATING_TEAM:
        return 0.9 - 0.6 * change
    return 0.64 + 0.2 * random.Random(item.team).random()  # noqa: S311 (a team's own level)


def answer_rows(item: Audited, tool: Tool, rng: random.Random) -> list[dict[str, object]]:
    """The auditor's answers and comments for one audit; sets its score and grades."""
    level = _ability(item) + rng.gauss(0, 0.07)
    answers: dict[str, str] = {}
    for section, question in tool.questions():
        if question.scale == "judgement":
            continue
        answers[question.key] = _answer(question, section.key, item, level, rng)
    overall = score(tool, answers).overall or 0.5  # provisional: before the judgement
    for _, question in tool.questions():
        if question.scale == "judgement":
            answers[question.key] = _judgement(tool, overall, rng)
    result = score(tool, answers)
    audit = item.audit
    audit.overall_score = result.overall
    audit.computed_grade = result.grade
    audit.auditor_judgement = result.grade
    if result.grade and rng.random() < 0.1:
        audit.auditor_judgement = _neighbour(GRADES, result.grade, rng)
        audit.judgement_reason = rng.choice(JUDGEMENT_REASONS)
    held = audit.window_end or audit.created_at.date()
    rows = []
    for section, question in tool.questions():
        value = answers[question.key]
        rows.append(
            {
                "audit_id": audit.id,
                "question_key": question.key,
                "answer": value,
                "comment": _comment(question, section.key, value, held, rng),
                "prefill_reason": "",
            }
        )
    return rows


def _answer(
    question: Question, section: str, item: Audited, level: float, rng: random.Random
) -> str:
    if question.allow_not_applicable:
        if question.key == "asye_support" and not item.asye:
            return "not_applicable"
        chance = 0.45 if question.key in OFTEN_NOT_APPLICABLE else 0.03
        if rng.random() < chance:
            return "not_applicable"
    ease = EASE.get(question.key, 0.0)
    if "smart_actions" in question.themes:
        ease += 0.2 * item.progress - 0.08  # training on SMART actions is paying off
    if section == "childs_voice":
        ease -= 0.08 * item.progress
    meets = rng.random() < min(0.98, max(0.03, level + ease))
    if meets:
        return "yes"
    return "partly" if rng.random() < 0.6 else "no"


def _judgement(tool: Tool, overall: float, rng: random.Random) -> str:
    grade = tool.band_grade(overall)
    return _neighbour(GRADES, grade, rng) if rng.random() < 0.15 else grade


def _neighbour(values: tuple[str, ...], value: str, rng: random.Random) -> str:
    i = values.index(value)
    choices = [values[j] for j in (i - 1, i + 1) if 0 <= j < len(values)]
    return rng.choice(choices)


def _comment(question: Question, section: str, answer: str, held: date, rng: random.Random) -> str:
    if answer == "not_applicable":
        return ""
    if question.sensitive:
        return f"Wellbeing discussed on {long_date(held - timedelta(days=rng.randint(3, 40)))}"
    if question.scale == "judgement":
        return OVERALL[answer]
    falls_short, meets = COMMENTS.get(question.key) or COMMENTS[section]
    if (question.score_of(answer) or 0.0) < 1.0:
        return rng.choice(falls_short)
    return rng.choice(meets) if rng.random() < 0.2 else ""


def add_actions(done: list[Audited], today: date, rng: random.Random) -> int:
    """Actions for audits that fell short: most done, some open, some overdue."""
    rows = []
    for item in done:
        audit = item.audit
        grade = audit.auditor_judgement
        count = {"inadequate": 2, "requires_improvement": 1}.get(grade or "", 0)
        if grade == "good" and rng.random() < 0.2:
            count = 1
        assert audit.signed_off_at is not None
        for _ in range(count):
            raised = audit.signed_off_at
            due = raised.date() + timedelta(days=rng.choice((14, 28, 28, 42)))
            chance = 0.92 if due < today - timedelta(days=14) else 0.5 if due < today else 0.15
            finished = rng.random() < chance
            latest = min(due, today - timedelta(days=1))
            done_at = raised + timedelta(days=rng.randint(1, max(1, (latest - raised.date()).days)))
            rows.append(
                {
                    "audit_id": audit.id,
                    "description": rng.choice(ACTIONS),
                    "owner_id": item.supervisor_id,
                    "due_on": due,
                    "status": ActionState.CONFIRMED if finished else ActionState.OPEN,
                    "created_at": raised,
                    "created_by_id": audit.auditor_id,
                    "done_at": done_at if finished else None,
                    "done_note": "Done and checked on the file." if finished else "",
                    "confirmed_at": done_at + timedelta(hours=3) if finished else None,
                    "confirmed_by_id": audit.auditor_id if finished else None,
                }
            )
    if rows:
        db.session.execute(insert(Action), rows)
    return len(rows)


def moderate(
    done: list[Audited],
    answers: list[list[dict[str, object]]],
    tool: Tool,
    today: date,
    rng: random.Random,
) -> int:
    """About one in seven audits scored again by the QA officer, mostly agreeing; one auditor
    marks more generously than the moderators."""
    moderator = first_staff(Staff.role == Role.QA_OFFICER)
    if moderator is None:
        return 0
    generous = first_staff(Staff.role == Role.SERVICE_MANAGER)
    made: list[tuple[Moderation, list[tuple[str, str, str]]]] = []
    for item, rows in zip(done, answers, strict=True):
        audit = item.audit
        assert audit.signed_off_at is not None
        recent = audit.signed_off_at.date() > today - timedelta(days=14)
        lenient = generous is not None and audit.auditor_id == generous.id
        if recent or rng.random() > (LENIENT_SHARE if lenient else MODERATED_SHARE):
            continue
        theirs = {str(r["question_key"]): str(r["answer"]) for r in rows}
        mine = {key: _moderated(tool, key, value, lenient, rng) for key, value in theirs.items()}
        result = score(tool, mine)
        began = audit.signed_off_at + timedelta(days=rng.randint(1, 6))
        moderation = Moderation(
            audit_id=audit.id,
            moderator_id=moderator.id,
            state="agreed",
            chosen_by="officer" if lenient or rng.random() < 0.5 else "random",
            created_at=began,
            submitted_at=began + timedelta(days=2),
            agreed_at=began + timedelta(days=3),
            moderator_score=result.overall,
            moderator_grade=result.grade,
            agreed_grade=result.grade if lenient else audit.auditor_judgement,
            agreed_note="Agreed with the auditor at the moderation meeting.",
        )
        db.session.add(moderation)
        made.append((moderation, [(key, theirs[key], mine[key]) for key in theirs]))
    db.session.flush()
    rows = [
        {
            "moderation_id": moderation.id,
            "question_key": key,
            "answer": value,
            "comment": "",
            "auditor_answer": auditor,
            "agreed": value == auditor,
        }
        for moderation, pairs in made
        for key, auditor, value in pairs
    ]
    if rows:
        db.session.execute(insert(ModerationAnswer), rows)
    return len(made)


def _moderated(tool: Tool, key: str, answer: str, lenient: bool, rng: random.Random) -> str:
    """The moderator's answer: the auditor's, or a near miss (lower for a lenient auditor)."""
    question = tool.question(key)
    if answer == "not_applicable" or rng.random() > (0.3 if lenient else 0.1):
        return answer
    answers = SCALES[question.scale].answers  # best first
    step = 1 if lenient or rng.random() < 0.5 else -1  # lenient auditors' answers are too high
    return answers[min(max(answers.index(answer) + step, 0), len(answers) - 1)]
