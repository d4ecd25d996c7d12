"""Read definition files (audit tools, frequency rules), collecting every problem.

Tool and frequency-rule files are written by people, so a bad file must come back with a
list of *all* its problems, each naming the file, the place in it and what is wrong, rather
than stopping at the first. `FieldReader` does the reading and keeps that list.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import yaml

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SOURCE_PATTERN = re.compile(r"^[^,\s][^,]*\.[A-Za-z0-9]+, \S.*$")


class DefinitionError(ValueError):
    """A definition file (an audit tool or the frequency rules) that cannot be used.

    `problems` holds every problem found, each a sentence naming the file and the place.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        return heading + ":\n" + "\n".join(f"- {problem}" for problem in self.problems)


def quoted(value: object) -> str:
    """Show a value inside curly quotes, as it appears in problem messages."""
    return f"‘{value}’"


def type_name(value: object) -> str:
    """Name a parsed value's type the way a person writing YAML would think of it."""
    names = {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
    }
    return names.get(type(value), type(value).__name__)


class FieldReader:
    """Reads fields from mappings, defaulting or recording a problem when one is wrong."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        """Record a problem at `where` (empty for the top of the file)."""
        place = f"{where}: " if where else ""
        self.problems.append(f"{self.source}: {place}{message}")

    def check_fields(
        self, data: Mapping[str, object], allowed: Collection[str], where: str
    ) -> None:
        """Report fields the schema does not know, which are usually misspellings."""
        for field in data:
            if field not in allowed:
                self.problem(where, f"unknown field {quoted(field)}")

    def mapping(self, value: object, where: str) -> Mapping[str, object] | None:
        """Return `value` as a mapping with text keys, or record that it is not one."""
        if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
            return value
        self.problem(where, f"must be a mapping of fields, not {type_name(value)}")
        return None

    def text(
        self, data: Mapping[str, object], field: str, where: str, default: str | None = None
    ) -> str:
        """A non-empty text field; required unless `default` is given."""
        value = data.get(field)
        if value is None:
            if default is None:
                self.problem(where, f"{quoted(field)} is missing")
            return default or ""
        if not isinstance(value, str):
            self.problem(where, f"{quoted(field)} must be text, not {type_name(value)}")
            return default or ""
        if not value.strip() and default is None:
            self.problem(where, f"{quoted(field)} is empty")
        return value.strip()

    def key(self, data: Mapping[str, object], field: str, where: str) -> str:
        """A stable key: lower-case letters, digits and underscores."""
        value = self.text(data, field, where)
        if value and not KEY_PATTERN.match(value):
            self.problem(
                where,
                f"{quoted(field)} {quoted(value)} must be lower-case letters, digits and "
                "underscores, starting with a letter",
            )
        return value

    def integer(
        self, data: Mapping[str, object], field: str, where: str, default: int | None = None
    ) -> int:
        """A whole-number field; required unless `default` is given."""
        value = data.get(field)
        if value is None:
            if default is None:
                self.problem(where, f"{quoted(field)} is missing")
            return default or 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, f"{quoted(field)} must be a whole number, not {type_name(value)}")
            return default or 0
        return value

    def positive_integer(
        self, data: Mapping[str, object], field: str, where: str, default: int | None = None
    ) -> int:
        """A whole number of at least 1."""
        value = self.integer(data, field, where, default)
        if isinstance(data.get(field), int) and value < 1:
            self.problem(where, f"{quoted(field)} must be at least 1 (it is {value})")
        return value

    def number(self, data: Mapping[str, object], field: str, where: str, default: float) -> float:
        """A number field with a default."""
        value = data.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, f"{quoted(field)} must be a number, not {type_name(value)}")
            return default
        return float(value)

    def fraction(self, data: Mapping[str, object], field: str, where: str, default: float) -> float:
        """A number from 0 to 1 (a score)."""
        value = self.number(data, field, where, default)
        if not 0.0 <= value <= 1.0:
            self.problem(where, f"{quoted(field)} must be from 0 to 1 (it is {value:g})")
        return value

    def weight(self, data: Mapping[str, object], where: str) -> float:
        """A weight: a number greater than 0, 1 when absent."""
        value = self.number(data, "weight", where, 1.0)
        if value <= 0:
            self.problem(where, f"{quoted('weight')} must be greater than 0 (it is {value:g})")
        return value

    def flag(self, data: Mapping[str, object], field: str, where: str, default: bool) -> bool:
        """A true/false field with a default."""
        value = data.get(field, default)
        if not isinstance(value, bool):
            self.problem(where, f"{quoted(field)} must be true or false, not {type_name(value)}")
            return default
        return value

    def texts(self, data: Mapping[str, object], field: str, where: str) -> tuple[str, ...]:
        """A list of non-empty texts (an absent field is an empty list)."""
        value = data.get(field, [])
        if not isinstance(value, list):
            self.problem(where, f"{quoted(field)} must be a list, not {type_name(value)}")
            return ()
        items: list[str] = []
        for position, item in enumerate(value, start=1):
            if isinstance(item, str) and item.strip():
                items.append(item.strip())
            else:
                self.problem(where, f"item {position} of {quoted(field)} must be non-empty text")
        return tuple(items)

    def sources(self, data: Mapping[str, object], where: str) -> tuple[str, ...]:
        """Policy citations, each "file name, section"; at least one is required."""
        sources = self.texts(data, "sources", where)
        if not sources and isinstance(data.get("sources", []), list):
            self.problem(where, f"{quoted('sources')} is missing: cite the policy it comes from")
        for source in sources:
            if not SOURCE_PATTERN.match(source):
                self.problem(
                    where,
                    f"source {quoted(source)} must be a file name and a section, "
                    "e.g. ‘003_2701f8fa2326f2b4.txt, 9.3’",
                )
        return sources

    def items(
        self, data: Mapping[str, object], field: str, where: str
    ) -> list[Mapping[str, object]]:
        """A non-empty list of mappings; items that are not mappings are reported and skipped."""
        value = data.get(field)
        if value is None:
            self.problem(where, f"{quoted(field)} is missing")
            return []
        if not isinstance(value, list):
            self.problem(where, f"{quoted(field)} must be a list, not {type_name(value)}")
            return []
        if not value:
            self.problem(where, f"{quoted(field)} is empty")
        found: list[Mapping[str, object]] = []
        for position, item in enumerate(value, start=1):
            checked = self.mapping(item, f"{where + ', ' if where else ''}{field} item {position}")
            if checked is not None:
                found.append(checked)
        return found


def read_definition(file: Path, error: type[DefinitionError]) -> str:
    """The text of a definition file, or `error` naming the file if it cannot be read."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise error([f"{file.name}: cannot be read ({problem})"]) from None


MAX_DEPTH = 20
"""How deeply a definition may nest lists and mappings (a tool needs about six levels)."""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nesting deeper than MAX_DEPTH (which would otherwise
    exhaust Python's recursion) and aliases (`*name`, which can make a few lines stand for
    millions of entries); a definition needs neither."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._refuse("aliases (*name) are not allowed")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self._refuse(f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _refuse(self, problem: str) -> NoReturn:
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        raise yaml.composer.ComposerError(None, None, problem, mark)


def yaml_mapping(text: str, source: str, error: type[DefinitionError]) -> Mapping[str, object]:
    """Parse YAML (or JSON) text that must hold a mapping; syntax errors name the line."""
    try:
        # _BoundedLoader is a SafeLoader: it builds plain data only, never objects.
        data = yaml.load(text, Loader=_BoundedLoader)  # noqa: S506  # nosec B506
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise error([f"{source}: {line}not valid YAML ({problem.problem})"]) from None
    except yaml.YAMLError as problem:
        raise error([f"{source}: not valid YAML ({problem})"]) from None
    if not isinstance(data, dict):
        raise error([f"{source}: must be a mapping of fields at the top level"])
    return data
