"""Reading and writing audit tool definitions, and the names the app uses for tools.

A tool is a YAML (or JSON) file with an id, a version, the themes it uses, sections and
questions (DESIGN.md section 5); its values are the dataclasses in `audit_tools.tool` and the
words in `audit_tools.vocabulary`, both re-exported here. `parse_tool` checks a parsed file
against the schema and reports every problem at once in a `ToolError`, so a QA officer
uploading a tool can fix it in one go. Given the themes of the council profile in force, it
also refuses a tool that does not name its themes or uses one the profile does not have.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from audit_tools._definition import (
    DefinitionError,
    FieldReader,
    quoted,
    read_definition,
    yaml_mapping,
)
from audit_tools.tool import BAND_TOLERANCE, GradeBand, Question, Section, Tool
from audit_tools.vocabulary import (
    ANSWER_LABELS,
    GRADE_LABELS,
    GRADES,
    NOT_APPLICABLE,
    PREFILLS,
    SCALES,
    Scale,
    Theme,
    ThemeVocabulary,
)

__all__ = [
    "ANSWER_LABELS",
    "BAND_TOLERANCE",
    "GRADES",
    "GRADE_LABELS",
    "NOT_APPLICABLE",
    "PREFILLS",
    "SCALES",
    "GradeBand",
    "Question",
    "Scale",
    "Section",
    "Theme",
    "ThemeVocabulary",
    "Tool",
    "ToolError",
    "default_tools",
    "load_tool",
    "load_tool_text",
    "parse_tool",
    "tool_to_dict",
]

FREQUENCY_FILE = "frequency.yaml"
"""The frequency rules share the definitions folder but are not an audit tool."""


class ToolError(DefinitionError):
    """An audit tool definition that cannot be used; `problems` lists everything wrong."""


_TOOL_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TOOL_FIELDS = frozenset(
    {"id", "version", "title", "description", "themes", "sections", "grade_bands"}
    | {"limiting_cap", "meets_standard_at"}
)
_SECTION_FIELDS = frozenset({"key", "title", "description", "weight", "questions"})
_QUESTION_FIELDS = frozenset(Question.__dataclass_fields__)
_BAND_FIELDS = frozenset({"grade", "minimum"})


def parse_tool(
    data: Mapping[str, object], source: str, vocabulary: ThemeVocabulary | None = None
) -> Tool:
    """Check parsed tool data against the schema and build the Tool, or raise ToolError.

    With `vocabulary` (the themes of the council profile in force), the tool must name its
    themes and use only the profile's. Without it (a stored version being read again), a
    tool written before tools named their themes takes those its questions use.
    """
    reader = FieldReader(source)
    top = reader.mapping(data, "the tool")
    if top is None:
        raise ToolError(reader.problems)
    reader.check_fields(top, _TOOL_FIELDS, "")
    tool_id = reader.text(top, "id", "")
    if tool_id and not _TOOL_ID.match(tool_id):
        reader.problem("", f"id {quoted(tool_id)} must be lower-case words joined by hyphens")
    version = reader.positive_integer(top, "version", "")
    title = reader.text(top, "title", "")
    description = reader.text(top, "description", "", default="")
    sections = tuple(
        _section(reader, item, position)
        for position, item in enumerate(reader.items(top, "sections", ""), start=1)
    )
    _check_unique_keys(reader, sections)
    themes = _themes(reader, top, sections, vocabulary)
    grade_bands = _grade_bands(reader, top)
    limiting_cap = reader.text(top, "limiting_cap", "", default="requires_improvement")
    if limiting_cap not in GRADES:
        reader.problem("", f"limiting_cap {quoted(limiting_cap)} is not a grade ({_grades()})")
    meets_standard_at = reader.fraction(top, "meets_standard_at", "", 0.6)
    if reader.problems:
        raise ToolError(reader.problems)
    return Tool(
        id=tool_id,
        version=version,
        title=title,
        description=description,
        sections=sections,
        grade_bands=grade_bands,
        themes=themes,
        limiting_cap=limiting_cap,
        meets_standard_at=meets_standard_at,
    )


def _grades() -> str:
    return ", ".join(GRADES)


def _section(reader: FieldReader, data: Mapping[str, object], position: int) -> Section:
    key = reader.key(data, "key", f"section {position}")
    where = f"section {quoted(key)}" if key else f"section {position}"
    reader.check_fields(data, _SECTION_FIELDS, where)
    questions = tuple(
        _question(reader, item, where, number)
        for number, item in enumerate(reader.items(data, "questions", where), start=1)
    )
    return Section(
        key=key,
        title=reader.text(data, "title", where),
        description=reader.text(data, "description", where, default=""),
        weight=reader.weight(data, where),
        questions=questions,
    )


def _question(
    reader: FieldReader, data: Mapping[str, object], section: str, position: int
) -> Question:
    key = reader.key(data, "key", f"{section}, question {position}")
    where = f"{section}, question {quoted(key) if key else position}"
    reader.check_fields(data, _QUESTION_FIELDS, where)
    scale = reader.text(data, "scale", where)
    if scale and scale not in SCALES:
        known = ", ".join(SCALES)
        reader.problem(where, f"unknown scale {quoted(scale)} (use one of: {known})")
    themes = reader.texts(data, "themes", where)
    prefill = reader.text(data, "prefill", where, default="") or None
    if prefill is not None and prefill not in PREFILLS:
        known = ", ".join(PREFILLS)
        reader.problem(where, f"unknown prefill {quoted(prefill)} (use one of: {known})")
    threshold: float | None = None
    if data.get("comment_required_below", 1.0) is not None:
        threshold = reader.fraction(data, "comment_required_below", where, 1.0)
    return Question(
        key=key,
        text=reader.text(data, "text", where),
        guidance=reader.text(data, "guidance", where),
        sources=reader.sources(data, where),
        scale=scale,
        weight=reader.weight(data, where),
        critical=reader.flag(data, "critical", where, False),
        comment_required_below=threshold,
        evidence_required=reader.flag(data, "evidence_required", where, False),
        themes=themes,
        prefill=prefill,
        hint=reader.text(data, "hint", where, default=""),
        allow_not_applicable=reader.flag(data, "allow_not_applicable", where, True),
        sensitive=reader.flag(data, "sensitive", where, False),
    )


def _themes(
    reader: FieldReader,
    top: Mapping[str, object],
    sections: tuple[Section, ...],
    vocabulary: ThemeVocabulary | None,
) -> tuple[str, ...]:
    """The themes the tool names, each question's checked against them and, when given,
    against the council profile's vocabulary."""
    used = tuple(dict.fromkeys(t for s in sections for q in s.questions for t in q.themes))
    if "themes" not in top:
        if vocabulary is not None:
            reader.problem(
                "",
                f"{quoted('themes')} is missing: name the themes the questions use, from "
                f"those of {vocabulary.owner} ({', '.join(vocabulary.keys)})",
            )
        named = used
    else:
        named = reader.texts(top, "themes", "")
        for theme in sorted({theme for theme in named if named.count(theme) > 1}):
            reader.problem("themes", f"theme {quoted(theme)} is named more than once")
    if vocabulary is not None:
        for theme in dict.fromkeys(named):
            if theme not in vocabulary:
                reader.problem("themes", vocabulary.refusal(theme))
    for section in sections:
        for question in section.questions:
            where = f"section {quoted(section.key)}, question {quoted(question.key)}"
            for theme in question.themes:
                if vocabulary is not None and theme not in vocabulary:
                    reader.problem(where, vocabulary.refusal(theme))
                elif theme not in named:
                    reader.problem(
                        where,
                        f"theme {quoted(theme)} is not among the tool's themes "
                        f"({', '.join(named) or 'none named'}): add it to {quoted('themes')}",
                    )
    return tuple(dict.fromkeys(named))


