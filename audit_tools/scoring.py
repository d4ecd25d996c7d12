"""Scoring and grading an audit, and checking an auditor's answers before they are saved.

The rules (DESIGN.md section 5): a section's score is the weighted mean of its applicable
answered questions; the overall score is the weighted mean, by section weight, of the
sections that have a score, so a section where every question is not applicable is left
out rather than counted as zero. The grade comes from the tool's bands, then the *limiting
judgement*: a critical question answered at the bottom of its scale caps the grade at the
tool's `limiting_cap`. An unanswered question is never given a default answer, and an
audit has no grade until every question is answered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from audit_tools.schema import (
    ANSWER_LABELS,
    BAND_TOLERANCE,
    GRADE_LABELS,
    SCALES,
    Question,
    Section,
    Tool,
)
from audit_tools.vocabulary import NOT_APPLICABLE, worse_grade


@dataclass(frozen=True)
class SectionScore:
    """A section's score from 0 to 1, or None when nothing in it can be scored yet.

    `answered` counts questions with any answer (not applicable included), `applicable`
    those whose answer counts in the score, and `total` every question in the section.
    """

    key: str
    title: str
    score: float | None
    answered: int
    applicable: int
    total: int


@dataclass(frozen=True)
class Result:
    """The outcome of scoring one audit.

    `overall` is provisional while the audit is incomplete; `band_grade` (from the bands
    alone) and `grade` (after the limiting judgement) stay None until it is complete.
    `limited_by` lists the critical questions answered at the bottom of their scale: when
    it is not empty the grade is no better than the tool's limiting cap.
    """

    sections: tuple[SectionScore, ...]
    overall: float | None
    grade: str | None
    band_grade: str | None
    limited_by: tuple[str, ...]
    complete: bool
    unanswered: tuple[str, ...]


@dataclass(frozen=True)
class AnswerProblem:
    """One thing to fix on the audit form, worded for the error summary."""

    question_key: str
    field: str
    message: str


def _answer(answers: Mapping[str, str], key: str) -> str:
    """The given answer, with an absent or blank answer read as unanswered ("")."""
    return answers.get(key, "").strip()


def _check_known_keys(tool: Tool, keys: Iterable[str], what: str) -> None:
    known = {question.key for _, question in tool.questions()}
    unknown = sorted(set(keys) - known)
    if unknown:
        raise ValueError(f"{what} for questions not in tool {tool.id!r}: {', '.join(unknown)}")


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """The mean of (weight, value) pairs weighted by weight; None for no pairs."""
    if not pairs:
        return None
    return math.fsum(weight * value for weight, value in pairs) / math.fsum(w for w, _ in pairs)


def score(tool: Tool, answers: Mapping[str, str]) -> Result:
    """Score and grade `answers` (question key -> answer value) with `tool`.

    Raises ValueError for a key the tool does not have or an answer its question does not
    allow; an absent or blank answer is unanswered.
    """
    _check_known_keys(tool, answers, "answers")
    sections: list[SectionScore] = []
    limited_by: list[str] = []
    unanswered: list[str] = []
    for section in tool.sections:
        sections.append(_score_section(section, answers, limited_by, unanswered))
    overall = _weighted_mean(
        [
            (section.weight, s.score)
            for section, s in zip(tool.sections, sections, strict=True)
            if s.score is not None
        ]
    )
    complete = not unanswered
    band_grade = tool.band_grade(overall) if complete and overall is not None else None
    grade = band_grade
    if grade is not None and limited_by:
        grade = worse_grade(grade, tool.limiting_cap)
    return Result(
        sections=tuple(sections),
        overall=overall,
        grade=grade,
        band_grade=band_grade,
        limited_by=tuple(limited_by),
        complete=complete,
        unanswered=tuple(unanswered),
    )


def _score_section(
    section: Section, answers: Mapping[str, str], limited_by: list[str], unanswered: list[str]
) -> SectionScore:
    """Score one section, adding its critical failures and unanswered keys to the lists."""
    scored: list[tuple[float, float]] = []
    answered = 0
    for question in section.questions:
        answer = _answer(answers, question.key)
        if not answer:
            unanswered.append(question.key)
            continue
        answered += 1
        value = question.score_of(answer)
        if value is None:
            continue
        scored.append((question.weight, value))
        if question.critical and value <= SCALES[question.scale].lowest:
            limited_by.append(question.key)
    return SectionScore(
        key=section.key,
        title=section.title,
        score=_weighted_mean(scored),
        answered=answered,
        applicable=len(scored),
        total=len(section.questions),
    )


def _choices(question: Question) -> str:
    """The allowed answers as a sentence: "Yes, Partly, No or Not applicable"."""
    labels = [ANSWER_LABELS[answer] for answer in question.answers]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def check_answers(
    tool: Tool,
    answers: Mapping[str, str],
    comments: Mapping[str, str],
    keys: Iterable[str] | None = None,
    require_all: bool = True,
) -> list[AnswerProblem]:
    """Problems with the answers and comments for the questions in `keys` (default: all).

    With `require_all` (submitting a section or the audit) every question needs an answer
    and every answer that calls for evidence needs a comment. Without it (saving a draft)
    nothing is required yet, but every answer given must still be one the question allows.
    Problems come in the tool's question order, with GOV.UK-style messages. Raises
    ValueError for keys the tool does not have.
    """
    _check_known_keys(tool, answers, "answers")
    _check_known_keys(tool, comments, "comments")
    wanted = None if keys is None else set(keys)
    if wanted is not None:
        _check_known_keys(tool, wanted, "keys")
    problems: list[AnswerProblem] = []
    for _, question in tool.questions():
        if wanted is not None and question.key not in wanted:
            continue
        problem = _check_one(question, _answer(answers, question.key), require_all)
        if problem is None and require_all:
            problem = _check_comment(question, answers, comments)
        if problem is not None:
            problems.append(problem)
    return problems


def _check_one(question: Question, answer: str, require_all: bool) -> AnswerProblem | None:
    if not answer:
        if require_all:
            return AnswerProblem(question.key, "answer", f"Select an answer for ‘{question.text}’")
        return None
    if answer == NOT_APPLICABLE and not question.allow_not_applicable:
        return AnswerProblem(
            question.key,
            "answer",
            f"‘{question.text}’ cannot be not applicable: select {_choices(question)}",
        )
    if answer not in question.answers:
        return AnswerProblem(
            question.key, "answer", f"Select {_choices(question)} for ‘{question.text}’"
        )
    return None


def _check_comment(
    question: Question, answers: Mapping[str, str], comments: Mapping[str, str]
) -> AnswerProblem | None:
    answer = _answer(answers, question.key)
    if not question.needs_comment(answer) or comments.get(question.key, "").strip():
        return None
    return AnswerProblem(
        question.key,
        "comment",
        f"Enter the evidence for your answer to ‘{question.text}’: say what you saw on the file",
    )


def meets_standard(tool: Tool, question: Question, answer: str) -> bool | None:
    """Whether an answer meets the standard, for compliance rates.

    None when the answer is not applicable or blank, so it is left out of the rate.
    """
    answer = answer.strip()
    if not answer:
        return None
    value = question.score_of(answer)
    if value is None:
        return None
    return value + BAND_TOLERANCE >= tool.meets_standard_at


def grade_label(grade: str | None) -> str:
    """The label for a grade ("Requires improvement"), or "Not graded" for None."""
    if grade is None:
        return "Not graded"
    try:
        return GRADE_LABELS[grade]
    except KeyError:
        raise ValueError(f"{grade!r} is not a grade") from None
