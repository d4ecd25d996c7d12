"""The fixed words of an audit tool: answer scales, themes, grades and pre-fill sources.

These are the values a tool definition may refer to. They are code, not data, because the
scoring rules and the pages depend on their meaning (DESIGN.md section 5); the tools
themselves, their questions, weights and grade bands, are data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

NOT_APPLICABLE: Final = "not_applicable"


@dataclass(frozen=True)
class Scale(Mapping[str, float]):
    """An answer scale: its answers from best to worst, each with a score from 0 to 1.

    It reads as a mapping from answer to score (`SCALES["judgement"]["good"]` is 2/3,
    iterating gives the answers best first). "not_applicable" is never part of a scale:
    whether a question may be answered "not applicable" is the question's choice, and such
    an answer is left out of scoring.
    """

    key: str
    label: str
    choices: tuple[tuple[str, float], ...]

    def __getitem__(self, answer: str) -> float:
        for choice, score in self.choices:
            if choice == answer:
                return score
        raise KeyError(answer)

    def __iter__(self) -> Iterator[str]:
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.choices)

    @property
    def answers(self) -> tuple[str, ...]:
        """The answer values, best first."""
        return tuple(answer for answer, _ in self.choices)

    def score_of(self, answer: str) -> float:
        """The score of one answer; ValueError if the answer is not on this scale."""
        try:
            return self[answer]
        except KeyError:
            raise ValueError(f"{answer!r} is not an answer on the {self.key!r} scale") from None

    @property
    def lowest(self) -> float:
        """The worst score on the scale (a critical question answered here limits the grade)."""
        return min(score for _, score in self.choices)


SCALES: Final[Mapping[str, Scale]] = MappingProxyType(
    {
        "yes_partly_no": Scale(
            key="yes_partly_no",
            label="Yes, partly or no",
            choices=(("yes", 1.0), ("partly", 0.5), ("no", 0.0)),
        ),
        "judgement": Scale(
            key="judgement",
            label="Four-point judgement",
            choices=(
                ("outstanding", 1.0),
                ("good", 2 / 3),
                ("requires_improvement", 1 / 3),
                ("inadequate", 0.0),
            ),
        ),
    }
)

ANSWER_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "yes": "Yes",
        "partly": "Partly",
        "no": "No",
        NOT_APPLICABLE: "Not applicable",
        "outstanding": "Outstanding",
        "good": "Good",
        "requires_improvement": "Requires improvement",
        "inadequate": "Inadequate",
    }
)

THEMES: Final = (
    "childs_voice",
    "smart_actions",
    "disagreements",
    "reflection",
    "oversight",
    "timeliness",
    "wellbeing",
    "equality",
)

THEME_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "childs_voice": "The child's voice",
        "smart_actions": "SMART actions",
        "disagreements": "Disagreements recorded",
        "reflection": "Reflection and analysis",
        "oversight": "Management oversight and safety",
        "timeliness": "Frequency and timeliness",
        "wellbeing": "Worker wellbeing and development",
        "equality": "Equality, diversity and anti-discriminatory practice",
    }
)

GRADES: Final = ("outstanding", "good", "requires_improvement", "inadequate")

GRADE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {grade: ANSWER_LABELS[grade] for grade in GRADES}
)

PREFILLS: Final = (
    "frequency",
    "max_gap",
    "recorded_on_time",
    "signed_on_time",
    "agreement_on_file",
    "agreement_signed",
    "agreement_reviewed",
    "case_discussions",
)
"""Facts the app can work out from imported sessions and agreements to suggest an answer."""


def worse_grade(first: str, second: str) -> str:
    """The lower of two grades (grades are ordered best first in GRADES)."""
    return max(first, second, key=GRADES.index)
