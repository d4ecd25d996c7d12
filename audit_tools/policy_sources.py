"""The councils' policy documents the audit tools and profiles cite, by their titles.

Definitions cite a policy as "file, section" ("003_2701f8fa2326f2b4.txt, 9.3"): the file
name is the document's fixed name in `audit_tools/policies/`, which nobody reading a page
knows. `POLICIES` is the one mapping from that file to the council's title for it, so a
page says "Coventry supervision policy (2015), section 9.3" and can show that section.

Policy texts are converted documents: headings look like "3.", "3.1.", "- 5.2", "## 10.0",
and some documents restart their numbering, so a section is found by its number or, where
the number is only in the contents list, by the title the contents list gives it. A section
runs to the next heading numbered later at the same level or above; numbered list items
inside it ("1. Personal Supervision" inside section 9) number lower and do not end it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class PolicyDocument:
    """A council's policy document: its file, its title on pages and its name in addresses."""

    file_name: str
    title: str
    slug: str


POLICIES: dict[str, PolicyDocument] = {
    document.file_name: document
    for document in (
        PolicyDocument(
            "000_3a84f6082ffc4311.txt", "Leicester supervision practice guidance", "leicester"
        ),
        PolicyDocument(
            "001_20b868241c344233.txt", "Havering social work supervision policy", "havering"
        ),
        PolicyDocument(
            "002_fc6309e5cdf09554.txt",
            "Blackpool children's services supervision guidance (2020)",
            "blackpool",
        ),
        PolicyDocument(
            "003_2701f8fa2326f2b4.txt", "Coventry supervision policy (2015)", "coventry"
        ),
        PolicyDocument(
            "004_fde0c66ff807e5b0.txt", "Haringey adult social care supervision policy", "haringey"
        ),
    )
}
BY_SLUG = {document.slug: document for document in POLICIES.values()}

# A citation in running text: "003_2701f8fa2326f2b4.txt, 9.3" or "…txt, Appendix 2".
CITATION = re.compile(
    r"(?P<file>\d{3}_[0-9a-f]{16}\.txt)"
    r"(?:,\s+(?:section\s+)?(?P<section>(?:Appendix\s+\d+)|\d+(?:\.\d+)*))?"
)
HEADING = re.compile(r"^[\s#*\-•·]*(?:(\d+(?:\.\d+)+)\.?|(\d+)\.)\s+(.*)$")
APPENDIX = re.compile(r"^[\s#*]*(Appendix \d+)\b", re.IGNORECASE)
CONTENTS_PAGE = re.compile(r"\t\d+\s*$")
SECTION = re.compile(r"^(?:Appendix \d+|\d+(?:\.\d+)*)$", re.IGNORECASE)


def citation_words(file_name: str, section: str | None) -> str:
    """ "Coventry supervision policy (2015), section 9.3" for a file and section."""
    document = POLICIES.get(file_name)
    title = document.title if document else "a council's supervision policy"
    if not section:
        return title
    if section.casefold().startswith("appendix"):
        return f"{title}, {section.lower()}"
    return f"{title}, section {section}"


def plain_citations(text: str) -> str:
    """`text` with every "file, section" citation in it written as the policy's title."""
    return CITATION.sub(lambda found: citation_words(found["file"], found["section"]), text)


@cache
def policy_text(file_name: str) -> str:
    """The whole text of one of the shipped policy documents."""
    if file_name not in POLICIES:
        raise KeyError(file_name)
    folder = resources.files("audit_tools").joinpath("policies")
    return folder.joinpath(file_name).read_text(encoding="utf-8")


def section_text(file_name: str, section: str) -> str | None:
    """The text of one section of a policy document, or None if it has no such section."""
    if file_name not in POLICIES or not SECTION.match(section):
        return None
    return next(section_texts(policy_text(file_name), section), None)


def _heading(line: str) -> tuple[tuple[int, ...], str] | None:
    found = HEADING.match(line)
    if found is None:
        return None
    number = found.group(1) or found.group(2)
    return tuple(int(part) for part in number.split(".")), found.group(3)


def _title(text: str) -> str:
    return " ".join(text.replace("*", "").replace("#", "").split()).casefold()


def _until_later(lines: list[str], start: int, number: tuple[int, ...]) -> str:
    for end in range(start + 1, len(lines)):
        heading = _heading(lines[end])
        if heading and len(heading[0]) <= len(number) and heading[0] > number:
            return "\n".join(lines[start:end])
    return "\n".join(lines[start:])


def _appendix(lines: list[str], name: str) -> Iterator[str]:
    for start, line in enumerate(lines):
        found = APPENDIX.match(line)
        if found and found.group(1).casefold() == name.casefold():
            end = next(
                (
                    later
                    for later in range(start + 1, len(lines))
                    if (other := APPENDIX.match(lines[later]))
                    and other.group(1).casefold() != name.casefold()
                ),
                len(lines),
            )
            yield "\n".join(lines[start:end])


def section_texts(text: str, section: str) -> Iterator[str]:
    """Every stretch of `text` that could be `section` ("5.2", "3", "Appendix 2"), the
    body first where the contents list names it."""
    lines = text.splitlines()
    if section.casefold().startswith("appendix"):
        yield from _appendix(lines, section)
        return
    wanted = tuple(int(part) for part in section.split("."))
    for start, line in enumerate(lines):
        heading = _heading(line)
        if heading is None or heading[0] != wanted:
            continue
        if CONTENTS_PAGE.search(line):
            title = _title(CONTENTS_PAGE.sub("", heading[1]))
            for body, other in enumerate(lines):
                found = _heading(other)
                if body != start and found and _title(found[1]) == title:
                    yield _until_later(lines, body, found[0])
        yield _until_later(lines, start, wanted)
