"""The words of an audit tool: answer scales, grades and pre-fill sources, and themes.

Scales, grades and pre-fill sources are code, not data, because the scoring rules and the
pages depend on their meaning (DESIGN.md section 5). Themes are the council's: each council
profile names its own (`themes:`, read by `parse_themes`), so adult services can speak of
the person's voice where children's services speak of the child's; a tool names the themes
it uses and is checked against the profile in force. The tools themselves, their
questions, weights and grade bands, are data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from audit_tools._definition import FieldReader, quoted

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


@dataclass(frozen=True)
class Theme:
    """One theme of a council's vocabulary: a stable key for the tools, the title people
    read, and what it covers."""

    key: str
    title: str
    description: str


@dataclass(frozen=True)
class ThemeVocabulary:
    """The themes a council profile names, in its order, and whose they are (`owner`, the
    policy's title, for messages)."""

    owner: str
    themes: tuple[Theme, ...]

    def __contains__(self, key: object) -> bool:
        return any(theme.key == key for theme in self.themes)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(theme.key for theme in self.themes)

    def title(self, key: str) -> str:
        """The title of the theme with this key; KeyError if the vocabulary lacks it."""
        for theme in self.themes:
            if theme.key == key:
                return theme.title
        raise KeyError(key)

    def refusal(self, key: str) -> str:
        """Why a tool may not use a theme this vocabulary lacks, naming those it has."""
        return (
            f"theme {quoted(key)} is not one of the themes of {self.owner} "
            f"(use one of: {', '.join(self.keys)})"
        )


def parse_themes(reader: FieldReader, data: Mapping[str, object]) -> tuple[Theme, ...]:
    """The `themes` list of a council profile: at least one theme, each with a key, a title
    and a description, no key or title used twice."""
    found: list[Theme] = []
    for position, item in enumerate(reader.items(data, "themes", ""), start=1):
        where = f"themes item {position}"
        reader.check_fields(item, {"key", "title", "description"}, where)
        key = reader.key(item, "key", where)
        where = f"theme {quoted(key)}" if key else where
        title = reader.text(item, "title", where)
        description = " ".join(reader.text(item, "description", where).split())
        found.append(Theme(key, title, description))
    for field in ("key", "title"):
        values = [getattr(theme, field) for theme in found]
        for value in sorted({v for v in values if v and values.count(v) > 1}):
            reader.problem("themes", f"the {field} {quoted(value)} is used by two themes")
    return tuple(found)
