"""The policy form as a policy's data and back, and the preview of how many files it draws.

Every setting is a form field: radios for the choices, numbers for the size rule's settings
(percentages as people write them, fractions as the rule stores them). Reading the form gives
either the policy's data or, per field, the error to show beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from qa.audits.tools import tool_versions
from qa.clock import today
from qa.extensions import db
from qa.org.models import ServiceArea, Staff, SupervisionFile, Team
from qa.roles import ROLE_LABELS, Role, role_label
from qa.selections.forms import PolicyForm
from qa.selections.frames import load_organisation
from qa.selections.service import build_frame, selectors_for
from sampling.planning import RuleError, SampleSize
from sampling.policies import (
    DEFAULT_WORKING_DAYS,
    TOOL_ID,
    WORKLOAD_POPULATIONS,
    Policy,
    policy_from_dict,
    working_days_allowed,
)

# The key a policy has while it is previewed, before it is saved under its own.
PREVIEW_KEY = "preview"


class FormErrors(Exception):
    """Errors to show beside named fields of the policy form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def fill_choices(form: PolicyForm) -> None:
    """The choices that come from the organisation and the stored audit tools."""
    form.roles.choices = [
        (role.value, label) for role, label in ROLE_LABELS.items() if role != Role.ADMINISTRATOR
    ]
    form.areas.choices = [
        (name, name) for name in db.session.scalars(select(ServiceArea.name).order_by("name"))
    ]
    form.teams.choices = [
        (name, name) for name in db.session.scalars(select(Team.name).order_by("name").distinct())
    ]
    files = db.session.execute(
        select(SupervisionFile.id, Staff.name, Staff.role)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .order_by(Staff.name, SupervisionFile.id)
    ).all()
    form.files.choices = [
        (file_id, f"{name}, {role_label(role).lower()}") for file_id, name, role in files
    ]
    latest: dict[str, tuple[int, str]] = {}
    for row in tool_versions():  # latest version first for each tool
        latest.setdefault(row.tool_id, (row.version, row.title))
    form.tool_id.choices = [
        (tool_id, f"{title} (version {version} is the latest)")
        for tool_id, (version, title) in sorted(latest.items(), key=lambda item: item[1][1])
    ]


def fill_from_policy(form: PolicyForm, policy: Policy, active: bool) -> None:
    """Show a saved policy in the form."""
    form.title.data = policy.title
    form.description.data = policy.description
    form.active.data = active
    form.cadence.data = policy.cadence
    form.selector_role.data = policy.selector_role
    form.population.data = policy.population
    scope = policy.scope
    form.files.data = list(scope.get("files") or [])  # type: ignore[call-overload]
    form.roles.data = list(scope.get("roles") or [])  # type: ignore[call-overload]
    form.areas.data = list(scope.get("areas") or [])  # type: ignore[call-overload]
    form.teams.data = list(scope.get("teams") or [])  # type: ignore[call-overload]
    holding = scope.get("case_holding")
    form.case_holding.data = "any" if holding is None else ("yes" if holding else "no")
    form.auditor_rule.data = policy.auditor_rule
    form.tool_id.data = policy.tool_id
    form.leavers.data = policy.exclusions.leavers
    form.supervisor_is_auditor.data = policy.exclusions.supervisor_is_auditor
    form.opened_within_weeks.data = policy.exclusions.opened_within_weeks
    form.audited_within_months.data = policy.exclusions.audited_within_months
    _fill_size(form, policy.size_rule)
    form.due_kind.data = str(policy.due_rule["kind"])
    weeks = policy.due_rule.get("weeks")
    form.due_weeks.data = weeks if isinstance(weeks, int) else None
    form.due_working_days.data = working_days_allowed(policy)
    form.sign_off_rule.data = policy.sign_off_rule


def _percent(value: object) -> str:
    return f"{Decimal(str(value)) * 100:f}".rstrip("0").rstrip(".") if value is not None else ""


def _fill_size(form: PolicyForm, rule: Any) -> None:
    kind = str(rule.get("kind"))
    form.size_kind.data = kind
    if kind == "fixed":
        form.size_n.data = str(rule["n"])
    elif kind == "fraction":
        form.size_percent.data = _percent(rule["fraction"])
        form.size_minimum.data = str(rule["minimum"])
        form.size_maximum.data = str(rule["maximum"])
    elif kind == "proportion":
        form.proportion_margin.data = _percent(rule["margin"])
        form.proportion_confidence.data = _percent(rule["confidence"])
        form.proportion_expected.data = _percent(rule.get("expected", 0.5))
    elif kind == "attribute":
        form.attribute_tolerable.data = _percent(rule["tolerable_rate"])
        form.attribute_confidence.data = _percent(rule["confidence"])
        form.attribute_expected.data = str(rule.get("expected_deviations", 0))


