"""A council profile's document and the form that edits it.

The form shows, per staff category, who is in it (roles, holding cases or not) and its
interval, longest gap and yearly minimum; then the ASYE stages, the agreement review period,
the recording and signing deadlines, the kinds of session that count and how long records
are kept. `apply_form` writes what was entered into a copy of the document: a rule left as it
was keeps its words, its citation and its note; a changed rule keeps the section it cites and
says, in `decided`, who changed it, when and why, since the number is now the council's
decision and not the policy's words. Sections the form does not edit are copied unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import yaml

from qa.formatting import long_date
from qa.org.models import SESSION_TYPE_LABELS
from qa.roles import ROLE_LABELS, Role

# (field, unit): the words for the unit and the largest number the form accepts
LIMITS: dict[str, int] = {
    "days": 366,
    "months": 24,
    "sessions": 52,
    "working_days": 60,
    "years": 100,
    "weeks": 104,
}
UNIT_WORDS = {
    "days": "days",
    "months": "months",
    "sessions": "sessions",
    "working_days": "working days",
    "years": "years",
    "weeks": "weeks",
}
GENERAL_RULES: tuple[tuple[str, str, str], ...] = (
    ("agreement_review", "months", "How often the supervision agreement is reviewed"),
    ("agreement_made", "weeks", "Time allowed to make the supervision agreement"),
    ("recording", "working_days", "Time allowed to write up a session"),
    ("signing", "working_days", "Time allowed to sign the record"),
    ("retention", "years", "How long a leaver's records are kept"),
)
CASES = {"either": None, "yes": True, "no": False}


def dump_document(data: Mapping[str, object]) -> str:
    """The profile as YAML, fields in the order given, words as written."""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=92)


@dataclass
class Problems:
    """What is wrong with the form, each message by the id of the field it is about."""

    found: list[tuple[str, str]] = field(default_factory=list)

    def add(self, field_id: str, message: str) -> None:
        self.found.append((field_id, message))

    def of(self, field_id: str) -> str:
        return next((message for where, message in self.found if where == field_id), "")

    def __bool__(self) -> bool:
        return bool(self.found)


def _amount(rule: object) -> tuple[str, str]:
    """(amount as text, unit) of a rule in a document: ("", "") when silent or missing."""
    if not isinstance(rule, Mapping) or rule.get("silent") is True:
        return "", ""
    for unit in LIMITS:
        if unit in rule:
            return str(rule[unit]), unit
    return "", ""


def form_values(data: Mapping[str, object]) -> dict[str, object]:
    """The form's fields filled from a profile document."""
    values: dict[str, object] = {}
    for index, category in enumerate(_categories(data)):
        amount, unit = _amount(category.get("interval"))
        values[f"c{index}-interval"] = amount
        values[f"c{index}-interval_unit"] = unit or "days"
        values[f"c{index}-longest_gap"] = _amount(category.get("longest_gap"))[0]
        values[f"c{index}-yearly_minimum"] = _amount(category.get("yearly_minimum"))[0]
        roles = category.get("roles")
        values[f"c{index}-roles"] = (
            [role.value for role in Role] if roles == "all" else list(roles or [])  # type: ignore[call-overload]
        )
        held = category.get("case_holding")
        values[f"c{index}-case_holding"] = {None: "either", True: "yes", False: "no"}.get(
            held if isinstance(held, bool) else None, "either"
        )
    for index, stage in enumerate(_stages(data)):
        values[f"asye{index}-interval_days"] = str(stage.get("interval_days", ""))
        until = "until_weeks" if "until_weeks" in stage else "until_months"
        values[f"asye{index}-until"] = str(stage.get(until, ""))
        values[f"asye{index}-until_unit"] = until.removeprefix("until_")
    for name, _, _ in GENERAL_RULES:
        values[name] = _amount(data.get(name))[0]
    kinds = data.get("session_kinds")
    formal = kinds.get("formal") if isinstance(kinds, Mapping) else None
    values["formal_kinds"] = list(formal) if isinstance(formal, list) else []
    return values


def _categories(data: Mapping[str, object]) -> list[Mapping[str, object]]:
    found = data.get("categories")
    return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []


def _stages(data: Mapping[str, object]) -> list[Mapping[str, object]]:
    asye = data.get("asye")
    if not isinstance(asye, Mapping) or asye.get("silent") is True:
        return []
    found = asye.get("stages")
    return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []


