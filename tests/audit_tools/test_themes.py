"""Themes are each council's: a profile names its vocabulary, a tool names the themes it uses,
and a tool using a theme the profile in force lacks is refused, naming the question."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from audit_tools.profile import ProfileError, load_profile, parse_profile
from audit_tools.schema import ToolError, default_tools, parse_tool, tool_to_dict
from tests.audit_tools.policy_sections import section_texts
from tests.audit_tools.test_audit_tool_schema import first_question, valid_tool
from tests.audit_tools.test_council_profiles import normalise

POLICIES = Path(__file__).parents[2] / "audit_tools" / "policies"
CHILDRENS = ("blackpool", "coventry", "havering", "leicester")

# The titles the service showed for each theme before themes were the councils'; audits done
# then are read by these keys, so the children's services profiles keep these titles.
EARLIER_TITLES = {
    "childs_voice": "The child's voice",
    "smart_actions": "SMART actions",
    "disagreements": "Disagreements recorded",
    "reflection": "Reflection and analysis",
    "oversight": "Management oversight and safety",
    "timeliness": "Frequency and timeliness",
    "wellbeing": "Worker wellbeing and development",
    "equality": "Equality, diversity and anti-discriminatory practice",
}


def tool_with_themes(*themes: str, question_themes: list[str] | None = None) -> dict[str, Any]:
    data = valid_tool() | {"themes": list(themes)}
    first_question(data).update(themes=question_themes if question_themes else list(themes))
    return data


@pytest.mark.parametrize("name", CHILDRENS)
def test_childrens_services_profiles_keep_the_themes_earlier_audits_were_read_by(
    name: str,
) -> None:
    vocabulary = load_profile(name).vocabulary()
    assert {key: vocabulary.title(key) for key in vocabulary.keys} == EARLIER_TITLES


def test_haringey_speaks_of_the_persons_voice_not_the_childs() -> None:
    vocabulary = load_profile("haringey").vocabulary()
    assert vocabulary.title("persons_voice") == "The person's voice"
    assert "childs_voice" not in vocabulary
    assert "strengths" in vocabulary


def theme_quotations() -> list[tuple[str, str, str]]:
    found = []
    for name in ("blackpool", "coventry", "haringey", "havering", "leicester"):
        for theme in load_profile(name).themes:
            sources = re.findall(r"\((\d{3}_[0-9a-f]+\.txt, [^)]+)\)", theme.description)
            for quotation in re.findall(r"“([^”]+)”", theme.description):
                found.append((f"{name} {theme.key}", quotation, ";".join(sources)))
    return found


@pytest.mark.parametrize(("where", "quotation", "sources"), theme_quotations())
def test_each_theme_quotation_is_in_a_section_its_description_cites(
    where: str, quotation: str, sources: str
) -> None:
    assert sources, f"{where} quotes its policy without citing a section"
    texts = []
    for source in sources.split(";"):
        file_name, section = source.split(", ", 1)
        texts += section_texts((POLICIES / file_name).read_text(encoding="utf-8"), section)
    assert any(normalise(quotation) in normalise(text) for text in texts), where


def test_haringey_themes_quote_its_own_policy() -> None:
    assert len([q for q in theme_quotations() if q[0].startswith("haringey")]) >= 9


def test_coventry_says_the_sampling_is_recorded_in_the_supervisors_own_records() -> None:
    record = load_profile("coventry").sampling_record
    assert record.source == "003_2701f8fa2326f2b4.txt, 9.2"
    text = (POLICIES / "003_2701f8fa2326f2b4.txt").read_text(encoding="utf-8")
    assert any(normalise(record.quote) in normalise(t) for t in section_texts(text, "9.2"))
    assert not load_profile("leicester").sampling_record.source


def profile_data(name: str) -> dict[str, Any]:
    import yaml

    path = Path(__file__).parents[2] / "audit_tools" / "profiles" / f"{name}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("themes"), "‘themes’ is missing"),
        (
            lambda d: d["themes"].append(dict(d["themes"][0])),
            "the key ‘persons_voice’ is used by two",
        ),
        (lambda d: d["themes"][0].pop("title"), "theme ‘persons_voice’: ‘title’ is missing"),
        (lambda d: d["themes"][0].update(key="Person's voice"), "must be lower-case letters"),
        (lambda d: d["themes"][0].update(colour="red"), "unknown field ‘colour’"),
    ],
)
def test_a_profile_with_a_bad_theme_vocabulary_is_refused_naming_the_field(
    change: Any, expected: str
) -> None:
    data = profile_data("haringey")
    change(data)
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, "haringey.yaml")
    assert expected in str(caught.value)


def test_a_tool_for_adult_services_may_use_the_persons_voice_under_haringey() -> None:
    haringey = load_profile("haringey").vocabulary()
    tool = parse_tool(tool_with_themes("persons_voice", "strengths"), "adults.yaml", haringey)
    assert tool.themes == ("persons_voice", "strengths")


def test_a_tool_using_a_theme_the_profile_in_force_lacks_is_refused_naming_the_question() -> None:
    haringey = load_profile("haringey").vocabulary("the council profile in force (Haringey)")
    with pytest.raises(ToolError) as caught:
        parse_tool(tool_with_themes("childs_voice"), "childrens.yaml", haringey)
    problems = "\n".join(caught.value.problems)
    assert (
        "childrens.yaml: themes: theme ‘childs_voice’ is not one of the themes of the council "
        "profile in force (Haringey) (use one of: persons_voice, smart_actions" in problems
    )
    assert "section ‘voice’, question ‘views’: theme ‘childs_voice’ is not one of" in problems


def test_the_persons_voice_is_refused_under_a_childrens_services_profile() -> None:
    coventry = load_profile("coventry").vocabulary()
    with pytest.raises(ToolError, match="theme ‘persons_voice’ is not one of the themes of"):
        parse_tool(tool_with_themes("persons_voice"), "adults.yaml", coventry)


def test_a_tool_checked_against_the_profile_must_name_its_themes() -> None:
    data = tool_with_themes("childs_voice")
    data.pop("themes")
    with pytest.raises(ToolError, match="‘themes’ is missing: name the themes the questions use"):
        parse_tool(data, "unnamed.yaml", load_profile("coventry").vocabulary())


def test_a_stored_tool_written_before_tools_named_themes_takes_its_questions_themes() -> None:
    data = tool_with_themes("childs_voice", question_themes=["childs_voice", "reflection"])
    data.pop("themes")
    assert parse_tool(data, "version 1").themes == ("childs_voice", "reflection")


@pytest.mark.parametrize("name", CHILDRENS)
def test_every_shipped_tool_names_its_themes_and_passes_each_childrens_profile(name: str) -> None:
    vocabulary = load_profile(name).vocabulary()
    for tool in default_tools():
        assert parse_tool(tool_to_dict(tool), tool.id, vocabulary) == tool