class _Reader:
    """Reads the conditional number fields, keeping one error per field."""

    def __init__(self, form: PolicyForm) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def whole(self, name: str, what: str, low: int, high: int) -> int:
        text = (getattr(self.form, name).data or "").strip().replace(",", "")
        if not text:
            self.errors[name] = f"Enter {what}"
            return 0
        if not text.isdigit() or not low <= int(text) <= high:
            self.errors[name] = (
                f"{what[0].upper()}{what[1:]} must be a whole number from {low} to {high:,}"
            )
            return 0
        return int(text)

    def percent(self, name: str, what: str, *, allow_hundred: bool = False) -> float:
        text = (getattr(self.form, name).data or "").strip().removesuffix("%").strip()
        upper = "100" if allow_hundred else "less than 100"
        if not text:
            self.errors[name] = f"Enter {what}"
            return 0.0
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not (0 < value < 100 or (allow_hundred and value == 100)):
            self.errors[name] = (
                f"{what[0].upper()}{what[1:]} must be a percentage more than 0 and "
                f"{'up to' if allow_hundred else ''} {upper}".replace("  ", " ")
            )
            return 0.0
        return float(value / 100)


def size_rule_from(form: PolicyForm, reader: _Reader) -> dict[str, object]:
    kind = form.size_kind.data
    if kind == "fixed":
        return {"kind": "fixed", "n": reader.whole("size_n", "the number of files", 1, 100000)}
    if kind == "fraction":
        rule: dict[str, object] = {
            "kind": "fraction",
            "fraction": reader.percent(
                "size_percent", "the percentage of the files", allow_hundred=True
            ),
            "minimum": reader.whole("size_minimum", "the least number of files", 0, 100000),
            "maximum": reader.whole("size_maximum", "the most files", 1, 100000),
        }
        if (
            "size_minimum" not in reader.errors
            and "size_maximum" not in reader.errors
            and int(rule["minimum"]) > int(rule["maximum"])  # type: ignore[call-overload]
        ):
            reader.errors["size_maximum"] = "The most files cannot be fewer than the least"
        return rule
    if kind == "proportion":
        return {
            "kind": "proportion",
            "margin": reader.percent("proportion_margin", "the margin of error"),
            "confidence": reader.percent("proportion_confidence", "the confidence"),
            "expected": reader.percent(
                "proportion_expected", "the share you expect to meet the standard"
            ),
        }
    if kind == "attribute":
        return {
            "kind": "attribute",
            "tolerable_rate": reader.percent(
                "attribute_tolerable", "the most files that may fall short"
            ),
            "confidence": reader.percent("attribute_confidence", "the confidence"),
            "expected_deviations": reader.whole(
                "attribute_expected", "how many files you expect to fall short", 0, 1000
            ),
        }
    reader.errors["size_kind"] = "Select how the number of files is set"
    return {}


