"""How far an audit's answers have got, for the task list and check answers, and what
changed under a save refused because someone else saved first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from audit_tools.schema import Section, Tool
from audit_tools.scoring import check_answers
from qa.audits.models import Audit
from qa.audits.service import answer_values, answers_of
from qa.events.models import Event
from qa.extensions import db


@dataclass(frozen=True)
class SectionStatus:
    """How far a section has got. `problems` counts what submitting would refuse in it: an
    unanswered question, or an answer without the evidence it needs."""

    section: Section
    answered: int
    problems: int

    @property
    def complete(self) -> bool:
        return self.problems == 0

    @property
    def label(self) -> str:
        if self.answered == 0:
            return "Not started"
        return "Completed" if self.complete else "In progress"


def section_statuses(audit: Audit, tool: Tool) -> list[SectionStatus]:
    values = answer_values(audit)
    comments = {k: a.comment for k, a in answers_of(audit).items()}
    statuses = []
    for section in tool.sections:
        keys = [q.key for q in section.questions]
        problems = check_answers(tool, values, comments, keys=keys, require_all=True)
        statuses.append(SectionStatus(section, sum(1 for k in keys if k in values), len(problems)))
    return statuses


@dataclass(frozen=True)
class Difference:
    """A question whose saved answer or evidence differs from what the person typed."""

    question: str
    saved_answer: str | None
    saved_comment: str
    typed_answer: str | None
    typed_comment: str


def differences(
    audit: Audit, section: Section, answers: Mapping[str, str], comments: Mapping[str, str]
) -> list[Difference]:
    """Where the saved answers of a section differ from the ones the person typed."""
    saved = answers_of(audit)
    found = []
    for question in section.questions:
        row = saved.get(question.key)
        theirs = (row.answer if row else None) or None, (row.comment if row else "") or ""
        mine = answers.get(question.key) or None, (comments.get(question.key) or "").strip()
        if theirs != mine:
            found.append(Difference(question.text, *theirs, *mine))
    return found


def last_save(audit: Audit) -> Event | None:
    """The latest save of the audit's answers, to say who saved and when."""
    return db.session.scalar(
        select(Event)
        .where(
            Event.subject_type == "audit",
            Event.subject_id == audit.id,
            Event.action == "audit_edited",
        )
        .order_by(Event.at.desc(), Event.id.desc())
        .limit(1)
    )
