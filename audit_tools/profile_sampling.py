"""Which sampling policies a council's own policy sets: the `sampling_policies` section of a
council profile.

Each policy the council's document sets is written out in full (how often, who draws, from
which files, how many, who audits with which tool, when due, who signs off), with the file
and section it comes from and the sentence quoted word for word. A council whose policy sets
no audit of supervision files says so (`silent: true`, a `note`, and where there are some the
nearest words): choosing that profile leaves the sampling policies in force as they are.

    sampling_policies:
      policies:
        - key: monthly-team-manager
          title: Monthly team manager audit
          cadence: monthly
          ...
          source: "003_2701f8fa2326f2b4.txt, 9.3"
          quote: "Each month service managers will select a supervision file ..."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from audit_tools._definition import SOURCE_PATTERN
from audit_tools.frequency_rules import Citation
from audit_tools.profile import ProfileError, profile_names
from sampling.planning import RuleError
from sampling.policies import Policy, policy_from_dict, policy_to_dict

SECTION = "sampling_policies"
_CITATION_FIELDS = {"source", "quote", "note"}


@dataclass(frozen=True)
class ProfilePolicy:
    """A sampling policy a council's policy sets, with where it says so."""

    policy: Policy
    citation: Citation
    note: str = ""

    @property
    def data(self) -> dict[str, Any]:
        """The policy's settings as a version saves them, without its key and version."""
        values = policy_to_dict(self.policy)
        values.pop("key")
        values.pop("version")
        return values


@dataclass(frozen=True)
class ProfileSampling:
    """The sampling policies of one profile, or its silence about them."""

    profile: str
    policies: tuple[ProfilePolicy, ...]
    silent: bool
    note: str
    citation: Citation


def sampling_of(name: str) -> ProfileSampling:
    """The sampling section of the shipped profile `name` (ProfileError naming each problem)."""
    if name not in profile_names():
        known = ", ".join(profile_names())
        raise ProfileError([f"there is no council profile ‘{name}’ (use one of {known})"])
    entry = resources.files("audit_tools").joinpath("profiles", f"{name}.yaml")
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise ProfileError([f"{name}.yaml: a profile must be a set of named fields"])
    return parse_sampling(data, f"{name}.yaml")


def parse_sampling(data: Mapping[str, object], source: str) -> ProfileSampling:
    """Read a profile's `sampling_policies` section, or raise ProfileError naming each
    problem."""
    name = str(data.get("name") or "")
    policy_file = str(data.get("policy_file") or "")
    problems: list[str] = []
    section = data.get(SECTION)
    where = f"{source}: {SECTION}"
    if not isinstance(section, Mapping):
        raise ProfileError(
            [
                f"{where} is missing: list the policies the council's policy sets, or say "
                "`silent: true` with a note"
            ]
        )
    unknown = sorted(set(section) - {"policies", "silent"} - _CITATION_FIELDS)
    problems += [f"{where} has an unknown field ‘{field}’" for field in unknown]
    if section.get("silent") is True:
        note = _text(section.get("note"))
        if not note:
            problems.append(f"{where}: a silent policy needs a ‘note’ saying what it says")
        if "policies" in section:
            problems.append(f"{where}: a silent policy lists no policies")
        citation = _citation(section, where, policy_file, problems, required=False)
        _raise(problems)
        return ProfileSampling(name, (), True, note, citation)
    items = section.get("policies")
    if not isinstance(items, list) or not items:
        problems.append(f"{where}: ‘policies’ must list at least one policy, or say `silent: true`")
        _raise(problems)
        items = []
    found: list[ProfilePolicy] = []
    for position, item in enumerate(items, start=1):
        place = f"{where}, policy {position}"
        if not isinstance(item, Mapping):
            problems.append(f"{place} must be a set of named fields")
            continue
        citation = _citation(item, place, policy_file, problems, required=True)
        values = {k: v for k, v in item.items() if k not in _CITATION_FIELDS}
        values["version"] = 1
        values.setdefault("exclusions", {})
        try:
            policy = policy_from_dict(values)
        except RuleError as error:
            problems.append(f"{place}: {error}")
            continue
        found.append(ProfilePolicy(policy, citation, _text(item.get("note"))))
    keys = [p.policy.key for p in found]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    problems += [f"{where}: policy ‘{key}’ appears more than once" for key in repeated]
    _raise(problems)
    return ProfileSampling(name, tuple(found), False, "", Citation(source="", quote=""))


def _citation(
    data: Mapping[str, object],
    where: str,
    policy_file: str,
    problems: list[str],
    *,
    required: bool,
) -> Citation:
    source, quote = _text(data.get("source")), " ".join(_text(data.get("quote")).split())
    if not required and not source and not quote:
        return Citation(source="", quote="")
    if not SOURCE_PATTERN.match(source):
        problems.append(f"{where}: ‘source’ must be the policy's file name and a section")
    elif policy_file and not source.startswith(f"{policy_file}, "):
        problems.append(f"{where}: ‘source’ must cite {policy_file}")
    if not quote:
        problems.append(f"{where}: ‘quote’ must give the policy's own words")
    return Citation(source=source, quote=quote)


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _raise(problems: list[str]) -> None:
    if problems:
        raise ProfileError(problems)