def session_kinds(data: Mapping[str, object]) -> list[tuple[str, str]]:
    """Every kind of session the service knows or the profile names, with its words."""
    kinds = dict(SESSION_TYPE_LABELS)
    section = data.get("session_kinds")
    if isinstance(section, Mapping):
        for key in ("formal", "other"):
            for kind in section.get(key) or []:
                kinds.setdefault(str(kind), str(kind).replace("_", " ").capitalize())
    return list(kinds.items())


@dataclass(frozen=True)
class Change:
    """Who changes the profile, when, why, and the version the change makes."""

    version: int
    by: str
    in_force_from: date
    reason: str

    def said(self, what: str) -> str:
        return (
            f"{what} in version {self.version} by {self.by}, in force from "
            f"{long_date(self.in_force_from)}: {self.reason}"
        )


def _number(
    text: str, field_id: str, label: str, unit: str, problems: Problems, *, required: bool
) -> int | None:
    """A whole number from 1 to the unit's limit; None when left empty (and allowed)."""
    text = text.strip()
    if not text:
        if required:
            problems.add(field_id, f"Enter {label}")
        return None
    if not text.isdigit():
        problems.add(field_id, f"{label[:1].upper()}{label[1:]} must be a whole number, like 4")
        return None
    amount = int(text)
    if not 1 <= amount <= LIMITS[unit]:
        problems.add(
            field_id,
            f"{label[:1].upper()}{label[1:]} must be between 1 and {LIMITS[unit]} "
            f"{UNIT_WORDS[unit]}",
        )
        return None
    return amount


def _set_rule(rule: object, amount: int | None, unit: str, change: Change) -> object:
    """The rule with `amount` in `unit` (None: not set), unchanged when the same."""
    if _amount(rule) == ((str(amount), unit) if amount is not None else ("", "")):
        return rule
    old = dict(rule) if isinstance(rule, Mapping) else {}
    kept = {key: old[key] for key in ("source", "quote") if key in old}
    words = f"{amount} {UNIT_WORDS[unit]}" if amount is not None else ""
    if amount is None:
        said = change.said("Not checked")
        return {"silent": True, "note": said, **kept, "decided": said}
    return {unit: amount, **kept, "decided": change.said(f"Set to {words}")}


def apply_form(
    data: Mapping[str, object], form: Mapping[str, object], change: Change
) -> tuple[dict[str, object], Problems]:
    """A copy of the document `data` with the form's values written in, and the problems
    found (the copy is not to be saved when there are any)."""
    problems = Problems()
    result: dict[str, object] = copy.deepcopy(dict(data))
    categories = []
    for index, category in enumerate(_categories(data)):
        categories.append(_apply_category(index, category, form, change, problems))
    if categories:
        result["categories"] = categories
        _check_everyone_placed(categories, problems)
    _apply_asye(result, form, change, problems)
    for name, unit, label in GENERAL_RULES:
        amount = _number(_text(form, name), name, label.lower(), unit, problems, required=False)
        if not problems.of(name):
            result[name] = _set_rule(data.get(name), amount, unit, change)
    _apply_kinds(result, form, problems)
    return result, problems


