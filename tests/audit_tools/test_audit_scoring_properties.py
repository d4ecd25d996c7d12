"""Properties of scoring that must hold for any tool and any answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit_tools.schema import GRADES, NOT_APPLICABLE, SCALES, GradeBand, Question, Section, Tool
from audit_tools.scoring import score

BANDS = (
    GradeBand("outstanding", 0.9),
    GradeBand("good", 0.75),
    GradeBand("requires_improvement", 0.5),
    GradeBand("inadequate", 0.0),
)
WEIGHTS = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 7.0])


@st.composite
def tools(draw: st.DrawFn) -> Tool:
    sections = []
    number = 0
    for section_number in range(draw(st.integers(1, 4))):
        questions = []
        for _ in range(draw(st.integers(1, 4))):
            number += 1
            questions.append(
                Question(
                    key=f"q{number}",
                    text=f"Question {number}?",
                    guidance="Good.",
                    sources=("000_3a84f6082ffc4311.txt, 2.2",),
                    scale=draw(st.sampled_from(sorted(SCALES))),
                    weight=draw(WEIGHTS),
                    critical=draw(st.booleans()),
                    allow_not_applicable=draw(st.booleans()),
                )
            )
        sections.append(
            Section(f"s{section_number}", "Section", "", draw(WEIGHTS), tuple(questions))
        )
    return Tool("property-tool", 1, "Property tool", "", tuple(sections), BANDS)


@st.composite
def tools_and_answers(draw: st.DrawFn) -> tuple[Tool, dict[str, str]]:
    tool = draw(tools())
    answers: dict[str, str] = {}
    for _, question in tool.questions():
        choice = draw(st.sampled_from(("", *question.answers)))
        if choice:
            answers[question.key] = choice
    return tool, answers


@given(tools_and_answers())
def test_every_score_is_between_zero_and_one(case: tuple[Tool, dict[str, str]]) -> None:
    tool, answers = case
    result = score(tool, answers)
    values = [s.score for s in result.sections if s.score is not None]
    if result.overall is not None:
        values.append(result.overall)
    assert all(0.0 <= value <= 1.0 for value in values)


@given(tools_and_answers(), st.data())
def test_answering_not_applicable_never_changes_a_score(
    case: tuple[Tool, dict[str, str]], data: st.DataObject
) -> None:
    tool, answers = case
    open_questions = [
        question.key
        for _, question in tool.questions()
        if question.key not in answers and question.allow_not_applicable
    ]
    if not open_questions:
        return
    key = data.draw(st.sampled_from(open_questions))
    before = score(tool, answers)
    after = score(tool, answers | {key: NOT_APPLICABLE})
    assert after.overall == before.overall
    assert [s.score for s in after.sections] == [s.score for s in before.sections]
    assert after.limited_by == before.limited_by


@given(tools_and_answers(), st.data())
def test_improving_one_answer_never_lowers_the_overall_score_or_the_grade(
    case: tuple[Tool, dict[str, str]], data: st.DataObject
) -> None:
    tool, answers = case
    improvable = [
        (question, answers[question.key])
        for _, question in tool.questions()
        if answers.get(question.key) in SCALES[question.scale].answers[1:]
    ]
    if not improvable:
        return
    question, answer = data.draw(st.sampled_from(improvable))
    scale_answers = SCALES[question.scale].answers
    better = data.draw(st.sampled_from(scale_answers[: scale_answers.index(answer)]))
    before = score(tool, answers)
    after = score(tool, answers | {question.key: better})
    assert before.overall is not None and after.overall is not None
    assert after.overall >= before.overall
    if before.grade is not None and after.grade is not None:
        assert GRADES.index(after.grade) <= GRADES.index(before.grade)


@given(tools_and_answers())
def test_an_audit_has_a_grade_exactly_when_it_is_complete_and_scored(
    case: tuple[Tool, dict[str, str]],
) -> None:
    tool, answers = case
    result = score(tool, answers)
    assert result.complete == (not result.unanswered)
    assert (result.grade is not None) == (result.complete and result.overall is not None)
