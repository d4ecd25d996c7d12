"""A period report someone asked for: what it covers, whether it is made yet, and the kept
PDF once it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.audits.models import StoredDocument
from qa.extensions import Model
from qa.org.models import Staff

STATUS_LABELS = {"making": "Being made", "ready": "Ready", "failed": "Not made"}


class PeriodReport(Model):
    """One request for the period quality report. The PDF is a StoredDocument of kind
    "period-report" whose subject is this row."""

    __tablename__ = "period_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    period_key: Mapped[str] = mapped_column(String(16))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("service_area.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    unit_label: Mapped[str] = mapped_column(String(200))
    tool_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="making")
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("stored_document.id"))

    requested_by: Mapped[Staff] = relationship()
    document: Mapped[StoredDocument | None] = relationship()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)
