"""A council's supervision policy as data: its profile.

One YAML document per council (audit_tools/profiles/<name>.yaml) says who is in which staff
category and, per category, the interval between sessions, the longest gap and the yearly
minimum; then the ASYE stages, the agreement review period, the recording and signing
deadlines and how long records are kept; the themes its audits are read by; and where the
sampling of a supervisor's files is recorded. Every number carries the section of the council's
policy it comes from and the words quoted from it; where the policy sets no number the rule
says so (`silent: true` and a sentence) rather than borrowing another council's.
`CouncilProfile.frequency_rules()` turns a profile into the rules the frequency engine reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from audit_tools._definition import (
    SOURCE_PATTERN,
    DefinitionError,
    FieldReader,
    quoted,
    yaml_mapping,
)
from audit_tools.case_rules import CaseDiscussionRules, parse_case_discussions, silent_rules
from audit_tools.frequency_rules import (
    AsyeStage,
    Citation,
    FrequencyRules,
    IntervalRule,
    Limit,
    parse_asye,
    parse_kinds,
)
from audit_tools.vocabulary import Theme, ThemeVocabulary, parse_themes

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
ASSUMED_AGREEMENT_REVIEW_MONTHS = 12
"""The review period used where a council's policy sets none (said in the README)."""

_RULE_UNITS: dict[str, tuple[str, ...]] = {
    "interval": ("days", "months"),
    "longest_gap": ("months",),
    "yearly_minimum": ("sessions",),
    "agreement_review": ("months",),
    "agreement_made": ("weeks",),
    "recording": ("working_days",),
    "signing": ("working_days",),
    "retention": ("years",),
    "session_length": ("minutes",),
}


class ProfileError(DefinitionError):
    """A council profile that cannot be used; `problems` names each field that is wrong."""


@dataclass(frozen=True)
class Rule:
    """A number a policy sets, in `unit`, with where it says so; or its silence.

    A silent rule has no amount and a `note` saying what the policy does (or does not) say;
    it may still quote the nearest words. Any rule may carry a note explaining a reading. A
    rule changed in the app says so in `decided` (who, when, why): the number is then the
    council's decision, so its source and quotation, kept when there were some, are optional.
    """

    amount: int | None
    unit: str
    citation: Citation
    note: str = ""
    decided: str = ""  # set in the app: who changed it, when and why (see qa/profiles)

    @property
    def silent(self) -> bool:
        return self.amount is None


@dataclass(frozen=True)
class Category:
    """A group of staff with one set of rules. `roles` None means every role; `case_holding`
    None means with or without cases. People fall in the first category they match."""

    key: str
    title: str
    reason: str
    roles: frozenset[str] | None
    case_holding: bool | None
    interval: Rule
    longest_gap: Rule
    yearly_minimum: Rule


@dataclass(frozen=True)
class CouncilProfile:
    """One council's supervision rules, versioned, each citing the council's policy."""

    name: str
    version: int
    council: str
    policy: str
    policy_file: str
    categories: tuple[Category, ...]
    asye_stages: tuple[AsyeStage, ...]
    asye: Rule
    agreement_review: Rule
    recording: Rule
    signing: Rule
    retention: Rule
    formal_kinds: tuple[str, ...]
    other_kinds: tuple[str, ...]
    kinds_citation: Citation
    case_discussions: CaseDiscussionRules = silent_rules()
    part_time: Rule = Rule(None, "pro_rata", Citation(source="", quote=""))
    """Whether part-time staff's intervals are pro rata (amount 1), or the policy's silence."""
    session_length: Rule = Rule(None, "minutes", Citation(source="", quote=""))
    """The shortest a formal session should last, or the policy's silence."""
    themes: tuple[Theme, ...] = ()
    sampling_record: Citation = Citation(source="", quote="")
    agreement_made: Rule = Rule(None, "weeks", Citation(source="", quote=""))
    """The time allowed to make the supervision agreement once a file opens (a new job or a
    new supervisor), or the policy's silence."""

    def vocabulary(self, owner: str = "") -> ThemeVocabulary:
        """The profile's themes, named in messages as `owner` (by default the policy)."""
        return ThemeVocabulary(owner or self.policy, self.themes)

    def rules(self) -> tuple[Rule, ...]:
        """Every rule in the profile, for checking citations."""
        found = [self.asye, self.agreement_review, self.recording, self.signing, self.retention]
        found += [self.part_time, self.session_length, self.agreement_made]
        for category in self.categories:
            found += [category.interval, category.longest_gap, category.yearly_minimum]
        return tuple(found)

    def frequency_rules(self) -> FrequencyRules:
        """The rules the frequency engine reads, built from this profile."""
        review = self.agreement_review.amount or ASSUMED_AGREEMENT_REVIEW_MONTHS
        return FrequencyRules(
            id=self.name,
            version=self.version,
            title=self.policy,
            intervals=tuple(_interval_rule(category) for category in self.categories),
            asye_stages=self.asye_stages,
            asye_citation=self.asye.citation,
            maximum_gap=None,
            minimum_per_year=None,
            recording=_limit(self.recording),
            signing=_limit(self.signing),
            agreement_review=Limit(amount=review, citation=self.agreement_review.citation),
            formal_kinds=self.formal_kinds,
            other_kinds=self.other_kinds,
            kinds_citation=self.kinds_citation,
            part_time_pro_rata=not self.part_time.silent,
            session_minutes=self.session_length.amount,
            agreement_made_weeks=self.agreement_made.amount,
        )


