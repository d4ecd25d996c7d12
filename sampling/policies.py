"""The audit cadences as versioned data, and the pure selection for each.

A council changes a policy by saving a new version of its data, never by a code branch:
every field (cadence, who draws, which files, how many, who audits, when due, who signs off,
which audit tool) is a value a form or a council profile sets. The
defaults are Coventry's (003_2701f8fa2326f2b4.txt, section 9): monthly, a service manager
audits a file from one team manager's workload (9.3); quarterly, a head of service audits a
file from each service manager's workload (9.4); and every six months managers audit a
random selection of files (9.2). Periods, exclusions and the cadence selections live in
their own modules and are re-exported here, so the app has one place to import them from.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from sampling.cadences import (
    DrawRecord,
    Selection,
    assign_auditors,
    monthly_team_manager,
    next_reserve,
    quarterly_service_manager,
    record_draw,
    six_monthly_random,
)
from sampling.exclusions import Exclusion, Exclusions, FileUnit, apply_exclusions
from sampling.periods import (
    CADENCES,
    SCHEDULED_CADENCES,
    Period,
    long_date,
    next_period,
    parse_period,
    period_bounds,
    period_key,
    previous_period,
)
from sampling.planning import RuleError, check_rule

__all__ = [
    "AUDITOR_RULES",
    "AUDITOR_RULE_LABELS",
    "CADENCES",
    "CADENCE_LABELS",
    "DEFAULT_POLICIES",
    "POPULATIONS",
    "POPULATION_LABELS",
    "SCHEDULED_CADENCES",
    "SELECTOR_LABELS",
    "SELECTOR_ROLES",
    "SIGN_OFF_RULES",
    "SIGN_OFF_RULE_LABELS",
    "DrawRecord",
    "Exclusion",
    "Exclusions",
    "FileUnit",
    "Period",
    "Policy",
    "RuleError",
    "Selection",
    "apply_exclusions",
    "assign_auditors",
    "default_sign_off_rule",
    "due_date",
    "long_date",
    "monthly_team_manager",
    "next_period",
    "next_reserve",
    "parse_period",
    "period_bounds",
    "period_key",
    "policy_from_dict",
    "policy_to_dict",
    "previous_period",
    "quarterly_service_manager",
    "record_draw",
    "six_monthly_random",
    "working_days_allowed",
]

SELECTOR_ROLES = ("service_manager", "head_of_service", "qa_officer")
POPULATIONS = (
    "team_manager_workloads",
    "service_manager_workloads",
    "all_open_files",
    "chosen_files",
)
# Populations drawn from the workloads of the selector's own managers, so the selector must
# be someone with managers reporting to them.
WORKLOAD_POPULATIONS = ("team_manager_workloads", "service_manager_workloads")
AUDITOR_RULES = ("selector", "independent_manager")
CADENCE_LABELS = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "six-monthly": "Every six months",
    "annual": "Once a year",
    "ad-hoc": "Once only (an ad hoc or thematic audit)",
}
SELECTOR_LABELS = {
    "service_manager": "Each service manager",
    "head_of_service": "Each head of service",
    "qa_officer": "A quality assurance officer, for the whole service",
}
POPULATION_LABELS = {
    "team_manager_workloads": "The workload of one of the selector's team managers, taking "
    "each team manager in turn",
    "service_manager_workloads": "The workload of each of the selector's service managers",
    "all_open_files": "Open files across the service, drawn at random within each service area",
    "chosen_files": "A chosen list of files (for a thematic audit)",
}
AUDITOR_RULE_LABELS = {
    "selector": "The person who draws the files",
    "independent_manager": "Managers from another line of management, shared out evenly",
}
# What narrows a population: the supervisees' roles, service areas and teams, whether they
# hold cases, and (for "chosen_files") the files themselves. An empty list means any.
SCOPE_LISTS = ("roles", "areas", "teams")
# Who signs off an audit made under the policy; never its auditor (see `default_sign_off_rule`).
SIGN_OFF_RULES = ("area_head_of_service", "quality_assurance")
SIGN_OFF_RULE_LABELS = {
    "area_head_of_service": "the head of service for the file's service area",
    "quality_assurance": "a quality assurance officer",
}
# The policies are silent on how long an auditor has once a file is drawn. Ten working days
# is the time Blackpool allows to sign a supervision record (002_fc6309e5cdf09554.txt,
# section 6), the longest recording deadline in the five policies.
DEFAULT_WORKING_DAYS = 10
TOOL_ID = "supervision-file-audit"

_KEY_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_EXCLUSION_FIELDS = tuple(f.name for f in dataclasses.fields(Exclusions))


@dataclass(frozen=True)
class Policy:
    """One version of an audit cadence: who selects, from which files, how many, who audits.

    Checked when made, raising RuleError naming the bad field; the two rules are copied into
    read-only mappings so a policy cannot change after it is saved.
    """

    key: str
    version: int
    title: str
    cadence: str
    selector_role: str
    population: str
    size_rule: Mapping[str, object]
    exclusions: Exclusions
    auditor_rule: str
    due_rule: Mapping[str, object]
    tool_id: str
    description: str = field(default="")
    sign_off_rule: str = field(default="")
    scope: Mapping[str, object] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.key, self.version))

    def __post_init__(self) -> None:
        if self.sign_off_rule == "" and isinstance(self.cadence, str):
            object.__setattr__(self, "sign_off_rule", default_sign_off_rule(self.cadence))
        _check_policy(self)
        object.__setattr__(self, "size_rule", MappingProxyType(dict(self.size_rule)))
        object.__setattr__(self, "due_rule", MappingProxyType(dict(self.due_rule)))
        object.__setattr__(self, "scope", MappingProxyType(_frozen_scope(self.scope)))

    @property
    def drawn_by_hand(self) -> bool:
        """A one-off policy is drawn by a person on the day they choose, never by the
        scheduler."""
        return self.cadence not in SCHEDULED_CADENCES


_OPTIONAL_FIELDS = ("description", "sign_off_rule", "scope")
_POLICY_FIELDS = tuple(f.name for f in dataclasses.fields(Policy))


def policy_to_dict(policy: Policy) -> dict[str, object]:
    """Return the policy as plain, JSON-able data (the inverse of ``policy_from_dict``)."""
    data: dict[str, object] = {name: getattr(policy, name) for name in _POLICY_FIELDS}
    data["size_rule"] = dict(policy.size_rule)
    data["due_rule"] = dict(policy.due_rule)
    data["scope"] = {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in policy.scope.items()
    }
    data["exclusions"] = dataclasses.asdict(policy.exclusions)
    return data


def policy_from_dict(data: Mapping[str, object]) -> Policy:
    """Build a policy from stored data, raising RuleError that names any bad field."""
    if not isinstance(data, Mapping):
        raise RuleError("A policy must be a set of named fields")
    for name in data:
        if name not in _POLICY_FIELDS:
            raise RuleError(f"Policy has an unknown field {name!r}")
    for name in _POLICY_FIELDS:
        if name not in data and name not in _OPTIONAL_FIELDS:
            raise RuleError(f"Policy is missing the field {name!r}")
    values: dict[str, Any] = dict(data)
    values["exclusions"] = _exclusions_from(data["exclusions"])
    for name in ("size_rule", "due_rule", "scope"):
        if name in values and not isinstance(values[name], Mapping):
            raise RuleError(f"Policy field {name!r} must be a set of named settings")
    return Policy(**values)


def default_sign_off_rule(cadence: str) -> str:
    """Who signs off when a policy does not say: the head of service of the file's area, except
    for the quarterly audit, which that head of service makes (Coventry, 003_2701f8fa2326f2b4.txt,
    9.4) and so cannot sign. Coventry is silent on who countersigns it; a quality assurance
    officer does, because the quality assurance arrangements of section 9.1 sit outside the
    line of management that is being audited. Versions saved before policies named their
    sign-off rule read with this default."""
    return "quality_assurance" if cadence == "quarterly" else "area_head_of_service"


def due_date(policy: Policy, key: str, earliest: date | None = None) -> date:
    """The date the audits of this policy's selection for the period are due.

    "end_of_period" is the last day of the period; "weeks_after_start" is that many weeks
    after its first day (six weeks for the six-monthly sample). A selection drawn late is
    never due before `earliest`: the draw date plus the policy's working days, which the app
    counts with England's bank holidays and passes in.
    """
    period = parse_period(key)
    if period.cadence != policy.cadence:
        raise ValueError(f"Period {period.key} is {period.cadence}, not {policy.cadence}")
    first, last = period_bounds(key)
    if policy.due_rule["kind"] == "end_of_period":
        due = last
    else:
        due = first + timedelta(weeks=_weeks(policy.due_rule))
    return max(due, earliest) if earliest is not None else due


def working_days_allowed(policy: Policy) -> int:
    """The working days an auditor has at least, counted from the day the file is drawn."""
    value = policy.due_rule.get("working_days", DEFAULT_WORKING_DAYS)
    assert isinstance(value, int)
    return value


def check_due_rule(rule: Mapping[str, object]) -> None:
    """Check a due rule's shape; raise RuleError saying what is wrong."""
    kind = rule.get("kind")
    if kind == "end_of_period":
        expected = {"kind", "working_days"}
    elif kind == "weeks_after_start":
        expected = {"kind", "weeks", "working_days"}
        _weeks(rule)
    else:
        raise RuleError(f"Due rule kind {kind!r} is not one of: end_of_period, weeks_after_start")
    unknown = sorted(set(rule) - expected)
    if unknown:
        raise RuleError(f"Due rule {kind!r} has an unknown setting {unknown[0]!r}")
    _check_working_days(rule)


