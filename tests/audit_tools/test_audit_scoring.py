"""Scoring, grading and checking an auditor's answers."""

from __future__ import annotations

from typing import Any

import pytest

from audit_tools.schema import (
    ANSWER_LABELS,
    NOT_APPLICABLE,
    SCALES,
    GradeBand,
    Question,
    Section,
    Tool,
)
from audit_tools.scoring import (
    AnswerProblem,
    check_answers,
    grade_label,
    meets_standard,
    score,
)

BANDS = (
    GradeBand("outstanding", 0.9),
    GradeBand("good", 0.75),
    GradeBand("requires_improvement", 0.5),
    GradeBand("inadequate", 0.0),
)


def q(key: str, **fields: Any) -> Question:
    values: dict[str, Any] = {
        "key": key,
        "text": f"Is {key} on the file?",
        "guidance": "Good: it is.",
        "sources": ("000_3a84f6082ffc4311.txt, 2.2",),
        "scale": "yes_partly_no",
    }
    values.update(fields)
    return Question(**values)


def make_tool(*sections: Section, **fields: Any) -> Tool:
    return Tool("test-tool", 1, "Test", "", sections, BANDS, **fields)


def section(key: str, *questions: Question, weight: float = 1.0) -> Section:
    return Section(key, key.title(), "", weight, questions)


def test_a_section_score_is_the_weighted_mean_of_its_answers() -> None:
    tool = make_tool(section("a", q("light", weight=1), q("heavy", weight=3)))
    result = score(tool, {"light": "yes", "heavy": "no"})
    assert result.sections[0].score == pytest.approx(0.25)


def test_the_overall_score_weights_sections_by_their_weight() -> None:
    tool = make_tool(section("a", q("x"), weight=1), section("b", q("y"), weight=3))
    result = score(tool, {"x": "yes", "y": "partly"})
    assert result.overall == pytest.approx((1 * 1.0 + 3 * 0.5) / 4)


def test_not_applicable_answers_are_left_out_of_the_section_score() -> None:
    tool = make_tool(section("a", q("x"), q("y"), q("z")))
    result = score(tool, {"x": "yes", "y": "not_applicable", "z": "partly"})
    assert result.sections[0].score == pytest.approx(0.75)
    assert (result.sections[0].answered, result.sections[0].applicable) == (3, 2)
    assert result.sections[0].total == 3


def test_a_section_where_every_question_is_not_applicable_is_left_out_not_zero() -> None:
    tool = make_tool(section("a", q("x")), section("b", q("y"), q("z"), weight=5))
    result = score(tool, {"x": "yes", "y": "not_applicable", "z": "not_applicable"})
    assert result.sections[1].score is None
    assert result.overall == 1.0
    assert result.grade == "outstanding"


def test_a_tool_answered_entirely_not_applicable_has_no_score_and_no_grade() -> None:
    tool = make_tool(section("a", q("x"), q("y")))
    result = score(tool, {"x": "not_applicable", "y": "not_applicable"})
    assert result.complete
    assert result.overall is None and result.grade is None and result.band_grade is None


def test_a_critical_question_answered_no_caps_the_grade_at_requires_improvement() -> None:
    questions = [q(f"q{n}") for n in range(9)] + [q("safe", critical=True)]
    tool = make_tool(section("a", *questions))
    answers = {f"q{n}": "yes" for n in range(9)} | {"safe": "no"}
    result = score(tool, answers)
    assert result.overall == pytest.approx(0.9)
    assert result.band_grade == "outstanding"
    assert result.grade == "requires_improvement"
    assert result.limited_by == ("safe",)


def test_a_critical_question_answered_partly_does_not_limit_the_grade() -> None:
    tool = make_tool(section("a", q("x"), q("safe", critical=True)))
    result = score(tool, {"x": "yes", "safe": "partly"})
    assert result.limited_by == ()
    assert result.grade == result.band_grade == "good"


def test_the_limiting_judgement_never_raises_a_lower_grade() -> None:
    tool = make_tool(section("a", q("x"), q("safe", critical=True)))
    result = score(tool, {"x": "no", "safe": "no"})
    assert result.band_grade == result.grade == "inadequate"
    assert result.limited_by == ("safe",)


def test_a_critical_judgement_answered_inadequate_limits_the_grade() -> None:
    judged = q("overall", scale="judgement", critical=True)
    tool = make_tool(section("a", *[q(f"q{n}") for n in range(9)], judged))
    result = score(tool, {f"q{n}": "yes" for n in range(9)} | {"overall": "inadequate"})
    assert result.band_grade == "outstanding"
    assert result.grade == "requires_improvement"
    assert result.limited_by == ("overall",)


