"""Each council profile says which sampling policies its council's policy sets, quoting the
section word for word, or that the policy is silent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from audit_tools.profile import ProfileError
from audit_tools.profile_sampling import parse_sampling, sampling_of
from sampling.policies import DEFAULT_POLICIES, policy_to_dict
from tests.audit_tools.policy_sections import section_texts

POLICIES = Path(__file__).parents[2] / "audit_tools" / "policies"
SHIPPED = ("blackpool", "coventry", "haringey", "havering", "leicester")


def normalise(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("**", "")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def _citations():
    for name in SHIPPED:
        sampling = sampling_of(name)
        if sampling.citation.source:
            yield name, sampling.citation.source, sampling.citation.quote
        for wanted in sampling.policies:
            yield name, wanted.citation.source, wanted.citation.quote


@pytest.mark.parametrize(("name", "source", "quote"), list(_citations()))
def test_each_sampling_quotation_is_in_the_section_it_cites(name, source, quote):
    file_name, section = source.split(", ", 1)
    text = (POLICIES / file_name).read_text(encoding="utf-8")
    found = [normalise(part) for part in section_texts(text, section)]
    assert any(normalise(quote) in part for part in found), f"{name} {source}: {quote}"


def test_coventry_sets_the_monthly_quarterly_and_six_monthly_audits_of_section_9():
    sampling = sampling_of("coventry")
    assert not sampling.silent
    cited = {p.policy.key: p.citation.source for p in sampling.policies}
    assert cited == {
        "monthly-team-manager": "003_2701f8fa2326f2b4.txt, 9.3",
        "quarterly-service-manager": "003_2701f8fa2326f2b4.txt, 9.4",
        "six-monthly-random": "003_2701f8fa2326f2b4.txt, 9.2",
    }
    by_key = {p.policy.key: p.policy for p in sampling.policies}
    assert by_key["monthly-team-manager"].selector_role == "service_manager"
    assert by_key["quarterly-service-manager"].selector_role == "head_of_service"
    assert by_key["six-monthly-random"].population == "all_open_files"
    assert by_key["quarterly-service-manager"].tool_id == "managers-file-audit"
    assert by_key["monthly-team-manager"].tool_id == "supervision-file-audit"


def test_the_shipped_defaults_are_coventrys_policies():
    """A new service starts with Coventry's policies, so choosing Coventry changes nothing
    but the tools it names."""
    coventry = {p.policy.key: policy_to_dict(p.policy) for p in sampling_of("coventry").policies}
    for default in DEFAULT_POLICIES:
        wanted = coventry[default.key]
        shipped = policy_to_dict(default)
        wanted.pop("tool_id"), shipped.pop("tool_id")
        assert wanted == shipped


@pytest.mark.parametrize("name", ["blackpool", "haringey", "havering", "leicester"])
def test_the_other_four_policies_are_silent_on_auditing_files_and_say_so(name):
    sampling = sampling_of(name)
    assert sampling.silent and not sampling.policies
    assert "sets no" in sampling.note


def _coventry(section: object) -> dict[str, object]:
    return {
        "name": "coventry",
        "policy_file": "003_2701f8fa2326f2b4.txt",
        "sampling_policies": section,
    }


def _one_policy(**changes: object) -> dict[str, object]:
    data = yaml.safe_load(
        (Path(__file__).parents[2] / "audit_tools" / "profiles" / "coventry.yaml").read_text()
    )["sampling_policies"]["policies"][0]
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (None, "sampling_policies is missing"),
        ({"silent": True}, "needs a ‘note’"),
        ({"policies": []}, "must list at least one policy"),
        ({"policies": [_one_policy(quote=None)]}, "‘quote’ must give the policy's own words"),
        (
            {"policies": [_one_policy(source="000_3a84f6082ffc4311.txt, 3")]},
            "must cite 003_2701f8fa2326f2b4.txt",
        ),
        ({"policies": [_one_policy(cadence="weekly")]}, "'cadence' must be one of"),
        ({"policies": [_one_policy(selector_role="qa_officer")]}, "workloads are drawn by"),
        ({"policies": [_one_policy(), _one_policy()]}, "appears more than once"),
        ({"silent": True, "note": "x", "colour": "red"}, "unknown field ‘colour’"),
    ],
)
def test_a_bad_sampling_section_is_refused_naming_the_problem(section, message):
    with pytest.raises(ProfileError) as caught:
        parse_sampling(_coventry(section), "coventry.yaml")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems
