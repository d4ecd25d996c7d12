"""The retention rules as data: qa/jobs/retention.yaml, or the council's own file named by
RETENTION_FILE. The rules are checked when read, and a wrong one is named with what to fix."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from flask import current_app

DEFAULT_FILE = Path(__file__).with_name("retention.yaml")

# What each kind of record may become, and how it reads on a page.
RECORDS = {
    "audits_of_leavers": (("anonymise", "delete"), "Audits of a leaver's supervision file"),
    "outbox_messages": (("delete",), "E-mail messages"),
    "events": (("delete",), "Event log entries"),
    "job_runs": (("delete",), "Scheduler job runs"),
    "closed_cases": (("delete",), "Closed cases"),
}


class RetentionRulesError(ValueError):
    """The retention rules file is not usable; the message names the rule and the fix."""


@dataclass(frozen=True)
class Rule:
    key: str
    records: str
    keep_years: int
    then: str
    basis: str
    documents: tuple[str, ...] = ()

    @property
    def records_label(self) -> str:
        return RECORDS[self.records][1]

    @property
    def counted_from(self) -> str:
        if self.records == "audits_of_leavers":
            return "after the supervisee left"
        if self.records == "closed_cases":
            return "after the case closed"
        return "after they were made"

    @property
    def outcome(self) -> str:
        return "anonymised" if self.then == "anonymise" else "deleted"


@dataclass(frozen=True)
class Rules:
    version: int
    rules: tuple[Rule, ...]
    source: str
    profile: str = ""  # the council profile that set the period for leavers' audits, if one


def with_leavers_period(rules: Rules, years: int, basis: str, profile: str) -> Rules:
    """The rules with the council profile's period for audits of leavers, in place of the
    file's; the file still says what happens to them then, and everything else."""
    changed = tuple(
        replace(rule, keep_years=years, basis=basis)
        if rule.records == "audits_of_leavers"
        else rule
        for rule in rules.rules
    )
    return replace(rules, rules=changed, profile=profile)


def load_rules() -> Rules:
    """The rules in force: the council's file when RETENTION_FILE is set, else the default."""
    path = Path(str(current_app.config.get("RETENTION_FILE") or DEFAULT_FILE))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RetentionRulesError(f"The retention rules in {path} cannot be read: {exc}") from exc
    return parse_rules(data, str(path))


def parse_rules(data: Any, source: str) -> Rules:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RetentionRulesError(f"{source}: give a version and a list of rules")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise RetentionRulesError(f"{source}: give the rules a version, a whole number from 1")
    rules = tuple(_rule(item, source) for item in data["rules"])
    keys = [r.key for r in rules]
    if len(set(keys)) != len(keys):
        raise RetentionRulesError(f"{source}: each rule needs its own key")
    return Rules(version, rules, source)


def _rule(item: Any, source: str) -> Rule:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        raise RetentionRulesError(f"{source}: every rule needs a key")
    where = f"{source}, rule {item['key']}"
    records = item.get("records")
    if records not in RECORDS:
        raise RetentionRulesError(f"{where}: records must be one of {', '.join(RECORDS)}")
    allowed = RECORDS[records][0]
    if item.get("then") not in allowed:
        raise RetentionRulesError(f"{where}: then must be {' or '.join(allowed)}")
    years = item.get("keep_years")
    if not isinstance(years, int) or isinstance(years, bool) or years < 1:
        raise RetentionRulesError(f"{where}: keep_years must be a whole number of years from 1")
    documents = item.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise RetentionRulesError(f"{where}: documents must be a list of document kinds")
    unknown = sorted(set(item) - {"key", "records", "keep_years", "then", "basis", "documents"})
    if unknown:
        raise RetentionRulesError(f"{where}: unknown setting {unknown[0]!r}")
    return Rule(
        key=item["key"],
        records=records,
        keep_years=years,
        then=item["then"],
        basis=str(item.get("basis") or ""),
        documents=tuple(documents),
    )
