"""Each choice of council profile, kept: which profile and version, who chose it, when, why."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import Model


class ProfileChoice(Model):
    """From `chosen_at` the service applies the profile `name` (at `version` when chosen).
    The latest choice is in force; with none, the configured COUNCIL_PROFILE is."""

    __tablename__ = "profile_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    chosen_by: Mapped[str] = mapped_column(String(200))
    chosen_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    reason: Mapped[str] = mapped_column(Text)


class ProfileVersion(Model):
    """A version of a council profile saved in the app: the whole profile document (YAML),
    the day it is in force from, who saved it, when and why. The shipped file is the first
    version of each profile; these follow it, numbered on from it, and are never changed."""

    __tablename__ = "profile_version"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    in_force_from: Mapped[date] = mapped_column(Date)
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
