from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.audits.models import Audit
from qa.extensions import Model
from qa.org.models import Staff


class Action(Model):
    """An action with an owner and a due date. Overdue is worked out from the date, never
    stored."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_note: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit] = relationship()
    owner: Mapped[Staff] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[Staff | None] = relationship(foreign_keys=[created_by_id])

    def is_overdue(self, on: date) -> bool:
        return self.status == "open" and self.due_on < on
