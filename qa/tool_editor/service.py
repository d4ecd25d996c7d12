"""Editing an audit tool in the browser: a draft per person and tool, its changes, the
check against the same schema as an uploaded file, and saving it as a new version.

The draft holds the tool as the plain data `audit_tools.schema.tool_to_dict` writes, so a
tool edited here and a tool uploaded as YAML are read by the one `parse_tool`. Pages show
policy citations as the policy's title ("Coventry supervision policy (2015), section 9.3");
`citations_as_files` turns them back into the "file, section" form the definitions keep.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import func, select

from audit_tools.policy_sources import POLICIES, citation_words, plain_citations, section_text
from audit_tools.schema import Tool, ToolError, parse_tool, tool_to_dict
from qa.audits.models import AuditToolVersion
from qa.audits.tools import ensure_default_tools, get_tool
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff
from qa.tool_editor.models import ToolDraft

Data = dict[str, Any]
SOURCE = "The tool"
_CITED = re.compile(
    r"(?P<title>"
    + "|".join(re.escape(document.title) for document in POLICIES.values())
    + r"),\s+(?:section\s+(?P<section>\d+(?:\.\d+)*)|(?P<appendix>appendix\s+\d+))",
    re.IGNORECASE,
)
_BY_TITLE = {document.title.casefold(): document for document in POLICIES.values()}


class EditorError(ValueError):
    """A change that cannot be made, in words a person can act on."""


def themes_in_force() -> list[tuple[str, str]]:
    """The themes a question may be tagged with, as (key, words), in the order to offer them.

    The one place the editor reads the theme vocabulary from."""
    from qa.audits.tools import themes_in_force as in_force

    return [(theme.key, theme.title) for theme in in_force().themes]


def draft_of(actor: Staff, tool_id: str) -> ToolDraft | None:
    """The person's unsaved changes to a tool, if they have any."""
    return db.session.scalar(
        select(ToolDraft).where(ToolDraft.tool_id == tool_id, ToolDraft.staff_id == actor.id)
    )


def start_draft(actor: Staff, tool_id: str, version: int) -> ToolDraft:
    """Begin changing a tool from one of its versions, replacing any unsaved changes."""
    tool = get_tool(tool_id, version)
    draft = draft_of(actor, tool_id)
    if draft is None:
        draft = ToolDraft(tool_id=tool_id, staff_id=actor.id)
        db.session.add(draft)
    draft.based_on_version = tool.version
    draft.data = json.dumps(tool_to_dict(tool))
    draft.updated_at = now()
    db.session.commit()
    return draft


def data_of(draft: ToolDraft) -> Data:
    data: Data = json.loads(draft.data)
    return data


def store(draft: ToolDraft, data: Data) -> None:
    draft.data = json.dumps(data)
    draft.updated_at = now()
    db.session.commit()


def discard(draft: ToolDraft) -> None:
    db.session.delete(draft)
    db.session.commit()


def section_at(data: Data, number: int) -> Data:
    """The section at a position counted from 1; EditorError if there is none."""
    sections: list[Data] = data["sections"]
    if not 1 <= number <= len(sections):
        raise EditorError(f"The tool has no section {number}")
    return sections[number - 1]


def question_at(data: Data, section: int, number: int) -> Data:
    questions: list[Data] = section_at(data, section)["questions"]
    if not 1 <= number <= len(questions):
        raise EditorError(f"Section {section} has no question {number}")
    return questions[number - 1]


def move(items: list[Data], number: int, to: int) -> None:
    """Move the item at position `number` to position `to` (both counted from 1)."""
    if not (1 <= number <= len(items) and 1 <= to <= len(items)):
        raise EditorError(f"There is no position {to}")
    items.insert(to - 1, items.pop(number - 1))


def new_key(words: str, taken: set[str]) -> str:
    """A stable key for a new section or question, from its first words, used nowhere else
    in the tool (trends follow questions across versions by their keys)."""
    slug = "_".join(re.findall(r"[a-z0-9]+", words.casefold())[:6])[:40].strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"q_{slug}" if slug else "question"
    key, count = slug, 1
    while key in taken:
        count += 1
        key = f"{slug}_{count}"
    return key