def _check_unique_keys(reader: FieldReader, sections: tuple[Section, ...]) -> None:
    seen_sections: set[str] = set()
    seen_questions: dict[str, str] = {}
    for section in sections:
        if section.key and section.key in seen_sections:
            reader.problem(f"section {quoted(section.key)}", "section key is used more than once")
        seen_sections.add(section.key)
        for question in section.questions:
            if not question.key:
                continue
            if question.key in seen_questions:
                first = seen_questions[question.key]
                reader.problem(
                    f"section {quoted(section.key)}, question {quoted(question.key)}",
                    f"question key is used more than once (also in section {quoted(first)})",
                )
            else:
                seen_questions[question.key] = section.key


def _grade_bands(reader: FieldReader, top: Mapping[str, object]) -> tuple[GradeBand, ...]:
    bands: list[GradeBand] = []
    for position, item in enumerate(reader.items(top, "grade_bands", ""), start=1):
        where = f"grade band {position}"
        reader.check_fields(item, _BAND_FIELDS, where)
        grade = reader.text(item, "grade", where)
        if grade and grade not in GRADES:
            reader.problem(where, f"unknown grade {quoted(grade)} (use one of: {_grades()})")
        if "minimum" not in item:
            reader.problem(where, f"{quoted('minimum')} is missing")
        bands.append(GradeBand(grade, reader.fraction(item, "minimum", where, 0.0)))
    for before, after in zip(bands, bands[1:], strict=False):
        if after.minimum >= before.minimum:
            reader.problem(
                "grade_bands",
                f"minimums must go down from the best grade: {after.grade} ({after.minimum:g}) "
                f"is not below {before.grade} ({before.minimum:g})",
            )
        if before.grade in GRADES and after.grade in GRADES:
            if GRADES.index(after.grade) <= GRADES.index(before.grade):
                reader.problem(
                    "grade_bands",
                    f"bands must be ordered best first, each grade once: "
                    f"{after.grade} comes after {before.grade}",
                )
    if bands and bands[-1].minimum != 0:
        reader.problem(
            "grade_bands", "the last band must have minimum 0 so that every score has a grade"
        )
    return tuple(bands)