def test_the_limiting_cap_comes_from_the_tool() -> None:
    tool = make_tool(
        section("a", *[q(f"q{n}") for n in range(9)], q("safe", critical=True)),
        limiting_cap="good",
    )
    result = score(tool, {f"q{n}": "yes" for n in range(9)} | {"safe": "no"})
    assert result.grade == "good"


def test_a_not_applicable_critical_question_does_not_limit_the_grade() -> None:
    tool = make_tool(section("a", q("x"), q("safe", critical=True)))
    result = score(tool, {"x": "yes", "safe": "not_applicable"})
    assert result.limited_by == () and result.grade == "outstanding"


@pytest.mark.parametrize(
    ("overall", "grade"),
    [
        (1.0, "outstanding"),
        (0.9, "outstanding"),
        (0.9 - 1e-12, "outstanding"),
        (0.8999, "good"),
        (0.75, "good"),
        (0.7499, "requires_improvement"),
        (0.5, "requires_improvement"),
        (0.4999, "inadequate"),
        (0.0, "inadequate"),
    ],
)
def test_grade_bands_include_their_minimum_and_exclude_anything_below(
    overall: float, grade: str
) -> None:
    assert make_tool(section("a", q("x"))).band_grade(overall) == grade


@pytest.mark.parametrize(
    ("answers", "grade"),
    [
        (("yes", "partly"), "good"),
        (("partly", "partly"), "requires_improvement"),
        (("partly", "no"), "inadequate"),
        (("yes", "yes"), "outstanding"),
    ],
)
def test_scored_answers_at_a_band_edge_take_that_band(answers: tuple[str, str], grade: str) -> None:
    tool = make_tool(section("a", q("x"), q("y")))
    assert score(tool, dict(zip(("x", "y"), answers, strict=True))).grade == grade


def test_an_unanswered_question_stays_unanswered_and_is_not_scored_as_zero() -> None:
    tool = make_tool(section("a", q("x"), q("y")), section("b", q("z")))
    result = score(tool, {"x": "yes", "z": "yes"})
    assert result.unanswered == ("y",)
    assert not result.complete
    assert result.sections[0].score == 1.0
    assert (result.sections[0].answered, result.sections[0].total) == (1, 2)
    assert result.overall == 1.0


def test_an_incomplete_audit_has_no_grade() -> None:
    tool = make_tool(section("a", q("x"), q("safe", critical=True)))
    result = score(tool, {"safe": "no"})
    assert result.grade is None and result.band_grade is None
    assert result.limited_by == ("safe",)


def test_a_blank_answer_counts_as_unanswered() -> None:
    tool = make_tool(section("a", q("x"), q("y")))
    assert score(tool, {"x": "yes", "y": "  "}).unanswered == ("y",)


def test_an_empty_audit_has_no_scores() -> None:
    result = score(make_tool(section("a", q("x"))), {})
    assert result.overall is None and result.sections[0].score is None
    assert result.unanswered == ("x",)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"x": "maybe"}, "'maybe' is not an answer to question 'x'"),
        ({"x": "good"}, "'good' is not an answer to question 'x'"),
        ({"nope": "yes"}, "answers for questions not in tool 'test-tool': nope"),
        ({"strict": "not_applicable"}, "question 'strict' cannot be answered not applicable"),
    ],
)
def test_unknown_answers_and_keys_are_refused(answers: dict[str, str], message: str) -> None:
    tool = make_tool(section("a", q("x"), q("strict", allow_not_applicable=False)))
    with pytest.raises(ValueError, match=message):
        score(tool, answers)


def test_check_answers_asks_for_every_missing_answer_in_question_order() -> None:
    tool = make_tool(section("a", q("x"), q("y")))
    assert check_answers(tool, {}, {}) == [
        AnswerProblem("x", "answer", "Select an answer for ‘Is x on the file?’"),
        AnswerProblem("y", "answer", "Select an answer for ‘Is y on the file?’"),
    ]


def test_an_answer_short_of_the_top_needs_evidence() -> None:
    tool = make_tool(section("a", q("x"), q("y"), q("z")))
    problems = check_answers(tool, {"x": "yes", "y": "partly", "z": "no"}, {"z": "Not on file"})
    assert problems == [
        AnswerProblem(
            "y",
            "comment",
            "Enter the evidence for your answer to ‘Is y on the file?’: "
            "say what you saw on the file",
        )
    ]


def test_evidence_is_required_even_for_yes_where_the_question_demands_it() -> None:
    tool = make_tool(section("a", q("x", evidence_required=True)))
    assert [p.field for p in check_answers(tool, {"x": "yes"}, {})] == ["comment"]
    assert check_answers(tool, {"x": "yes"}, {"x": "Views quoted on 3 March"}) == []


