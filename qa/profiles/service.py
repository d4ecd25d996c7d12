"""Which council profile is in force, and choosing another.

The profiles themselves are data in audit_tools/profiles; the database keeps each choice
(profile, version, who, when, why). With no choice recorded, the COUNCIL_PROFILE setting
(QA_COUNCIL_PROFILE, Coventry unless set) is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import select

from audit_tools.frequency_rules import FrequencyRules
from audit_tools.profile import CouncilProfile, load_profile, profile_names
from qa.clock import now
from qa.extensions import db
from qa.profiles.models import ProfileChoice
from qa.profiles.words import CategoryWords, RuleWords, category_words, general_words
from qa.selections.profile_policies import put_in_place

DEFAULT_PROFILE = "coventry"


@dataclass(frozen=True)
class InForce:
    """The profile in force and how it came to be: a recorded choice, or the setting."""

    profile: CouncilProfile
    choice: ProfileChoice | None

    @property
    def chosen_version_differs(self) -> bool:
        """The shipped profile has changed since it was chosen (a new release of the file)."""
        return self.choice is not None and self.choice.version != self.profile.version


@lru_cache(maxsize=8)
def shipped_profile(name: str) -> CouncilProfile:
    """A shipped profile, read once (ProfileError for an unknown name)."""
    return load_profile(name)


@lru_cache(maxsize=8)
def _rules(name: str) -> FrequencyRules:
    return shipped_profile(name).frequency_rules()


def shipped_profiles() -> list[CouncilProfile]:
    return [shipped_profile(name) for name in profile_names()]


def latest_choice(before: datetime | None = None) -> ProfileChoice | None:
    """The latest choice recorded (before `before`, when given)."""
    query = select(ProfileChoice)
    if before is not None:
        query = query.where(ProfileChoice.chosen_at < before)
    return db.session.scalars(
        query.order_by(ProfileChoice.chosen_at.desc(), ProfileChoice.id.desc())
    ).first()


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min)


def _name(choice: ProfileChoice | None) -> str:
    return _chosen_or_set(choice.name if choice is not None else None)


def _chosen_or_set(name: str | None) -> str:
    return name or str(current_app.config.get("COUNCIL_PROFILE") or DEFAULT_PROFILE)


def in_force() -> InForce:
    """The profile the service applies now."""
    choice = latest_choice()
    return InForce(shipped_profile(_name(choice)), choice)


def in_force_on(day: date) -> InForce:
    """The profile in force on `day`: the latest chosen by the end of that day, else the
    setting. A choice made during a day governs the whole of it."""
    choice = latest_choice(_end_of(day))
    return InForce(shipped_profile(_name(choice)), choice)


def frequency_rules_on(day: date) -> FrequencyRules:
    """The frequency rules of the profile in force on `day`."""
    return _rules(_name(latest_choice(_end_of(day))))


def frequency_rules_by_day(days: list[date]) -> dict[date, FrequencyRules]:
    """The frequency rules in force on each of `days`, from one read of the choices."""
    choices = db.session.execute(
        select(ProfileChoice.chosen_at, ProfileChoice.name)
        .where(ProfileChoice.chosen_at < _end_of(max(days)))
        .order_by(ProfileChoice.chosen_at, ProfileChoice.id)
    ).all()
    found = {}
    for day in days:
        names = [name for chosen_at, name in choices if chosen_at < _end_of(day)]
        found[day] = _rules(_chosen_or_set(names[-1] if names else None))
    return found


def frequency_rules_of(name: str | None, drawn_on: date) -> FrequencyRules:
    """The frequency rules an audit applies: the profile stored when it was drawn, or, for an
    audit drawn before profiles were stored, the one in force on the day it was drawn."""
    return _rules(name) if name else frequency_rules_on(drawn_on)


def stamp() -> tuple[str, int]:
    """(name, version) of the profile in force now, for a new audit to keep."""
    profile = in_force().profile
    return profile.name, profile.version


def use_profile(name: str, chosen_by: str, reason: str) -> ProfileChoice:
    """Put the shipped profile `name` in force from now, recording who chose it and why.

    Raises ProfileError for an unknown name and ValueError without a reason or a name."""
    profile = shipped_profile(name)
    if not reason.strip():
        raise ValueError("Give the reason for changing the council profile")
    if not chosen_by.strip():
        raise ValueError("Give the name of the person changing the council profile")
    choice = ProfileChoice(
        name=profile.name,
        version=profile.version,
        chosen_by=chosen_by.strip(),
        chosen_at=now(),
        reason=reason.strip(),
    )
    db.session.add(choice)
    put_in_place(profile.name, chosen_by.strip(), reason.strip())  # its sampling policies
    db.session.commit()
    return choice


@dataclass(frozen=True)
class ProfilesPage:
    """The shipped profiles, the one in force and every choice made, latest first."""

    in_force: InForce
    profiles: list[CouncilProfile]
    choices: list[ProfileChoice]


def profiles_page() -> ProfilesPage:
    choices = db.session.scalars(
        select(ProfileChoice).order_by(ProfileChoice.chosen_at.desc(), ProfileChoice.id.desc())
    ).all()
    return ProfilesPage(in_force(), shipped_profiles(), list(choices))


@dataclass(frozen=True)
class ProfilePage:
    """One profile's rules in words, and whether it is the one in force."""

    profile: CouncilProfile
    in_force: bool
    categories: tuple[CategoryWords, ...]
    general: tuple[RuleWords, ...]


def profile_page(name: str) -> ProfilePage:
    """ProfileError for a name that is not a shipped profile."""
    profile = shipped_profile(name)
    current = in_force().profile.name == profile.name
    return ProfilePage(profile, current, category_words(profile), general_words(profile))
