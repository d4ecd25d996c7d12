"""The audit tool itself: a versioned set of sections and questions, and its grade bands.

Plain frozen values, built from a definition file by `audit_tools.schema.parse_tool` and
scored by `audit_tools.scoring`. A completed audit keeps the tool version it used; trends
compare questions by their stable keys (DESIGN.md section 5).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit_tools.vocabulary import NOT_APPLICABLE, SCALES

BAND_TOLERANCE = 1e-9
"""Scores this close below a band's minimum reach it, so float rounding never drops a grade."""


@dataclass(frozen=True)
class Question:
    """One audit question, answered on a scale, with the policy it comes from.

    `comment_required_below`: a comment is required when the answer's score is below this
    (1.0 means anything short of the top answer; None means never). `evidence_required`
    asks for evidence even for the top answer, so that a "yes" is not a rubber stamp.
    `sensitive` marks questions (such as wellbeing) where only *whether* something was
    discussed may be recorded, never its content (Haringey, 004_fde0c66ff807e5b0.txt, 6.3).
    """

    key: str
    text: str
    guidance: str
    sources: tuple[str, ...]
    scale: str
    weight: float = 1.0
    critical: bool = False
    comment_required_below: float | None = 1.0
    evidence_required: bool = False
    themes: tuple[str, ...] = ()
    prefill: str | None = None
    hint: str = ""
    allow_not_applicable: bool = True
    sensitive: bool = False

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers an auditor may give, best first, "not_applicable" last if allowed."""
        extra = (NOT_APPLICABLE,) if self.allow_not_applicable else ()
        return SCALES[self.scale].answers + extra

    def score_of(self, answer: str) -> float | None:
        """The answer's score, or None for "not applicable"; ValueError if not allowed here."""
        if answer == NOT_APPLICABLE:
            if not self.allow_not_applicable:
                raise ValueError(f"question {self.key!r} cannot be answered not applicable")
            return None
        try:
            return SCALES[self.scale].score_of(answer)
        except ValueError:
            raise ValueError(f"{answer!r} is not an answer to question {self.key!r}") from None

    def needs_comment(self, answer: str) -> bool:
        """Whether this answer must come with an evidence comment."""
        score = self.score_of(answer)
        if score is None:
            return False
        if self.evidence_required:
            return True
        return self.comment_required_below is not None and score < self.comment_required_below


@dataclass(frozen=True)
class Section:
    """A group of questions scored together; its weight counts in the overall score."""

    key: str
    title: str
    description: str
    weight: float
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class GradeBand:
    """The lowest overall score (0 to 1) that earns `grade`."""

    grade: str
    minimum: float


@dataclass(frozen=True)
class Tool:
    """A versioned audit tool. `grade_bands` are ordered best first, the last at 0.

    A critical question answered at the bottom of its scale caps the grade at
    `limiting_cap`. An answer meets the standard (for compliance rates) when its score is
    at least `meets_standard_at`: 0.6 by default, so "yes", "outstanding" and "good" (2/3)
    meet it and "partly" (1/2) and "requires improvement" (1/3) do not. `themes` are the
    keys of the council themes its questions are filed under, in the tool's order.
    """

    id: str
    version: int
    title: str
    description: str
    sections: tuple[Section, ...]
    grade_bands: tuple[GradeBand, ...]
    limiting_cap: str = "requires_improvement"
    meets_standard_at: float = 0.6
    themes: tuple[str, ...] = ()

    def questions(self) -> Iterator[tuple[Section, Question]]:
        """Every question with its section, in the order the tool asks them."""
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, key: str) -> Question:
        """The question with this key; KeyError if the tool has none."""
        for _, question in self.questions():
            if question.key == key:
                return question
        raise KeyError(f"tool {self.id!r} has no question {key!r}")

    def section(self, key: str) -> Section:
        """The section with this key; KeyError if the tool has none."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"tool {self.id!r} has no section {key!r}")

    def band_grade(self, overall: float) -> str:
        """The grade of the first band (best first) whose minimum the score reaches."""
        for band in self.grade_bands:
            if overall + BAND_TOLERANCE >= band.minimum:
                return band.grade
        return self.grade_bands[-1].grade