def test_a_comment_of_only_spaces_is_not_evidence() -> None:
    tool = make_tool(section("a", q("x", evidence_required=True)))
    assert [p.field for p in check_answers(tool, {"x": "yes"}, {"x": "   "})] == ["comment"]


def test_the_comment_threshold_is_set_per_question() -> None:
    tool = make_tool(
        section("a", q("never", comment_required_below=None), q("low", comment_required_below=0.5))
    )
    assert check_answers(tool, {"never": "no", "low": "partly"}, {}) == []
    problems = check_answers(tool, {"never": "no", "low": "no"}, {})
    assert [(p.question_key, p.field) for p in problems] == [("low", "comment")]


def test_not_applicable_needs_no_comment() -> None:
    tool = make_tool(section("a", q("x", evidence_required=True)))
    assert check_answers(tool, {"x": "not_applicable"}, {}) == []


def test_an_answer_off_the_scale_is_a_problem_naming_the_choices() -> None:
    tool = make_tool(section("a", q("x"), q("j", scale="judgement", allow_not_applicable=False)))
    problems = check_answers(tool, {"x": "maybe", "j": "yes"}, {})
    assert [p.message for p in problems] == [
        "Select Yes, Partly, No or Not applicable for ‘Is x on the file?’",
        "Select Outstanding, Good, Requires improvement or Inadequate for ‘Is j on the file?’",
    ]


def test_not_applicable_is_a_problem_where_the_question_does_not_allow_it() -> None:
    tool = make_tool(section("a", q("x", allow_not_applicable=False)))
    (problem,) = check_answers(tool, {"x": "not_applicable"}, {})
    assert problem == AnswerProblem(
        "x", "answer", "‘Is x on the file?’ cannot be not applicable: select Yes, Partly or No"
    )


def test_check_answers_can_be_limited_to_one_section() -> None:
    tool = make_tool(section("a", q("x")), section("b", q("y")))
    problems = check_answers(tool, {}, {}, keys=["y"])
    assert [p.question_key for p in problems] == ["y"]


def test_a_draft_need_not_be_complete_but_its_answers_must_be_allowed() -> None:
    tool = make_tool(section("a", q("x"), q("y"), q("z", allow_not_applicable=False)))
    answers = {"x": "no", "z": "not_applicable"}
    problems = check_answers(tool, answers, {}, require_all=False)
    assert [(p.question_key, p.field) for p in problems] == [("z", "answer")]


def test_check_answers_refuses_keys_the_tool_does_not_have() -> None:
    tool = make_tool(section("a", q("x")))
    with pytest.raises(ValueError, match="comments for questions not in tool"):
        check_answers(tool, {}, {"other": "text"})
    with pytest.raises(ValueError, match="keys for questions not in tool"):
        check_answers(tool, {}, {}, keys=["other"])


@pytest.mark.parametrize(
    ("scale", "answer", "meets"),
    [
        ("yes_partly_no", "yes", True),
        ("yes_partly_no", "partly", False),
        ("yes_partly_no", "no", False),
        ("yes_partly_no", "not_applicable", None),
        ("yes_partly_no", "", None),
        ("judgement", "outstanding", True),
        ("judgement", "good", True),
        ("judgement", "requires_improvement", False),
        ("judgement", "inadequate", False),
    ],
)
def test_meets_standard_counts_yes_good_and_outstanding(
    scale: str, answer: str, meets: bool | None
) -> None:
    question = q("x", scale=scale)
    assert meets_standard(make_tool(section("a", question)), question, answer) is meets


def test_meets_standard_uses_the_tools_threshold() -> None:
    question = q("x")
    strict = make_tool(section("a", question), meets_standard_at=0.5)
    assert meets_standard(strict, question, "partly") is True


def test_scales_map_answers_to_scores_best_first() -> None:
    assert dict(SCALES["yes_partly_no"]) == {"yes": 1.0, "partly": 0.5, "no": 0.0}
    judgement = SCALES["judgement"]
    assert list(judgement) == ["outstanding", "good", "requires_improvement", "inadequate"]
    assert judgement["good"] == pytest.approx(2 / 3)
    assert judgement["requires_improvement"] == pytest.approx(1 / 3)
    assert NOT_APPLICABLE not in judgement
    assert ANSWER_LABELS[NOT_APPLICABLE] == "Not applicable"


def test_grades_have_labels_for_pages() -> None:
    assert grade_label("requires_improvement") == "Requires improvement"
    assert grade_label(None) == "Not graded"
    with pytest.raises(ValueError, match="'poor' is not a grade"):
        grade_label("poor")
