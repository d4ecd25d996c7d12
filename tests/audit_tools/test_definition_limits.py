"""A definition file is read with limits: deep nesting and aliases are refused with a
message naming the line, never a crash (10 KB of nesting used to exhaust the recursion)."""

from __future__ import annotations

import pytest
import yaml

from audit_tools._definition import MAX_DEPTH
from audit_tools.schema import ToolError, default_tools, load_tool_text, tool_to_dict


def test_deeply_nested_yaml_is_refused_with_the_line():
    text = "id: x\nsections: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ToolError) as refused:
        load_tool_text(text, "deep.yaml")
    assert refused.value.problems == (
        f"deep.yaml: line 2: not valid YAML (nested more than {MAX_DEPTH} levels deep)",
    )


def test_aliases_are_refused():
    text = "id: x\nbands: &b [1, 2]\nagain: *b\n"
    with pytest.raises(ToolError, match="aliases"):
        load_tool_text(text, "alias.yaml")


def test_every_shipped_tool_reads_within_the_limits():
    for tool in default_tools():
        assert load_tool_text(yaml.safe_dump(tool_to_dict(tool)), "tool.yaml") == tool
