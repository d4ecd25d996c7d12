"""Which council profile is in force, its versions, and changing them.

The shipped profiles (audit_tools/profiles) are the first version of each. A QA officer's
change is saved as a new version (ProfileVersion: the whole document, in force from a day
after the one it is saved on, with who, when and why); versions are never changed, so a day
already judged, and an audit made under a version, keep their rules. The database keeps each
choice of profile too (ProfileChoice); with none recorded, the COUNCIL_PROFILE setting
(QA_COUNCIL_PROFILE, Coventry unless set) is in force. On a day, the profile in force is the
latest chosen by the end of it, at its latest version in force from that day or earlier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import func, select

from audit_tools._definition import yaml_mapping
from audit_tools.frequency_rules import FrequencyRules
from audit_tools.profile import (
    CouncilProfile,
    ProfileError,
    load_profile,
    parse_profile,
    profile_names,
)
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.profiles.document import dump_document
from qa.profiles.models import ProfileChoice, ProfileVersion
from qa.profiles.words import CategoryWords, RuleWords, category_words, general_words
from qa.selections.profile_policies import put_in_place

if TYPE_CHECKING:
    from qa.org.models import Staff

DEFAULT_PROFILE = "coventry"


@dataclass(frozen=True)
class InForce:
    """The profile in force (at the version in force) and how it came to be: a recorded
    choice, or the setting."""

    profile: CouncilProfile
    choice: ProfileChoice | None

    @property
    def chosen_version_differs(self) -> bool:
        """The profile has a newer version than the one in force when it was chosen."""
        return self.choice is not None and self.choice.version != self.profile.version


@lru_cache(maxsize=8)
def shipped_profile(name: str) -> CouncilProfile:
    """A shipped profile, read once (ProfileError for an unknown name)."""
    return load_profile(name)


@lru_cache(maxsize=64)
def _parsed(document: str, source: str) -> CouncilProfile:
    """A saved version's document, parsed once (versions never change)."""
    return parse_profile(yaml_mapping(document, source, ProfileError), source)


@lru_cache(maxsize=64)
def _rules_of(profile: CouncilProfile) -> FrequencyRules:
    return profile.frequency_rules()


def _source(row: ProfileVersion) -> str:
    return f"{row.name} version {row.version}"


def _profile_of(row: ProfileVersion | None, name: str) -> CouncilProfile:
    return shipped_profile(name) if row is None else _parsed(row.document, _source(row))


def shipped_profiles() -> list[CouncilProfile]:
    return [shipped_profile(name) for name in profile_names()]


def saved_versions(name: str) -> list[ProfileVersion]:
    """The versions of `name` saved in the app, earliest first."""
    return list(
        db.session.scalars(
            select(ProfileVersion)
            .where(ProfileVersion.name == name)
            .order_by(ProfileVersion.version)
        )
    )


def _version_on(name: str, day: date) -> ProfileVersion | None:
    """The latest saved version of `name` in force from `day` or earlier (None: the shipped
    file is in force)."""
    return db.session.scalars(
        select(ProfileVersion)
        .where(ProfileVersion.name == name, ProfileVersion.in_force_from <= day)
        .order_by(ProfileVersion.in_force_from.desc(), ProfileVersion.version.desc())
    ).first()


def profile_on(name: str, day: date) -> CouncilProfile:
    """The profile `name` at the version in force on `day` (ProfileError for an unknown
    name)."""
    if name not in profile_names():
        shipped_profile(name)  # raises, naming the profiles there are
    return _profile_of(_version_on(name, day), name)


def profile_version(name: str, version: int) -> CouncilProfile:
    """The profile `name` at `version`: a saved version, or the shipped file's. An audit
    stamped with a version no longer on record reads the shipped file (ProfileError for an
    unknown name)."""
    row = db.session.scalars(
        select(ProfileVersion).where(ProfileVersion.name == name, ProfileVersion.version == version)
    ).first()
    return _profile_of(row, name)


