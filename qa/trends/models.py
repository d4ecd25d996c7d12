"""Known changes a QA officer records, from which the control charts recalculate their limits
(Making Data Count's "rebasing"): a new policy, a restructure, a new recording system."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import Model


class LimitsRecalculation(Model):
    """From `starts_on`, the charts of the whole service (or of one team, when `team_id` is
    set) draw new limits, because of the change `reason` describes."""

    __tablename__ = "limits_recalculation"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(Text)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
