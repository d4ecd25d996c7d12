"""The policy documents by title: every citation in the shipped tools reads as a council's
policy and section, and opens to text."""

from __future__ import annotations

import pytest

from audit_tools.policy_sources import (
    CITATION,
    POLICIES,
    citation_words,
    plain_citations,
    section_text,
)
from audit_tools.profile import load_profile, profile_names
from audit_tools.schema import default_tools, tool_to_dict


def cited_in_tools() -> list[tuple[str, str]]:
    found = set()
    for tool in default_tools():
        text = str(tool_to_dict(tool))
        found |= {(m["file"], m["section"]) for m in CITATION.finditer(text)}
    return sorted(found)


@pytest.mark.parametrize(("file_name", "section"), cited_in_tools())
def test_every_section_the_tools_cite_is_found_in_its_policy(file_name: str, section: str) -> None:
    assert section, f"{file_name} is cited without a section"
    assert section_text(file_name, section), f"{file_name}, {section}"


def test_a_citation_reads_as_the_councils_policy_and_section() -> None:
    guidance = "“Each month…” (003_2701f8fa2326f2b4.txt, 9.3); see 002_fc6309e5cdf09554.txt, 6."
    assert plain_citations(guidance) == (
        "“Each month…” (Coventry supervision policy (2015), section 9.3); "
        "see Blackpool children's services supervision guidance (2020), section 6."
    )
    assert citation_words("000_3a84f6082ffc4311.txt", "Appendix 2") == (
        "Leicester supervision practice guidance, appendix 2"
    )


def test_the_coventry_cadence_section_is_the_policys_own_words() -> None:
    text = section_text("003_2701f8fa2326f2b4.txt", "9.3") or ""
    assert text.startswith("### 9.3 Supervision of team managers")
    assert "Each month service managers will select a supervision file" in text
    assert "9.4" not in text


@pytest.mark.parametrize("section", ["99.1", "9.3; rm", "../x", ""])
def test_a_section_that_is_not_there_is_none(section: str) -> None:
    assert section_text("003_2701f8fa2326f2b4.txt", section) is None


def test_each_profile_names_its_policy_by_the_same_title() -> None:
    for name in profile_names():
        profile = load_profile(name)
        assert POLICIES[profile.policy_file].title == profile.policy, name
