"""A council profile in words for its page: each rule as a sentence, with the policy and
section it comes from and the words it quotes.

Citations stay as the profiles give them ("003_2701f8fa2326f2b4.txt, 5.1"); pages write
them as the policy's title and section with the `cited` filter, linked to that section.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit_tools.frequency_rules import AsyeStage
from audit_tools.profile import CouncilProfile, Rule

_SENTENCES = {
    ("interval", "days"): "At least every {} days",
    ("interval", "months"): "At least every {} calendar months",
    ("longest_gap", "months"): "No more than {} months between sessions",
    ("yearly_minimum", "sessions"): "At least {} sessions a year",
    ("agreement_review", "months"): "Reviewed every {} months",
    ("agreement_made", "weeks"): "Made within {} weeks of a new job or a new supervisor",
    ("recording", "working_days"): "Written up within {} working days of the session",
    ("signing", "working_days"): "Signed within {} working days of the session",
    ("retention", "years"): "Kept for {} years",
    ("part_time", "pro_rata"): "Pro rata: the interval divided by their full-time equivalent",
    ("session_length", "minutes"): "At least {} minutes",
}
_SINGULAR = {"At least every 1 calendar months": "At least every calendar month"}


@dataclass(frozen=True)
class RuleWords:
    label: str
    words: str  # the rule as a sentence, or what the policy says when it sets no number
    source: str  # "003_2701f8fa2326f2b4.txt, 5.1": pages show it with the `cited` filter
    quote: str
    note: str  # how the rule is read, when the profile says
    decided: str = ""  # changed in the app: by whom, in which version, from when and why


@dataclass(frozen=True)
class CategoryWords:
    title: str
    who: str
    rules: tuple[RuleWords, ...]


def rule_words(field: str, label: str, rule: Rule) -> RuleWords:
    if rule.silent and rule.decided:
        words, note = "Not checked", ""
    elif rule.silent:
        words, note = f"Not set by the policy: {rule.note}", ""
    else:
        sentence = _SENTENCES.get((field, rule.unit), "{} " + rule.unit.replace("_", " "))
        words = sentence.format(rule.amount)
        words, note = _SINGULAR.get(words, words), rule.note
    return RuleWords(label, words, rule.citation.source, rule.citation.quote, note, rule.decided)


def category_words(profile: CouncilProfile) -> tuple[CategoryWords, ...]:
    """Each staff category, in the order people are sorted into them, with its rules."""
    found = []
    for category in profile.categories:
        roles = "Every role" if category.roles is None else _roles(category.roles)
        cases = {None: "", True: ", holding cases", False: ", not holding cases"}
        rules = (
            rule_words("interval", "How often", category.interval),
            rule_words("longest_gap", "Longest gap", category.longest_gap),
            rule_words("yearly_minimum", "Sessions a year", category.yearly_minimum),
        )
        found.append(CategoryWords(category.title, f"{roles}{cases[category.case_holding]}", rules))
    return tuple(found)


def general_words(profile: CouncilProfile) -> tuple[RuleWords, ...]:
    """The rules for everyone: newly qualified staff, agreements, records and keeping them."""
    asye = rule_words("asye", "Newly qualified staff (ASYE)", profile.asye)
    if profile.asye_stages:
        asye = RuleWords(
            asye.label,
            _stages(profile.asye_stages),
            asye.source,
            asye.quote,
            asye.note,
            asye.decided,
        )
    return (
        asye,
        rule_words("agreement_review", "Supervision agreement", profile.agreement_review),
        rule_words("agreement_made", "Making the agreement", profile.agreement_made),
        rule_words("recording", "Writing the record", profile.recording),
        rule_words("signing", "Signing the record", profile.signing),
        rule_words("retention", "Keeping records", profile.retention),
        rule_words("part_time", "Part-time staff", profile.part_time),
        rule_words("session_length", "Length of a session", profile.session_length),
    )


def _stages(stages: tuple[AsyeStage, ...]) -> str:
    parts = []
    for stage in stages:
        until = (
            f"for the first {stage.until_weeks} weeks"
            if stage.until_weeks is not None
            else f"until {stage.until_months} months"
            if stage.until_months is not None
            else "after that"
        )
        parts.append(f"every {stage.interval_days} days {until}")
    return "Sessions " + ", then ".join(parts)


def _roles(roles: frozenset[str]) -> str:
    return ", ".join(sorted(role.replace("_", " ") for role in roles)).capitalize()