def policy_data(form: PolicyForm) -> dict[str, object]:
    """The policy's data from a form that passed its own checks, or FormErrors."""
    reader = _Reader(form)
    size_rule = size_rule_from(form, reader)
    due: dict[str, object] = {
        "kind": form.due_kind.data,
        "working_days": form.due_working_days.data,
    }
    if form.due_kind.data == "weeks_after_start":
        if form.due_weeks.data is None:
            reader.errors["due_weeks"] = "Enter the number of weeks after the period starts"
        due["weeks"] = form.due_weeks.data
    scope: dict[str, object] = {}
    for name in ("roles", "areas", "teams"):
        chosen = [value for value in getattr(form, name).data or [] if value]
        allowed = {value for value, _ in getattr(form, name).choices or []}
        if any(value not in allowed for value in chosen):
            reader.errors[name] = "Choose from the list"
        if chosen:
            scope[name] = sorted(chosen)
    if form.case_holding.data in ("yes", "no"):
        scope["case_holding"] = form.case_holding.data == "yes"
    if form.population.data == "chosen_files":
        files = [f for f in form.files.data or [] if f]
        allowed_files = {value for value, _ in form.files.choices or []}
        if not files:
            reader.errors["files"] = "Choose at least one file for a thematic audit"
        elif any(f not in allowed_files for f in files):
            reader.errors["files"] = "Choose files from the list"
        scope["files"] = sorted(files)
    if form.tool_id.data not in {value for value, _ in form.tool_id.choices or []}:
        reader.errors["tool_id"] = "Select an audit tool from the list"
    if reader.errors:
        raise FormErrors(reader.errors)
    return {
        "title": (form.title.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "active": bool(form.active.data),
        "cadence": form.cadence.data,
        "selector_role": form.selector_role.data,
        "population": form.population.data,
        "scope": scope,
        "auditor_rule": form.auditor_rule.data,
        "tool_id": form.tool_id.data,
        "exclusions": {
            "leavers": bool(form.leavers.data),
            "opened_within_weeks": form.opened_within_weeks.data,
            "audited_within_months": form.audited_within_months.data,
            "supervisor_is_auditor": bool(form.supervisor_is_auditor.data),
        },
        "size_rule": size_rule,
        "due_rule": due,
        "sign_off_rule": form.sign_off_rule.data,
    }


def checked(data: dict[str, object], key: str | None) -> Policy:
    """The policy the form describes, checked as it would be saved (FormErrors, naming the
    field, for choices that cannot work together); nothing is saved."""
    values = {name: value for name, value in data.items() if name != "active"}
    values["key"] = key or PREVIEW_KEY
    values["version"] = 1
    try:
        return policy_from_dict(values)
    except RuleError as error:
        raise FormErrors({_field_for(str(error)): str(error)}) from error


def _field_for(message: str) -> str:
    """The form field a policy's RuleError is about."""
    text = message.lower()
    if "workload" in text:
        return "selector_role"
    if "file" in text and "sample size" not in text and "size_rule" not in text:
        return "files"
    if "due" in text:
        return "due_kind"
    if "size" in text or "setting" in text:
        return "size_kind"
    return "title"


def starting_point() -> Policy:
    """What a new policy's form starts from: a one-off audit of a few open files, drawn by a
    quality assurance officer and audited by managers from another line."""
    return policy_from_dict(
        {
            "key": PREVIEW_KEY,
            "version": 1,
            "title": "New audit",
            "cadence": "ad-hoc",
            "selector_role": str(Role.QA_OFFICER),
            "population": "all_open_files",
            "size_rule": {"kind": "fixed", "n": 5},
            "exclusions": {},
            "auditor_rule": "independent_manager",
            "due_rule": {"kind": "end_of_period", "working_days": DEFAULT_WORKING_DAYS},
            "tool_id": TOOL_ID,
            "sign_off_rule": "area_head_of_service",
        }
    )


def show_errors(form: PolicyForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        getattr(form, name).errors = [message]


@dataclass(frozen=True)
class PreviewLine:
    """One frame the policy would draw from today, and the size it would draw."""

    heading: str
    size: SampleSize
    eligible: int
    left_out: int


@dataclass(frozen=True)
class Preview:
    """How many files the policy would draw today, and why, frame by frame."""

    lines: tuple[PreviewLine, ...]
    more: int  # frames not shown
    empty: str  # what to say when there is nothing to draw from


MOST_LINES = 8


def preview(policy: Policy) -> Preview:
    """What the policy would draw if it were drawn today: for a service-wide population the
    whole frame; for managers' workloads each workload of each selector."""
    on = today()
    org = load_organisation()
    lines: list[PreviewLine] = []
    if policy.population not in WORKLOAD_POPULATIONS:
        frame = build_frame(policy, "", None, org, on)
        assert frame.size is not None
        lines.append(
            PreviewLine(
                "Across the service", frame.size, len(frame.eligible), len(frame.exclusions)
            )
        )
        return Preview(tuple(lines), 0, "")
    names = {s.external_id: s.name for s in db.session.scalars(select(Staff))}
    total = 0
    for selector in selectors_for(policy, on):
        assert selector is not None
        frame = build_frame(policy, "", selector, org, on)
        for manager, size in sorted(frame.sizes.items()):
            total += 1
            if len(lines) < MOST_LINES:
                lines.append(
                    PreviewLine(
                        f"{names.get(manager, 'A manager')}'s workload, drawn by {selector.name}",
                        size,
                        len(frame.workloads[manager]),
                        0,
                    )
                )
    empty = "" if lines else "Nobody draws this policy today: no one in post has that role."
    return Preview(tuple(lines), total - len(lines), empty)