def _interval_rule(category: Category) -> IntervalRule:
    interval = category.interval
    return IntervalRule(
        category=category.key,
        interval_days=interval.amount if interval.unit == "days" else None,
        interval_months=interval.amount if interval.unit == "months" else None,
        reason=category.reason,
        citation=interval.citation,
        roles=category.roles,
        case_holding=category.case_holding,
        longest_gap_months=category.longest_gap.amount,
        yearly_minimum=category.yearly_minimum.amount,
    )


def _limit(rule: Rule) -> Limit | None:
    return None if rule.amount is None else Limit(amount=rule.amount, citation=rule.citation)


def profile_names() -> tuple[str, ...]:
    """The names of the profiles shipped in audit_tools/profiles, in order."""
    folder = resources.files("audit_tools").joinpath("profiles")
    return tuple(
        sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    )


def load_profile(name: str) -> CouncilProfile:
    """Read a shipped profile by name, or raise ProfileError saying which names exist."""
    if not NAME_PATTERN.match(name) or name not in profile_names():
        known = ", ".join(profile_names())
        raise ProfileError([f"there is no council profile {quoted(name)} (use one of {known})"])
    entry = resources.files("audit_tools").joinpath("profiles", f"{name}.yaml")
    source = f"{name}.yaml"
    return parse_profile(
        yaml_mapping(entry.read_text(encoding="utf-8"), source, ProfileError), source
    )


def parse_profile(data: Mapping[str, object], source: str) -> CouncilProfile:
    """Check parsed profile data and build a CouncilProfile, or raise ProfileError listing
    every problem, each naming the field."""
    reader = FieldReader(source)
    fields = {"name", "version", "council", "policy", "policy_file", "categories", "asye"}
    fields |= {"agreement_review", "recording", "signing", "retention", "session_kinds"}
    fields |= {"agreement_made"}
    fields |= {"case_discussions"}
    fields |= {"sampling_policies"}  # read by audit_tools.profile_sampling
    fields |= {"part_time", "session_length"}
    fields |= {"themes", "sampling_record"}
    reader.check_fields(data, fields, "")
    policy_file = reader.text(data, "policy_file", "")
    read = _RuleReader(reader, policy_file)
    stages, asye = _asye(read, data)
    formal, other, kinds_citation = _kinds(reader, data)
    profile = CouncilProfile(
        name=reader.text(data, "name", ""),
        version=reader.positive_integer(data, "version", ""),
        council=reader.text(data, "council", ""),
        policy=reader.text(data, "policy", ""),
        policy_file=policy_file,
        categories=_categories(read, data),
        asye_stages=stages,
        asye=asye,
        agreement_review=read.rule(data, "agreement_review", ""),
        recording=read.rule(data, "recording", ""),
        signing=read.rule(data, "signing", ""),
        retention=read.rule(data, "retention", ""),
        formal_kinds=formal,
        other_kinds=other,
        kinds_citation=kinds_citation,
        case_discussions=parse_case_discussions(reader, data.get("case_discussions"), policy_file),
        part_time=_part_time(read, data),
        session_length=read.rule(data, "session_length", ""),
        themes=parse_themes(reader, data),
        sampling_record=_sampling_record(read, data),
        agreement_made=_agreement_made(read, data),
    )
    if profile.name and not NAME_PATTERN.match(profile.name):
        reader.problem("name", "must be lower-case letters, digits, hyphens and underscores")
    if reader.problems:
        raise ProfileError(reader.problems)
    return profile


