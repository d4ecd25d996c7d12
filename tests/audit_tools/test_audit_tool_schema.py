"""Reading audit tool definitions: every malformed file is reported with all its problems."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from audit_tools.schema import (
    NOT_APPLICABLE,
    Tool,
    ToolError,
    load_tool,
    load_tool_text,
    parse_tool,
    tool_to_dict,
)

SOURCE = "broken-tool.yaml"


def question(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "text": f"Question {key}?",
        "guidance": "Good: it is on the file. “Is the child safe?” (000_3a84f6082ffc4311.txt, 2.2)",
        "sources": ["000_3a84f6082ffc4311.txt, 2.2"],
        "scale": "yes_partly_no",
        **fields,
    }


def valid_tool() -> dict[str, Any]:
    return {
        "id": "test-tool",
        "version": 1,
        "title": "Test tool",
        "grade_bands": [
            {"grade": "outstanding", "minimum": 0.9},
            {"grade": "good", "minimum": 0.75},
            {"grade": "requires_improvement", "minimum": 0.5},
            {"grade": "inadequate", "minimum": 0},
        ],
        "sections": [
            {"key": "voice", "title": "Voice", "questions": [question("views"), question("plan")]},
            {"key": "safety", "title": "Safety", "weight": 2, "questions": [question("safe")]},
        ],
    }


def problems_for(change: Callable[[dict[str, Any]], None]) -> tuple[str, ...]:
    data = valid_tool()
    change(data)
    with pytest.raises(ToolError) as caught:
        parse_tool(data, SOURCE)
    return caught.value.problems


def first_question(data: dict[str, Any]) -> dict[str, Any]:
    question_data: dict[str, Any] = data["sections"][0]["questions"][0]
    return question_data


def test_a_tool_id_may_contain_numbers() -> None:
    data = valid_tool() | {"id": "audit-2026-v2"}
    assert parse_tool(data, SOURCE).id == "audit-2026-v2"


def test_a_valid_tool_parses_with_defaults_filled_in() -> None:
    tool = parse_tool(valid_tool(), SOURCE)
    views = tool.question("views")
    assert tool.id == "test-tool" and tool.version == 1
    assert tool.sections[0].weight == 1.0 and tool.sections[1].weight == 2.0
    assert views.weight == 1.0 and views.comment_required_below == 1.0
    assert not views.critical and not views.evidence_required and not views.sensitive
    assert views.allow_not_applicable and views.prefill is None and views.hint == ""
    assert tool.limiting_cap == "requires_improvement"
    assert tool.meets_standard_at == 0.6


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: d["sections"][1]["questions"].append(question("views")),
            ["section ‘safety’", "question ‘views’", "used more than once", "section ‘voice’"],
            id="duplicate question key across sections",
        ),
        pytest.param(
            lambda d: d["sections"].append(copy.deepcopy(d["sections"][0]) | {"questions": []}),
            ["section ‘voice’", "section key is used more than once"],
            id="duplicate section key",
        ),
        pytest.param(
            lambda d: first_question(d).update(scale="yes_no"),
            ["question ‘views’", "unknown scale ‘yes_no’", "judgement", "yes_partly_no"],
            id="unknown scale",
        ),
        pytest.param(
            lambda d: first_question(d).update(weight=0),
            ["question ‘views’", "‘weight’ must be greater than 0 (it is 0)"],
            id="question weight zero",
        ),
        pytest.param(
            lambda d: d["sections"][1].update(weight=-1),
            ["section ‘safety’", "‘weight’ must be greater than 0 (it is -1)"],
            id="section weight negative",
        ),
        pytest.param(
            lambda d: first_question(d).pop("guidance"),
            ["question ‘views’", "‘guidance’ is missing"],
            id="missing guidance",
        ),
        pytest.param(
            lambda d: first_question(d).update(guidance="   "),
            ["question ‘views’", "‘guidance’ is empty"],
            id="empty guidance",
        ),
        pytest.param(
            lambda d: first_question(d).pop("sources"),
            ["question ‘views’", "‘sources’ is missing: cite the policy"],
            id="missing sources",
        ),
        pytest.param(
            lambda d: first_question(d).update(sources=["Leicester policy"]),
            ["question ‘views’", "source ‘Leicester policy’ must be a file name and a section"],
            id="source without a section",
        ),
        pytest.param(
            lambda d: (
                d.update(themes=["childs_voice"]),
                first_question(d).update(themes=["child_voice"]),
            ),
            [
                "question ‘views’",
                "theme ‘child_voice’ is not among the tool's themes",
                "childs_voice",
            ],
            id="theme the tool does not name",
        ),
        pytest.param(
            lambda d: d.update(themes=["childs_voice", "childs_voice"]),
            ["themes: theme ‘childs_voice’ is named more than once"],
            id="theme named twice",
        ),
        pytest.param(
            lambda d: first_question(d).update(prefill="sessions"),
            ["question ‘views’", "unknown prefill ‘sessions’", "max_gap"],
            id="unknown prefill",
        ),
        pytest.param(
            lambda d: d.pop("id"),
            ["‘id’ is missing"],
            id="missing id",
        ),
        pytest.param(
            lambda d: d.update(id="Test Tool"),
            ["id ‘Test Tool’ must be lower-case words joined by hyphens"],
            id="badly formed id",
        ),
        pytest.param(
            lambda d: d.pop("version"),
            ["‘version’ is missing"],
            id="missing version",
        ),
        pytest.param(
            lambda d: d.update(version="1"),
            ["‘version’ must be a whole number, not text"],
            id="version given as text",
        ),
        pytest.param(
            lambda d: d.update(version=1.5),
            ["‘version’ must be a whole number, not a number"],
            id="non-integer version",
        ),
        pytest.param(
            lambda d: d.update(version=0),
            ["‘version’ must be at least 1 (it is 0)"],
            id="version zero",
        ),
        pytest.param(
            lambda d: d.pop("title"),
            ["‘title’ is missing"],
            id="missing title",
        ),
        pytest.param(
            lambda d: d.update(sections=[]),
            ["‘sections’ is empty"],
            id="no sections",
        ),
        pytest.param(
            lambda d: d.pop("sections"),
            ["‘sections’ is missing"],
            id="sections missing",
        ),
        pytest.param(
            lambda d: d["sections"][0].update(questions=[]),
            ["section ‘voice’", "‘questions’ is empty"],
            id="section without questions",
        ),
        pytest.param(
            lambda d: d.pop("grade_bands"),
            ["‘grade_bands’ is missing"],
            id="grade bands missing",
        ),
        pytest.param(
            lambda d: d["grade_bands"][1].update(minimum=0.95),
            ["grade_bands", "minimums must go down", "good (0.95) is not below outstanding (0.9)"],
            id="grade bands not descending",
        ),
        pytest.param(
            lambda d: d["grade_bands"][0].update(grade="excellent"),
            ["grade band 1", "unknown grade ‘excellent’"],
            id="unknown grade in a band",
        ),
        pytest.param(
            lambda d: d["grade_bands"].reverse(),
            ["grade_bands", "ordered best first"],
            id="grade bands worst first",
        ),
        pytest.param(
            lambda d: d["grade_bands"].pop(),
            ["grade_bands", "the last band must have minimum 0"],
            id="a score below every band",
        ),
        pytest.param(
            lambda d: d["grade_bands"][2].pop("minimum"),
            ["grade band 3", "‘minimum’ is missing"],
            id="band without a minimum",
        ),
        pytest.param(
            lambda d: d.update(limiting_cap="poor"),
            ["limiting_cap ‘poor’ is not a grade"],
            id="unknown limiting cap",
        ),
        pytest.param(
            lambda d: d.update(meets_standard_at=75),
            ["‘meets_standard_at’ must be from 0 to 1 (it is 75)"],
            id="meets standard outside 0 to 1",
        ),
        pytest.param(
            lambda d: first_question(d).update(text=["Is", "it?"]),
            ["question ‘views’", "‘text’ must be text, not a list"],
            id="text given as a list",
        ),
        pytest.param(
            lambda d: first_question(d).update(critical="yes"),
            ["question ‘views’", "‘critical’ must be true or false, not text"],
            id="critical given as text",
        ),
        pytest.param(
            lambda d: first_question(d).update(weight=True),
            ["question ‘views’", "‘weight’ must be a number, not true/false"],
            id="weight given as true",
        ),
        pytest.param(
            lambda d: first_question(d).update(themes="childs_voice"),
            ["question ‘views’", "‘themes’ must be a list, not text"],
            id="themes given as text",
        ),
        pytest.param(
            lambda d: d["sections"][0]["questions"].append("Is the child safe?"),
            ["section ‘voice’, questions item 3", "must be a mapping of fields, not text"],
            id="question that is not a mapping",
        ),
        pytest.param(
            lambda d: first_question(d).update(critcal=True),
            ["question ‘views’", "unknown field ‘critcal’"],
            id="misspelt field",
        ),
        pytest.param(
            lambda d: first_question(d).update(key="Child Views"),
            ["‘key’ ‘Child Views’ must be lower-case letters, digits and underscores"],
            id="badly formed key",
        ),
        pytest.param(
            lambda d: first_question(d).pop("key"),
            ["section ‘voice’, question 1", "‘key’ is missing"],
            id="question without a key",
        ),
        pytest.param(
            lambda d: first_question(d).update(comment_required_below=2),
            ["question ‘views’", "‘comment_required_below’ must be from 0 to 1 (it is 2)"],
            id="comment threshold above 1",
        ),
    ],
)
def test_each_schema_problem_names_the_file_the_place_and_what_is_wrong(
    change: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    problems = problems_for(change)
    matching = [p for p in problems if all(fragment in p for fragment in expected)]
    assert matching, problems
    assert all(problem.startswith(f"{SOURCE}: ") for problem in problems)


def test_every_problem_in_a_tool_is_reported_not_only_the_first() -> None:
    def break_many(data: dict[str, Any]) -> None:
        data.pop("title")
        data["themes"] = ["childs_voice"]
        first_question(data).update(scale="stars", weight=-2, themes=["vibes"])
        data["sections"][1]["questions"][0].pop("guidance")
        data["grade_bands"][0]["grade"] = "gold"

    problems = problems_for(break_many)
    assert len(problems) == 6
    joined = "\n".join(problems)
    for fragment in (
        "‘title’ is missing",
        "unknown scale ‘stars’",
        "‘weight’ must be greater than 0",
        "theme ‘vibes’ is not among the tool's themes",
        "question ‘safe’: ‘guidance’ is missing",
        "unknown grade ‘gold’",
    ):
        assert fragment in joined


def test_tool_error_text_lists_every_problem() -> None:
    error = ToolError(["a.yaml: first", "a.yaml: second"])
    assert str(error) == "2 problems:\n- a.yaml: first\n- a.yaml: second"
    assert isinstance(error, ValueError)


def test_a_tool_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(ToolError, match="must be a mapping of fields"):
        load_tool_text("- just\n- a list\n", "list.yaml")


def test_a_yaml_syntax_error_names_the_file_and_line() -> None:
    text = "id: test-tool\nversion: 1\ntitle: [unclosed\nsections: []\n"
    with pytest.raises(ToolError) as caught:
        load_tool_text(text, "upload.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith("upload.yaml: line 4: not valid YAML")


def test_uploaded_text_may_be_json() -> None:
    tool = load_tool_text(json.dumps(valid_tool()), "upload.json")
    assert tool.id == "test-tool"


def test_a_tool_file_is_read_as_yaml_or_json_by_its_extension(tmp_path: Path) -> None:
    as_json = tmp_path / "tool.json"
    as_json.write_text(json.dumps(valid_tool()), encoding="utf-8")
    as_yaml = tmp_path / "tool.yml"
    as_yaml.write_text(json.dumps(valid_tool()), encoding="utf-8")
    assert load_tool(as_json) == load_tool(as_yaml)


def test_a_json_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "tool.json"
    path.write_text('{\n"id": "x",\n"version": \n}', encoding="utf-8")
    with pytest.raises(ToolError, match=r"tool\.json: line 4: not valid JSON"):
        load_tool(path)


def test_problems_in_a_tool_file_are_named_by_its_file_name(tmp_path: Path) -> None:
    data = valid_tool()
    data.pop("title")
    path = tmp_path / "named.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ToolError, match="named.json: ‘title’ is missing"):
        load_tool(path)


def test_a_file_of_another_type_or_missing_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "tool.txt"
    other.write_text("id: x", encoding="utf-8")
    with pytest.raises(ToolError, match="must end .yaml, .yml or .json"):
        load_tool(other)
    with pytest.raises(ToolError, match="absent.yaml: cannot be read"):
        load_tool(tmp_path / "absent.yaml")


def test_a_tool_round_trips_through_plain_data() -> None:
    data = valid_tool()
    first_question(data).update(comment_required_below=None, prefill="frequency", hint="Look")
    tool = parse_tool(data, SOURCE)
    again = parse_tool(tool_to_dict(tool), "again")
    assert again == tool
    assert again.question("views").comment_required_below is None


def test_a_question_lists_not_applicable_only_when_it_is_allowed() -> None:
    data = valid_tool()
    first_question(data).update(allow_not_applicable=False)
    tool = parse_tool(data, SOURCE)
    assert tool.question("views").answers == ("yes", "partly", "no")
    assert tool.question("plan").answers == ("yes", "partly", "no", NOT_APPLICABLE)


def test_looking_up_a_question_or_section_the_tool_lacks_is_a_key_error() -> None:
    tool: Tool = parse_tool(valid_tool(), SOURCE)
    assert tool.section("safety").questions[0].key == "safe"
    with pytest.raises(KeyError):
        tool.question("missing")
    with pytest.raises(KeyError):
        tool.section("missing")