def tool_to_dict(tool: Tool) -> dict[str, object]:
    """The tool as plain data that `parse_tool` reads back to an equal Tool."""
    return {
        "id": tool.id,
        "version": tool.version,
        "title": tool.title,
        "description": tool.description,
        "themes": list(tool.themes),
        "limiting_cap": tool.limiting_cap,
        "meets_standard_at": tool.meets_standard_at,
        "grade_bands": [{"grade": b.grade, "minimum": b.minimum} for b in tool.grade_bands],
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "description": section.description,
                "weight": section.weight,
                "questions": [_question_to_dict(q) for q in section.questions],
            }
            for section in tool.sections
        ],
    }


def _question_to_dict(question: Question) -> dict[str, object]:
    return {
        "key": question.key,
        "text": question.text,
        "hint": question.hint,
        "guidance": question.guidance,
        "sources": list(question.sources),
        "scale": question.scale,
        "weight": question.weight,
        "critical": question.critical,
        "comment_required_below": question.comment_required_below,
        "evidence_required": question.evidence_required,
        "themes": list(question.themes),
        "prefill": question.prefill,
        "allow_not_applicable": question.allow_not_applicable,
        "sensitive": question.sensitive,
    }


def load_tool_text(text: str, source: str, vocabulary: ThemeVocabulary | None = None) -> Tool:
    """Read a tool from uploaded YAML (or JSON, which YAML accepts) text; with `vocabulary`,
    check its themes against the council profile in force (see `parse_tool`)."""
    return parse_tool(yaml_mapping(text, source, ToolError), source, vocabulary)


def load_tool(path: str | os.PathLike[str]) -> Tool:
    """Read a tool file: JSON for ".json", otherwise YAML (".yaml" or ".yml")."""
    file = Path(path)
    text = read_definition(file, ToolError)
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ToolError(
                [f"{file.name}: line {error.lineno}: not valid JSON ({error.msg})"]
            ) from None
        return parse_tool(data, file.name)
    if suffix not in (".yaml", ".yml"):
        raise ToolError([f"{file.name}: a tool file must end .yaml, .yml or .json"])
    return load_tool_text(text, file.name)


def default_tools() -> tuple[Tool, ...]:
    """The tools shipped in audit_tools/definitions/, ordered by file name."""
    folder = resources.files("audit_tools").joinpath("definitions")
    tools: list[Tool] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml") and entry.name != FREQUENCY_FILE:
            tools.append(load_tool_text(entry.read_text(encoding="utf-8"), entry.name))
    ids = [tool.id for tool in tools]
    duplicates = sorted({tool_id for tool_id in ids if ids.count(tool_id) > 1})
    if duplicates:
        raise ToolError([f"definitions: tool id {quoted(i)} is used twice" for i in duplicates])
    return tuple(tools)