_SILENT = Citation(source="", quote="")


def _agreement_made(read: _RuleReader, data: Mapping[str, object]) -> Rule:
    """The time allowed to make the agreement; a version saved before profiles held it says
    nothing, and is read as silent."""
    if "agreement_made" not in data:
        return Rule(None, "weeks", _SILENT, note="The profile does not set a time.")
    return read.rule(data, "agreement_made", "")


def _sampling_record(read: _RuleReader, data: Mapping[str, object]) -> Citation:
    """Where the policy says the sampling of a supervisor's files is recorded (its source
    and words), or nothing where it does not say."""
    if "sampling_record" not in data:
        return _SILENT
    checked = read.reader.mapping(data["sampling_record"], "sampling_record")
    if checked is None:
        return _SILENT
    read.reader.check_fields(checked, {"source", "quote"}, "sampling_record")
    return read.citation(checked, "sampling_record", required=True)


@dataclass(frozen=True)
class _RuleReader:
    """Reads rules, checking each cites a section of the council's own policy file."""

    reader: FieldReader
    policy_file: str

    def citation(self, data: Mapping[str, object], where: str, required: bool) -> Citation:
        if not required and "source" not in data and "quote" not in data:
            return _SILENT
        source = self.reader.text(data, "source", where)
        if source and not SOURCE_PATTERN.match(source):
            self.reader.problem(where, f"source {quoted(source)} must be a file name and a section")
        elif source and self.policy_file and not source.startswith(f"{self.policy_file}, "):
            self.reader.problem(where, f"source {quoted(source)} must cite {self.policy_file}")
        quote = " ".join(self.reader.text(data, "quote", where).split())
        return Citation(source=source, quote=quote)

    def rule(self, data: Mapping[str, object], field: str, where: str) -> Rule:
        """A rule: one unit with its amount, source and quote; or silent with a note."""
        place = f"{where}, {field}" if where else field
        units = _RULE_UNITS[field]
        section = data.get(field)
        if section is None:
            self.reader.problem(
                where, f"{quoted(field)} is missing (say `silent: true` if the policy sets none)"
            )
            return Rule(None, units[0], _SILENT)
        checked = self.reader.mapping(section, place)
        if checked is None:
            return Rule(None, units[0], _SILENT)
        allowed = {*units, "silent", "note", "source", "quote", "decided"}
        self.reader.check_fields(checked, allowed, place)
        note = self.reader.text(checked, "note", place, default="")
        decided = self.reader.text(checked, "decided", place, default="")
        if self.reader.flag(checked, "silent", place, default=False):
            if not note:
                self.reader.problem(
                    place, "a silent rule needs a ‘note’ saying what the policy says"
                )
            for unit in units:
                if unit in checked:
                    self.reader.problem(place, f"a silent rule has no {quoted(unit)}")
            citation = self.citation(checked, place, required=False)
            return Rule(None, units[0], citation, note, decided)
        given = [unit for unit in units if unit in checked]
        citation = self.citation(checked, place, required=not decided)
        if len(given) != 1:
            self.reader.problem(
                place, f"give one of {', '.join(map(quoted, units))}, or `silent: true`"
            )
            return Rule(None, units[0], citation, note, decided)
        amount = self.reader.positive_integer(checked, given[0], place)
        return Rule(amount, given[0], citation, note, decided)