def _text(form: Mapping[str, object], key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


def _list(form: Mapping[str, object], key: str) -> list[str]:
    value = form.get(key, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(item) for item in value] if isinstance(value, list) else []


def _apply_category(
    index: int,
    category: Mapping[str, object],
    form: Mapping[str, object],
    change: Change,
    problems: Problems,
) -> dict[str, object]:
    title = str(category.get("title", f"category {index + 1}"))
    found = dict(category)
    prefix = f"c{index}-"
    unit = _text(form, prefix + "interval_unit")
    if unit not in ("days", "months"):
        problems.add(prefix + "interval_unit", f"Choose days or months for {title}")
        unit = "days"
    interval = _number(
        _text(form, prefix + "interval"),
        prefix + "interval",
        f"the interval for {title}",
        unit,
        problems,
        required=True,
    )
    if interval is not None:
        found["interval"] = _set_rule(category.get("interval"), interval, unit, change)
    for key, rule_unit, label in (
        ("longest_gap", "months", "the longest gap"),
        ("yearly_minimum", "sessions", "the sessions a year"),
    ):
        amount = _number(
            _text(form, prefix + key),
            prefix + key,
            f"{label} for {title}",
            rule_unit,
            problems,
            required=False,
        )
        if not problems.of(prefix + key):
            found[key] = _set_rule(category.get(key), amount, rule_unit, change)
    if interval is not None and unit == "months" and found.get("longest_gap"):
        gap = _amount(found["longest_gap"])[0]
        if gap and int(gap) < interval:
            problems.add(
                prefix + "longest_gap",
                f"The longest gap for {title} cannot be shorter than its interval",
            )
    _apply_who(found, category, form, prefix, title, problems)
    return found


def _apply_who(
    found: dict[str, object],
    category: Mapping[str, object],
    form: Mapping[str, object],
    prefix: str,
    title: str,
    problems: Problems,
) -> None:
    """Who is in the category: its roles, and whether they hold cases."""
    roles = _list(form, prefix + "roles")
    known = [role.value for role in Role]
    if not roles:
        problems.add(prefix + "roles", f"Choose at least one role for {title}")
    elif any(role not in known for role in roles):
        problems.add(prefix + "roles", f"Choose roles from the list for {title}")
    elif sorted(roles) == sorted(known):
        found["roles"] = "all"
    elif category.get("roles") == "all" or sorted(roles) != sorted(
        category.get("roles") or []  # type: ignore[call-overload]
    ):
        found["roles"] = [role for role in known if role in roles]
    held = _text(form, prefix + "case_holding")
    if held not in CASES:
        problems.add(prefix + "case_holding", f"Choose whether {title} hold cases")
    elif CASES[held] is None:
        found.pop("case_holding", None)
    else:
        found["case_holding"] = CASES[held]


def _check_everyone_placed(categories: list[dict[str, object]], problems: Problems) -> None:
    """Every role, holding cases or not, must fall in some category."""
    for role in Role:
        for holds in (True, False):
            if not any(_matches(category, role.value, holds) for category in categories):
                cases = "holding cases" if holds else "not holding cases"
                problems.add(
                    "c0-roles",
                    f"{ROLE_LABELS[role]}s {cases} fall in no category: tick their role in one",
                )


def _matches(category: Mapping[str, object], role: str, holds: bool) -> bool:
    roles = category.get("roles")
    held = category.get("case_holding")
    return (roles == "all" or role in (roles or [])) and (  # type: ignore[operator]
        not isinstance(held, bool) or held == holds
    )


def _apply_asye(
    result: dict[str, object], form: Mapping[str, object], change: Change, problems: Problems
) -> None:
    """The ASYE stages: each row with an interval and an end; an empty row is no stage."""
    old = result.get("asye")
    stages = []
    rows = sorted(
        {int(key[4:].split("-")[0]) for key in form if key.startswith("asye") and "-" in key}
    )
    for index in rows:
        prefix = f"asye{index}-"
        given = [_text(form, prefix + key).strip() for key in ("interval_days", "until")]
        if not any(given):
            continue
        label = f"ASYE stage {index + 1}"
        days = _number(
            given[0],
            prefix + "interval_days",
            f"the interval of {label}",
            "days",
            problems,
            required=True,
        )
        unit = _text(form, prefix + "until_unit")
        if unit not in ("weeks", "months"):
            problems.add(prefix + "until_unit", f"Choose weeks or months for {label}")
            continue
        until = _number(
            given[1], prefix + "until", f"how long {label} lasts", unit, problems, required=True
        )
        if days is None or until is None:
            continue
        previous = _stages(result)[index] if index < len(_stages(result)) else {}
        reason = previous.get("reason") or f"Every {days} days until {until} {unit}"
        stages.append({f"until_{unit}": until, "interval_days": days, "reason": reason})
    before = _stages(result)
    same = [{key: stage[key] for key in stage if key != "reason"} for stage in before] == [
        {key: stage[key] for key in stage if key != "reason"} for stage in stages
    ]
    if same:
        return
    section = dict(old) if isinstance(old, Mapping) else {}
    kept = {key: section[key] for key in ("source", "quote") if key in section}
    if stages:
        result["asye"] = {"stages": stages, **kept, "decided": change.said("Stages set")}
    else:
        said = change.said("No ASYE stages")
        result["asye"] = {"silent": True, "note": said, **kept, "decided": said}


def _apply_kinds(result: dict[str, object], form: Mapping[str, object], problems: Problems) -> None:
    known = [kind for kind, _ in session_kinds(result)]
    formal = _list(form, "formal_kinds")
    if not formal:
        problems.add("formal_kinds", "Choose at least one kind of session that counts")
        return
    if any(kind not in known for kind in formal):
        problems.add("formal_kinds", "Choose kinds of session from the list")
        return
    section = dict(result.get("session_kinds") or {})  # type: ignore[call-overload]
    if sorted(section.get("formal") or []) == sorted(formal):
        return
    section["formal"] = [kind for kind in known if kind in formal]
    section["other"] = [kind for kind in known if kind not in formal]
    result["session_kinds"] = section