def _check_working_days(rule: Mapping[str, object]) -> None:
    days = rule.get("working_days", DEFAULT_WORKING_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 60:
        raise RuleError(
            f"Due rule 'working_days' must be a whole number from 0 to 60, not {days!r}"
        )


def _weeks(rule: Mapping[str, object]) -> int:
    weeks = rule.get("weeks")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 26:
        raise RuleError(f"Due rule 'weeks' must be a whole number from 1 to 26, not {weeks!r}")
    return weeks


def _check_policy(policy: Policy) -> None:
    if not isinstance(policy.key, str) or not _KEY_PATTERN.fullmatch(policy.key):
        raise RuleError(
            "Policy field 'key' must be lower-case letters and digits joined by hyphens, "
            f"not {policy.key!r}"
        )
    version = policy.version
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RuleError(f"Policy field 'version' must be a whole number from 1, not {version!r}")
    for name in ("title", "tool_id"):
        value = getattr(policy, name)
        if not isinstance(value, str) or not value.strip():
            raise RuleError(f"Policy field {name!r} must be some text")
    if not isinstance(policy.description, str):
        raise RuleError("Policy field 'description' must be text")
    for name, choices in (
        ("cadence", CADENCES),
        ("selector_role", SELECTOR_ROLES),
        ("population", POPULATIONS),
        ("auditor_rule", AUDITOR_RULES),
        ("sign_off_rule", SIGN_OFF_RULES),
    ):
        value = getattr(policy, name)
        if value not in choices:
            raise RuleError(
                f"Policy field {name!r} must be one of: {', '.join(choices)}, not {value!r}"
            )
    _check_combination(policy)
    if not isinstance(policy.exclusions, Exclusions):
        raise RuleError("Policy field 'exclusions' must be a set of exclusion settings")
    for name, check in (("size_rule", check_rule), ("due_rule", check_due_rule)):
        rule = getattr(policy, name)
        if not isinstance(rule, Mapping):
            raise RuleError(f"Policy field {name!r} must be a set of named settings")
        try:
            check(rule)
        except RuleError as error:
            raise RuleError(f"Policy field {name!r}: {error}") from error


def _check_combination(policy: Policy) -> None:
    """Choices that cannot work together, each refused with what to change."""
    if policy.population in WORKLOAD_POPULATIONS:
        whose = (
            "team managers'"
            if policy.population == "team_manager_workloads"
            else ("service managers'")
        )
        allowed = (
            ("service_manager", "head_of_service")
            if policy.population == "team_manager_workloads"
            else ("head_of_service",)
        )
        if policy.selector_role not in allowed:
            who = " or ".join(SELECTOR_LABELS[role].lower() for role in allowed)
            raise RuleError(
                f"Files from the {whose} workloads are drawn by {who}, who manage them: choose "
                "that selector or another population"
            )
    files = policy.scope.get("files") if isinstance(policy.scope, Mapping) else None
    if policy.population == "chosen_files" and not files:
        raise RuleError("Choose at least one file for a policy that audits a chosen list of files")
    if policy.population != "chosen_files" and files:
        raise RuleError("Only a policy that audits a chosen list of files names files")


def _frozen_scope(scope: object) -> dict[str, object]:
    """Check a scope and return it with its lists as tuples, raising RuleError naming the
    bad setting."""
    if not isinstance(scope, Mapping):
        raise RuleError("Policy field 'scope' must be a set of named settings")
    found: dict[str, object] = {}
    for name, value in scope.items():
        if name in SCOPE_LISTS:
            if not isinstance(value, list | tuple) or not all(
                isinstance(item, str) and item.strip() for item in value
            ):
                raise RuleError(f"Policy scope {name!r} must be a list of names")
            found[name] = tuple(sorted(set(value)))
        elif name == "files":
            if not isinstance(value, list | tuple) or not all(
                isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value
            ):
                raise RuleError("Policy scope 'files' must be a list of file numbers")
            found[name] = tuple(sorted(set(value)))
        elif name == "case_holding":
            if not isinstance(value, bool):
                raise RuleError("Policy scope 'case_holding' must be true or false")
            found[name] = value
        else:
            raise RuleError(f"Policy scope has an unknown setting {name!r}")
    return found


def _exclusions_from(value: object) -> Exclusions:
    if not isinstance(value, Mapping):
        raise RuleError("Policy field 'exclusions' must be a set of named settings")
    for name in value:
        if name not in _EXCLUSION_FIELDS:
            raise RuleError(f"Policy field 'exclusions' has an unknown setting {name!r}")
    try:
        return Exclusions(**value)
    except ValueError as error:
        raise RuleError(f"Policy field 'exclusions': {error}") from error


DEFAULT_POLICIES: tuple[Policy, ...] = (
    Policy(
        key="monthly-team-manager",
        version=1,
        title="Monthly team manager audit",
        cadence="monthly",
        selector_role="service_manager",
        population="team_manager_workloads",
        size_rule={"kind": "fixed", "n": 1},
        exclusions=Exclusions(),
        auditor_rule="selector",
        due_rule={"kind": "end_of_period", "working_days": DEFAULT_WORKING_DAYS},
        tool_id=TOOL_ID,
        sign_off_rule="area_head_of_service",
        description=(
            "Each month every service manager audits one supervision file from the workload "
            "of one of their team managers, taking team managers in turn so that each "
            "workload is covered before any is repeated (Coventry policy, section 9.3)."
        ),
    ),
    Policy(
        key="quarterly-service-manager",
        version=1,
        title="Quarterly service manager audit",
        cadence="quarterly",
        selector_role="head_of_service",
        population="service_manager_workloads",
        size_rule={"kind": "fixed", "n": 1},
        exclusions=Exclusions(),
        auditor_rule="selector",
        due_rule={"kind": "end_of_period", "working_days": DEFAULT_WORKING_DAYS},
        tool_id=TOOL_ID,
        sign_off_rule="quality_assurance",
        description=(
            "Each quarter every head of service audits one supervision file from the "
            "workload of each of their service managers (Coventry policy, section 9.4). The "
            "head of service is the auditor, so a quality assurance officer signs it off."
        ),
    ),
    Policy(
        key="six-monthly-random",
        version=1,
        title="Six-monthly random sample",
        cadence="six-monthly",
        selector_role="qa_officer",
        population="all_open_files",
        size_rule={
            "kind": "attribute",
            "tolerable_rate": 0.05,
            "confidence": 0.95,
            "expected_deviations": 0,
        },
        exclusions=Exclusions(),
        auditor_rule="independent_manager",
        due_rule={"kind": "weeks_after_start", "weeks": 6, "working_days": DEFAULT_WORKING_DAYS},
        tool_id=TOOL_ID,
        sign_off_rule="area_head_of_service",
        description=(
            "Every six months a random sample of open supervision files, drawn across "
            "service areas, is audited by managers from a different line of management "
            "(Coventry policy, section 9.2)."
        ),
    ),
)
