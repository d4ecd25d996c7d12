"""A tool being edited: one draft per person and tool, kept until it is saved or discarded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import Model
from qa.org.models import Staff


class ToolDraft(Model):
    """The changes someone is making to a tool, as the tool's plain data (JSON), and the
    version they started from, so saving can say what the new version was made from."""

    __tablename__ = "tool_draft"
    __table_args__ = (UniqueConstraint("tool_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    based_on_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    staff: Mapped[Staff] = relationship()