def latest_profile(name: str) -> CouncilProfile:
    """The newest version of `name`, whatever day it is in force from: the one an edit
    starts from."""
    row = db.session.scalars(
        select(ProfileVersion)
        .where(ProfileVersion.name == name)
        .order_by(ProfileVersion.version.desc())
    ).first()
    return _profile_of(row, name)


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
    """The profile the service applies now, at the version in force today."""
    choice = latest_choice()
    return InForce(profile_on(_name(choice), today()), choice)


def in_force_on(day: date) -> InForce:
    """The profile in force on `day`: the latest chosen by the end of that day, else the
    setting, at its version in force on that day. A choice made during a day governs the
    whole of it."""
    choice = latest_choice(_end_of(day))
    return InForce(profile_on(_name(choice), day), choice)


def frequency_rules_on(day: date) -> FrequencyRules:
    """The frequency rules of the profile in force on `day`."""
    return _rules_of(in_force_on(day).profile)


def frequency_rules_by_day(days: list[date]) -> dict[date, FrequencyRules]:
    """The frequency rules in force on each of `days`, from one read of the choices and one
    of the saved versions."""
    end = _end_of(max(days))
    choices = db.session.execute(
        select(ProfileChoice.chosen_at, ProfileChoice.name)
        .where(ProfileChoice.chosen_at < end)
        .order_by(ProfileChoice.chosen_at, ProfileChoice.id)
    ).all()
    versions = list(
        db.session.scalars(
            select(ProfileVersion)
            .where(ProfileVersion.in_force_from <= max(days))
            .order_by(ProfileVersion.in_force_from, ProfileVersion.version)
        )
    )
    found = {}
    for day in days:
        names = [name for chosen_at, name in choices if chosen_at < _end_of(day)]
        name = _chosen_or_set(names[-1] if names else None)
        rows = [row for row in versions if row.name == name and row.in_force_from <= day]
        found[day] = _rules_of(_profile_of(rows[-1] if rows else None, name))
    return found


def frequency_rules_of(name: str | None, version: int | None, drawn_on: date) -> FrequencyRules:
    """The frequency rules an audit applies: the profile and version stored when it was
    drawn, or, for an audit drawn before profiles were stored, the one in force on the day it
    was drawn."""
    if not name:
        return frequency_rules_on(drawn_on)
    if version is None:
        return _rules_of(profile_on(name, drawn_on))
    return _rules_of(profile_version(name, version))


def stamp() -> tuple[str, int]:
    """(name, version) of the profile in force now, for a new audit to keep."""
    profile = in_force().profile
    return profile.name, profile.version


def use_profile(name: str, chosen_by: str, reason: str) -> ProfileChoice:
    """Put the profile `name` in force from now, at its version in force today, recording who
    chose it and why.

    Raises ProfileError for an unknown name and ValueError without a reason or a name."""
    profile = profile_on(name, today())
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


def next_version(name: str) -> int:
    """The number the next saved version of `name` takes: one past the shipped file's and
    every saved one's."""
    saved = db.session.scalar(
        select(func.max(ProfileVersion.version)).where(ProfileVersion.name == name)
    )
    return max(shipped_profile(name).version, saved or 0) + 1


def save_version(
    name: str,
    data: Mapping[str, object],
    in_force_from: date,
    saved_by: str,
    reason: str,
    actor: Staff | None = None,
) -> ProfileVersion:
    """Save `data`, the whole profile document, as the next version of `name`, in force from
    `in_force_from` (a day after today: days already judged keep their rules); with `actor`,
    the change is in the event log, written in the same transaction.

    Raises ProfileError listing every problem with the document, and ValueError for a day
    that is not after today, or without a reason or a name. Nothing is saved then."""
    shipped_profile(name)
    if in_force_from <= today():
        raise ValueError(
            "The day the change is in force from must be after today: today and the days "
            "before keep the rules they are judged by"
        )
    if not reason.strip():
        raise ValueError("Give the reason for changing the council profile")
    if not saved_by.strip():
        raise ValueError("Give the name of the person changing the council profile")
    version = next_version(name)
    document = dump_document({**data, "name": name, "version": version})
    _parsed(document, f"{name} version {version}")  # raises ProfileError, naming each field
    row = ProfileVersion(
        name=name,
        version=version,
        document=document,
        in_force_from=in_force_from,
        saved_by=saved_by.strip(),
        saved_at=now(),
        reason=reason.strip(),
    )
    db.session.add(row)
    if actor is not None:
        db.session.flush()
        record(
            actor,
            "profile_changed",
            "profile",
            row.id,
            f"{name} version {version} from {in_force_from}: {reason.strip()}",
        )
    db.session.commit()
    return row


