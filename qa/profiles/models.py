"""Each choice of council profile, kept: which profile and version, who chose it, when, why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
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