def keys_in(data: Data) -> set[str]:
    keys = {section["key"] for section in data["sections"]}
    keys |= {q["key"] for section in data["sections"] for q in section["questions"]}
    return keys


def citations_as_files(text: str) -> str:
    """Text with each "Coventry supervision policy (2015), section 9.3" written back as the
    "file, section" citation the definitions keep."""

    def as_file(found: re.Match[str]) -> str:
        document = _BY_TITLE[found["title"].casefold()]
        if found["section"]:
            return f"{document.file_name}, {found['section']}"
        return f"{document.file_name}, {found['appendix'].capitalize()}"

    return _CITED.sub(as_file, text)


def sources_in_words(sources: list[str]) -> str:
    """A question's policy sources, one a line, as the policy's title and section."""
    return "\n".join(plain_citations(source) for source in sources)


def read_sources(text: str) -> tuple[list[str], list[str]]:
    """The "file, section" sources written one a line as a policy's title and section, and
    a problem for each line that names no shipped policy or a section it does not have."""
    sources: list[str] = []
    problems: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        found = _CITED.fullmatch(line)
        if found is None:
            problems.append(
                f"‘{line}’ is not a policy and section: write a policy's title, a comma and "
                f"the section, for example ‘{citation_words('003_2701f8fa2326f2b4.txt', '9.3')}’"
            )
            continue
        source = citations_as_files(line)
        file_name, section = source.split(", ", 1)
        if section_text(file_name, section) is None:
            part = section.lower() if section[0].isalpha() else f"section {section}"
            problems.append(f"{POLICIES[file_name].title} has no {part}")
            continue
        sources.append(source)
    if not sources and not problems:
        problems.append("Enter the policy section this question comes from")
    return sources, problems


@dataclass(frozen=True)
class Check:
    """A draft read against the tool schema: the tool, or every problem in plain words."""

    tool: Tool | None
    problems: tuple[str, ...]


def check(data: Data) -> Check:
    """Read the draft with the same schema as an uploaded file; problems name the section
    and question by position and words, not by their keys. A question may use only the
    themes of the council profile in force, as for an upload."""
    from qa.audits.tools import themes_in_force as in_force

    try:
        return Check(parse_tool(data, SOURCE, in_force()), ())
    except ToolError as error:
        return Check(None, tuple(_in_words(problem, data) for problem in error.problems))


_FIELD_WORDS = {
    "‘text’": "the question",
    "‘guidance’": "the guidance",
    "‘title’": "the title",
    "‘sources’": "the policy sections",
    "‘weight’": "the weight",
    "‘scale’": "the answer scale",
    "‘questions’ is empty": "has no questions: add one or remove the section",
    "‘sections’ is empty": "has no sections: add one",
}


def _in_words(problem: str, data: Data) -> str:
    text = problem.removeprefix(f"{SOURCE}: ").replace("grade_bands", "grade bands")
    for s, section in enumerate(data.get("sections", []), start=1):
        title = section.get("title") or "untitled"
        text = text.replace(f"section ‘{section.get('key')}’", f"Section {s} ({title})")
        for q, question in enumerate(section.get("questions", []), start=1):
            words = _short(question.get("text") or "untitled")
            text = text.replace(f"question ‘{question.get('key')}’", f"question {q} ({words})")
    for field, words in _FIELD_WORDS.items():
        text = text.replace(field, words)
    return plain_citations(_themes_in_words(text[:1].upper() + text[1:]))


