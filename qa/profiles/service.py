"""Which council profile is in force, and choosing another.

The profiles themselves are data in audit_tools/profiles; the database keeps each choice
(profile, version, who, when, why). With no choice recorded, the COUNCIL_PROFILE setting
(QA_COUNCIL_PROFILE, Coventry unless set) is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import select

from audit_tools.frequency_rules import FrequencyRules
from audit_tools.profile import CouncilProfile, load_profile, profile_names
from qa.clock import now
from qa.extensions import db
from qa.profiles.models import ProfileChoice

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


def latest_choice() -> ProfileChoice | None:
    return db.session.scalars(
        select(ProfileChoice).order_by(ProfileChoice.chosen_at.desc(), ProfileChoice.id.desc())
    ).first()


def _name(choice: ProfileChoice | None) -> str:
    if choice is not None:
        return choice.name
    return str(current_app.config.get("COUNCIL_PROFILE") or DEFAULT_PROFILE)


def in_force() -> InForce:
    """The profile the service applies now."""
    choice = latest_choice()
    return InForce(shipped_profile(_name(choice)), choice)


def frequency_rules_in_force() -> FrequencyRules:
    """The frequency rules of the profile in force, read once per profile."""
    return _rules(_name(latest_choice()))


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
    db.session.commit()
    return choice
