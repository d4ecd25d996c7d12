"""Find a numbered section (or an appendix) of a council policy text, for checking that a
quotation is in the section it is cited from.

Policy texts are converted documents: headings look like "3.", "3.1.", "- 5.2", "## 10.0",
and some documents restart their numbering, so a section is found by its number or, where
the number is only in the contents list, by the title the contents list gives it. A section
runs to the next heading that is numbered later at the same level or above; numbered list
items inside it ("1. Personal Supervision" inside section 9) number lower and do not end it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

HEADING = re.compile(r"^[\s#*\-•·]*(?:(\d+(?:\.\d+)+)\.?|(\d+)\.)\s+(.*)$")
APPENDIX = re.compile(r"^[\s#*]*(Appendix \d+)\b", re.IGNORECASE)
CONTENTS_PAGE = re.compile(r"\t\d+\s*$")


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
    """Every stretch of `text` that could be `section` ("5.2", "3", "Appendix 2")."""
    lines = text.splitlines()
    if section.casefold().startswith("appendix"):
        yield from _appendix(lines, section)
        return
    wanted = tuple(int(part) for part in section.split("."))
    for start, line in enumerate(lines):
        heading = _heading(line)
        if heading is None or heading[0] != wanted:
            continue
        yield _until_later(lines, start, wanted)
        if CONTENTS_PAGE.search(line):
            title = _title(CONTENTS_PAGE.sub("", heading[1]))
            for body, other in enumerate(lines):
                found = _heading(other)
                if body != start and found and _title(found[1]) == title:
                    yield _until_later(lines, body, found[0])