def _themes_in_words(text: str) -> str:
    """Theme keys (what a YAML file names) as the titles people read on the editor's pages."""
    from qa.audits.tools import theme_titles

    titles = theme_titles()

    def listed(match: re.Match[str]) -> str:
        keys = [key.strip() for key in match.group(1).split(",")]
        return "(use one of: " + "; ".join(titles.get(key, key) for key in keys) + ")"

    text = re.sub(r"\(use one of: ([^)]*)\)", listed, text)
    for key, title in titles.items():
        text = text.replace(f"theme ‘{key}’", f"the theme ‘{title}’")
    return text


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def latest_version(tool_id: str) -> int:
    ensure_default_tools()
    latest = db.session.scalar(
        select(func.max(AuditToolVersion.version)).where(AuditToolVersion.tool_id == tool_id)
    )
    if latest is None:
        raise LookupError(f"There is no audit tool {tool_id!r}")
    return int(latest)


def save_version(draft: ToolDraft, reason: str, actor: Staff) -> Tool:
    """Store the draft as the tool's next version, with the reason, and end the draft.

    EditorError if the draft breaks the schema (nothing is written then)."""
    data = data_of(draft)
    data["version"] = latest_version(draft.tool_id) + 1
    checked = check(data)
    if checked.tool is None:
        raise EditorError("; ".join(checked.problems))
    tool = checked.tool
    db.session.add(
        AuditToolVersion(
            tool_id=tool.id,
            version=tool.version,
            title=tool.title,
            source=yaml.safe_dump(tool_to_dict(tool), sort_keys=False, allow_unicode=True),
            uploaded_at=now(),
            uploaded_by_id=actor.id,
            reason=reason,
        )
    )
    record(
        actor,
        "tool_edited",
        "audit_tool",
        None,
        f"{tool.title} version {tool.version}, made from version {draft.based_on_version} "
        f"in the tool editor: {reason}",
    )
    db.session.delete(draft)
    db.session.commit()
    return tool


def version_text(tool_id: str, version: int) -> str:
    """The YAML a version was stored as, for download; LookupError if there is none."""
    get_tool(tool_id, version)
    row = db.session.scalar(
        select(AuditToolVersion).where(
            AuditToolVersion.tool_id == tool_id, AuditToolVersion.version == version
        )
    )
    if row is None:
        raise LookupError(f"There is no audit tool {tool_id!r} version {version}")
    return row.source


def question_values(question: Mapping[str, Any]) -> dict[str, Any]:
    """A question's stored fields as the question page's form shows them."""
    if question.get("evidence_required"):
        evidence = "every"
    elif question.get("comment_required_below") is None:
        evidence = "none"
    else:
        evidence = "short"
    return {
        "text": question.get("text", ""),
        "hint": question.get("hint", ""),
        "guidance": plain_citations(question.get("guidance", "")),
        "sources": sources_in_words(list(question.get("sources", []))),
        "scale": question.get("scale", "yes_partly_no"),
        "weight": question.get("weight", 1.0),
        "critical": "yes" if question.get("critical") else "no",
        "evidence": evidence,
        "not_applicable": "yes" if question.get("allow_not_applicable", True) else "no",
        "themes": list(question.get("themes", [])),
        "sensitive": "yes" if question.get("sensitive") else "no",
    }


def apply_question(
    data: Data, question: Data, values: Mapping[str, Any], sources: list[str]
) -> None:
    """Write the question page's answers into the stored question (its key and pre-fill,
    which the page does not show, stay as they were); a theme new to the tool joins the
    themes the tool names, where it names them."""
    question.update(
        text=values["text"].strip(),
        hint=values["hint"].strip(),
        guidance=citations_as_files(values["guidance"].strip()),
        sources=sources,
        scale=values["scale"],
        weight=float(values["weight"]),
        critical=values["critical"] == "yes",
        evidence_required=values["evidence"] == "every",
        comment_required_below=None if values["evidence"] == "none" else 1.0,
        allow_not_applicable=values["not_applicable"] == "yes",
        themes=list(values["themes"]),
        sensitive=values["sensitive"] == "yes",
    )
    question.setdefault("prefill", None)
    if isinstance(data.get("themes"), list):
        data["themes"] += [t for t in question["themes"] if t not in data["themes"]]
