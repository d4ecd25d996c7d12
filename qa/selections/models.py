"""Sampling policy versions and selection runs. A run is never changed once written."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import Model
from qa.org.models import Staff
from sampling.cadences import DrawRecord, kind_from_label


class SamplingPolicy(Model):
    """One saved version of a policy; the data is sampling.policies.policy_to_dict."""

    __tablename__ = "sampling_policy"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    saved_by: Mapped[Staff | None] = relationship()

    @property
    def values(self) -> dict[str, Any]:
        return json.loads(self.data)


class SelectionRun(Model):
    """A draw for one policy, period and selector, with everything needed to re-run it.

    The unique key (policy, period, selector) means a second attempt, from the same process
    or another, can never make a second run.
    """

    __tablename__ = "selection_run"
    __table_args__ = (UniqueConstraint("policy_key", "period_key", "selector_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_key: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[int] = mapped_column(Integer)
    period_key: Mapped[str] = mapped_column(String(16), index=True)
    selector_key: Mapped[str] = mapped_column(String(64))
    selector_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    seed: Mapped[str] = mapped_column(String(200))
    algorithm: Mapped[str] = mapped_column(String(120))
    algorithm_version: Mapped[str] = mapped_column(String(16))
    frame_hash: Mapped[str] = mapped_column(String(64))
    frame_size: Mapped[int] = mapped_column(Integer)
    draws: Mapped[str] = mapped_column(Text)
    exclusions: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)
    sample_size_reasoning: Mapped[str] = mapped_column(Text, default="")
    ran_at: Mapped[datetime] = mapped_column(DateTime)
    ran_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    selector: Mapped[Staff | None] = relationship(foreign_keys=[selector_id])
    ran_by: Mapped[Staff | None] = relationship(foreign_keys=[ran_by_id])

    @property
    def draw_list(self) -> list[dict[str, Any]]:
        return json.loads(self.draws)

    @property
    def draw_records(self) -> list[DrawRecord]:
        """The stored draws (see `draw_records`)."""
        return draw_records(self.draws)

    @property
    def exclusion_list(self) -> list[dict[str, str]]:
        return json.loads(self.exclusions)

    @property
    def note_list(self) -> list[str]:
        return json.loads(self.notes)


def draw_records(draws: str) -> list[DrawRecord]:
    """A run's stored draws (its `draws` column); those kept before draws recorded their
    kind get it from their label, so every run ever made still reads and verifies the same."""
    records = []
    for d in json.loads(draws):
        kind, subject = d.get("kind"), d.get("subject", "")
        if not kind:
            kind, subject = kind_from_label(d["label"])
        records.append(
            DrawRecord(
                d["label"],
                tuple(d["frame"]),
                int(d["k"]),
                tuple(d["selected"]),
                tuple(d["reserves"]),
                kind,
                subject,
            )
        )
    return records