def document_of(name: str, version: int) -> str:
    """The YAML of `name` at `version`: the saved document, or the shipped file as shipped
    (ProfileError when there is no such version)."""
    row = db.session.scalars(
        select(ProfileVersion).where(ProfileVersion.name == name, ProfileVersion.version == version)
    ).first()
    if row is not None:
        return row.document
    shipped = shipped_profile(name)
    if shipped.version != version:
        raise ProfileError([f"there is no version {version} of the {name} profile"])
    entry = resources.files("audit_tools").joinpath("profiles", f"{name}.yaml")
    return entry.read_text(encoding="utf-8")


@dataclass(frozen=True)
class ProfilesPage:
    """The profiles (at the version in force today), the one in force and every choice
    made, latest first."""

    in_force: InForce
    profiles: list[CouncilProfile]
    choices: list[ProfileChoice]


def profiles_page() -> ProfilesPage:
    choices = db.session.scalars(
        select(ProfileChoice).order_by(ProfileChoice.chosen_at.desc(), ProfileChoice.id.desc())
    ).all()
    profiles = [profile_on(name, today()) for name in profile_names()]
    return ProfilesPage(in_force(), profiles, list(choices))


@dataclass(frozen=True)
class VersionLine:
    """One version in a profile's history: the shipped file's, or one saved in the app."""

    version: int
    in_force_from: date | None  # None: the shipped file, in force until a later version
    saved_by: str
    saved_at: datetime | None
    reason: str
    in_force_today: bool


@dataclass(frozen=True)
class ProfilePage:
    """One profile's rules in words (at the version in force today), whether it is the one
    in force, and its versions, latest first."""

    profile: CouncilProfile
    in_force: bool
    categories: tuple[CategoryWords, ...]
    general: tuple[RuleWords, ...]
    versions: tuple[VersionLine, ...]
    upcoming: ProfileVersion | None  # a saved version in force from a later day


def history(name: str) -> tuple[tuple[VersionLine, ...], ProfileVersion | None]:
    """The versions of `name`, latest first, and the one in force from a later day, if any."""
    current = profile_on(name, today()).version
    shipped = shipped_profile(name)
    lines = [
        VersionLine(
            shipped.version,
            None,
            "",
            None,
            "Shipped with the service, from the council's policy",
            shipped.version == current,
        )
    ]
    upcoming = None
    for row in saved_versions(name):
        lines.append(
            VersionLine(
                row.version,
                row.in_force_from,
                row.saved_by,
                row.saved_at,
                row.reason,
                row.version == current,
            )
        )
        if row.in_force_from > today():
            upcoming = row
    return tuple(reversed(lines)), upcoming


def profile_page(name: str) -> ProfilePage:
    """ProfileError for a name that is not a shipped profile."""
    profile = profile_on(name, today())
    current = in_force().profile.name == profile.name
    versions, upcoming = history(name)
    return ProfilePage(
        profile, current, category_words(profile), general_words(profile), versions, upcoming
    )


def document_data(name: str, version: int) -> Mapping[str, object]:
    """The document of `name` at `version` as data (ProfileError when there is none)."""
    return yaml_mapping(document_of(name, version), f"{name} version {version}", ProfileError)
