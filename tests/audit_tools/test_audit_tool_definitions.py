"""The shipped tools and frequency rules: complete, and true to the policies they quote."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from audit_tools.frequency import Citation, load_frequency_rules
from audit_tools.profile import load_profile
from audit_tools.schema import (
    PREFILLS,
    GradeBand,
    Question,
    Tool,
    default_tools,
    parse_tool,
    tool_to_dict,
)

# The five council policies the tools quote, kept with the tests so the quotations are
# checked on every clone; the shared copy beside the repository, where there is one, must
# be the same text.
POLICIES = Path(__file__).parents[2] / "audit_tools" / "policies"  # as the service ships them
SHARED_POLICIES = Path(__file__).parents[2].parent / "shared" / "policies"
TOOLS = default_tools()
FILE_AUDIT = next(tool for tool in TOOLS if tool.id == "supervision-file-audit")
MANAGERS_AUDIT = next(tool for tool in TOOLS if tool.id == "managers-file-audit")


def all_questions() -> Iterator[tuple[Tool, Question]]:
    for tool in TOOLS:
        for _, question in tool.questions():
            yield tool, question


def normalise(text: str) -> str:
    """Compare quotations ignoring line breaks, curly versus straight quotes and bold marks."""
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("**", "")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


@cache
def policy_text(file_name: str) -> str:
    return normalise((POLICIES / file_name).read_text(encoding="utf-8"))


def cited_files(sources: tuple[str, ...]) -> set[str]:
    return {source.split(",")[0] for source in sources}


def quoted_in_policies(quotation: str, files: set[str]) -> bool:
    return any(normalise(quotation) in policy_text(name) for name in files)


def frequency_citations() -> list[Citation]:
    rules = load_frequency_rules()
    limits = (rules.maximum_gap, rules.minimum_per_year, rules.recording, rules.signing)
    return [
        *(rule.citation for rule in rules.intervals),
        rules.asye_citation,
        *(limit.citation for limit in limits),
        rules.agreement_review.citation,
        rules.kinds_citation,
    ]


def test_the_default_tools_load_with_distinct_ids() -> None:
    assert {tool.id: tool.version for tool in TOOLS} == {
        "managers-file-audit": 1,
        "personal-supervision-audit": 1,
        "supervision-file-audit": 2,
    }


def test_the_supervision_file_audit_covers_every_area_in_the_design() -> None:
    assert [section.key for section in FILE_AUDIT.sections] == [
        "frequency_timeliness",
        "agreement",
        "childs_voice",
        "smart_actions",
        "disagreements",
        "reflection",
        "oversight",
        "wellbeing_development",
        "equality",
        "overall",
    ]


def test_every_children_s_services_theme_is_asked_about_by_the_supervision_file_audit() -> None:
    used = {theme for _, question in FILE_AUDIT.questions() for theme in question.themes}
    assert used == set(load_profile("coventry").vocabulary().keys) == set(FILE_AUDIT.themes)


def test_practitioners_files_are_not_judged_by_how_team_managers_are_supervised() -> None:
    workload = FILE_AUDIT.question("workload_reviewed")
    assert "003_2701f8fa2326f2b4.txt, 9.3" not in workload.sources
    assert "workload management arrangements" not in workload.guidance


def test_the_managers_file_audit_asks_what_coventry_9_3_and_9_4_require() -> None:
    asked = {q.key: q for _, q in MANAGERS_AUDIT.questions()}
    for key in ("workload_reports_examined", "workload_arrangements_reviewed"):
        assert {"003_2701f8fa2326f2b4.txt, 9.3", "003_2701f8fa2326f2b4.txt, 9.4"} <= set(
            asked[key].sources
        )
    assert "computerised workload reports" in asked["workload_reports_examined"].guidance
    assert asked["workload_reports_examined"].critical
    assert "supervising their staff" in asked["supervising_practice_discussed"].guidance
    assert "003_2701f8fa2326f2b4.txt, 9.2" in asked["sampled_file_noted"].sources


def test_every_question_cites_a_policy_file_that_exists() -> None:
    for tool, question in all_questions():
        for name in cited_files(question.sources):
            assert (POLICIES / name).is_file(), f"{tool.id} {question.key} cites {name}"


def test_every_question_guidance_names_each_source_and_quotes_a_policy() -> None:
    for tool, question in all_questions():
        assert re.search(r"“[^”]+”", question.guidance), f"{tool.id} {question.key}"
        for source in question.sources:
            assert source in question.guidance, f"{tool.id} {question.key}: {source}"


def test_every_quotation_in_guidance_appears_word_for_word_in_a_cited_policy() -> None:
    for tool, question in all_questions():
        files = cited_files(question.sources)
        for quotation in re.findall(r"“([^”]+)”", question.guidance):
            assert quoted_in_policies(quotation, files), f"{tool.id} {question.key}: {quotation}"


def test_a_made_up_quotation_would_be_caught() -> None:
    files = {"000_3a84f6082ffc4311.txt"}
    assert quoted_in_policies("Is the child safe?", files)
    assert not quoted_in_policies("Supervision must happen every day", files)


def test_every_frequency_rule_quotes_its_policy_word_for_word() -> None:
    for citation in frequency_citations():
        name = citation.source.split(",")[0]
        assert (POLICIES / name).is_file(), citation.source
        assert quoted_in_policies(citation.quote, {name}), citation.quote


def test_is_the_child_safe_is_a_critical_question_that_needs_evidence() -> None:
    child_safe = FILE_AUDIT.question("child_safe")
    assert child_safe.critical and child_safe.evidence_required
    assert "Is the child safe?" in child_safe.guidance
    assert FILE_AUDIT.limiting_cap == "requires_improvement"


def test_wellbeing_asks_only_whether_it_was_discussed_and_is_marked_sensitive() -> None:
    for tool in (tool for tool in TOOLS if tool.id != "managers-file-audit"):
        wellbeing = tool.question("wellbeing_discussed")
        assert wellbeing.sensitive
        assert (
            "Answer only whether" in wellbeing.hint and "Do not copy or describe" in wellbeing.hint
        )
        assert "004_fde0c66ff807e5b0.txt, 6.3" in wellbeing.sources


def test_disagreement_questions_allow_not_applicable_when_there_was_none() -> None:
    disagreements = FILE_AUDIT.section("disagreements").questions
    assert len(disagreements) == 3
    assert all(question.allow_not_applicable for question in disagreements)


def test_frequency_and_agreement_questions_are_prefilled_from_imported_facts() -> None:
    prefilled = {q.prefill for _, q in FILE_AUDIT.questions() if q.prefill is not None}
    assert prefilled == set(PREFILLS)
    for section_key in ("frequency_timeliness", "agreement"):
        section = FILE_AUDIT.section(section_key)
        assert sum(q.prefill is not None for q in section.questions) >= 3


def test_key_answers_need_evidence_even_when_the_answer_is_yes() -> None:
    for tool in TOOLS:
        evidence = [q.key for _, q in tool.questions() if q.evidence_required]
        assert "overall_quality" in evidence
    file_evidence = {q.key for _, q in FILE_AUDIT.questions() if q.evidence_required}
    assert {"views_wishes_feelings", "views_shaped_plan", "actions_smart"} <= file_evidence


def test_each_tool_ends_with_a_judgement_that_cannot_be_not_applicable() -> None:
    for tool in TOOLS:
        overall = tool.sections[-1].questions[-1]
        assert overall.key == "overall_quality" and overall.scale == "judgement"
        assert not overall.allow_not_applicable


def test_the_grade_bands_are_those_documented_in_the_tool_files() -> None:
    for tool in TOOLS:
        assert tool.grade_bands == (
            GradeBand("outstanding", 0.9),
            GradeBand("good", 0.75),
            GradeBand("requires_improvement", 0.5),
            GradeBand("inadequate", 0.0),
        )


def test_a_question_key_shared_by_two_tools_uses_the_same_scale() -> None:
    scales: dict[str, str] = {}
    for _, question in all_questions():
        assert scales.setdefault(question.key, question.scale) == question.scale


def test_the_default_tools_round_trip_through_plain_data() -> None:
    for tool in TOOLS:
        assert parse_tool(tool_to_dict(tool), "round-trip") == tool


@pytest.mark.skipif(not SHARED_POLICIES.is_dir(), reason="no shared policies folder here")
def test_the_policies_kept_with_the_tests_are_the_shared_ones():
    for shared in sorted(SHARED_POLICIES.glob("*.txt")):
        assert (POLICIES / shared.name).read_bytes() == shared.read_bytes(), shared.name