def _categories(read: _RuleReader, data: Mapping[str, object]) -> tuple[Category, ...]:
    reader = read.reader
    found: list[Category] = []
    for position, item in enumerate(reader.items(data, "categories", ""), start=1):
        where = f"categories item {position}"
        allowed = {"key", "title", "reason", "roles", "case_holding", "interval", "longest_gap"}
        reader.check_fields(item, allowed | {"yearly_minimum"}, where)
        key = reader.key(item, "key", where)
        where = f"category {quoted(key)}" if key else where
        interval = read.rule(item, "interval", where)
        said = item.get("interval")
        if isinstance(said, Mapping) and said.get("silent") is True:
            reader.problem(where, "‘interval’ cannot be silent: every category needs one")
        found.append(
            Category(
                key=key,
                title=reader.text(item, "title", where),
                reason=" ".join(reader.text(item, "reason", where).split()),
                roles=_roles(reader, item, where),
                case_holding=_case_holding(reader, item, where),
                interval=interval,
                longest_gap=read.rule(item, "longest_gap", where),
                yearly_minimum=read.rule(item, "yearly_minimum", where),
            )
        )
    keys = [category.key for category in found]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        reader.problem("categories", f"category {quoted(key)} appears more than once")
    return tuple(found)


def _roles(reader: FieldReader, item: Mapping[str, object], where: str) -> frozenset[str] | None:
    """`roles: all`, or a non-empty list of stored role names."""
    if item.get("roles") == "all":
        return None
    roles = reader.texts(item, "roles", where)
    if not roles:
        reader.problem(where, "‘roles’ must be ‘all’ or a list of roles")
    return frozenset(roles)


def _case_holding(reader: FieldReader, item: Mapping[str, object], where: str) -> bool | None:
    """True or false to match only staff with or without cases; absent for either."""
    if "case_holding" not in item:
        return None
    return reader.flag(item, "case_holding", where, default=False)


def _asye(read: _RuleReader, data: Mapping[str, object]) -> tuple[tuple[AsyeStage, ...], Rule]:
    """The ASYE stages with their citation, or the policy's silence about them."""
    section = data.get("asye")
    checked = read.reader.mapping(section, "asye") if section is not None else None
    if checked is None:
        if section is None:
            read.reader.problem(
                "", "‘asye’ is missing (say `silent: true` if the policy sets none)"
            )
        return (), Rule(None, "stages", _SILENT)
    decided = read.reader.text(checked, "decided", "asye", default="")
    if checked.get("silent") is True:
        allowed = {"silent", "note", "source", "quote", "decided"}
        read.reader.check_fields(checked, allowed, "asye")
        note = read.reader.text(checked, "note", "asye")
        citation = read.citation(checked, "asye", required=False)
        return (), Rule(None, "stages", citation, note, decided)
    stages_only = {key: value for key, value in checked.items() if key != "decided"}
    if decided and "source" not in checked:  # stages set in the app, citing no section:
        stages_only |= {"source": "none.txt, 0", "quote": "-"}  # only the stages are read
    stages, _ = parse_asye(read.reader, stages_only)
    citation = read.citation(checked, "asye", required=not decided)
    return stages, Rule(len(stages), "stages", citation, "", decided)


def _part_time(read: _RuleReader, data: Mapping[str, object]) -> Rule:
    """`pro_rata: true` where the policy asks for the same supervision per amount of work, so
    a part-time worker's interval is divided by their full-time equivalent; else silent."""
    section = data.get("part_time")
    checked = read.reader.mapping(section, "part_time") if section is not None else None
    if checked is None:
        if section is None:
            read.reader.problem(
                "", "‘part_time’ is missing (say `silent: true` if the policy sets nothing)"
            )
        return Rule(None, "pro_rata", _SILENT)
    allowed = {"pro_rata", "silent", "note", "source", "quote"}
    read.reader.check_fields(checked, allowed, "part_time")
    note = read.reader.text(checked, "note", "part_time", default="")
    if read.reader.flag(checked, "silent", "part_time", default=False):
        if not note or "pro_rata" in checked:
            read.reader.problem("part_time", "a silent rule has a ‘note’ and no ‘pro_rata’")
        return Rule(None, "pro_rata", read.citation(checked, "part_time", required=False), note)
    if checked.get("pro_rata") is not True:
        read.reader.problem("part_time", "give `pro_rata: true`, or `silent: true`")
    return Rule(1, "pro_rata", read.citation(checked, "part_time", required=True), note)


def _kinds(
    reader: FieldReader, data: Mapping[str, object]
) -> tuple[tuple[str, ...], tuple[str, ...], Citation]:
    section = data.get("session_kinds")
    checked = reader.mapping(section, "session_kinds") if section is not None else None
    if checked is None:
        if section is None:
            reader.problem("", "‘session_kinds’ is missing")
        return (), (), _SILENT
    return parse_kinds(reader, checked)
