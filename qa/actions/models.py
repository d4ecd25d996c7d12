from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.actions.states import ActionState
from qa.audits.models import Audit
from qa.extensions import Model
from qa.org.models import Staff


class Action(Model):
    """An action with an owner and a due date. Overdue is worked out from the date, never
    stored. `form_token` is the token of the form that raised it, so the same form posted
    twice makes one action."""

    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("form_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default=ActionState.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_note: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    form_token: Mapped[str | None] = mapped_column(String(64))

    audit: Mapped[Audit] = relationship()
    owner: Mapped[Staff] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[Staff | None] = relationship(foreign_keys=[created_by_id])
    confirmed_by: Mapped[Staff | None] = relationship(foreign_keys=[confirmed_by_id])

    def is_overdue(self, on: date) -> bool:
        """Still open, not marked done, after its due date."""
        return self.status == ActionState.OPEN and self.due_on < on

    @property
    def is_closed(self) -> bool:
        return self.status == ActionState.CONFIRMED

    def status_label(self, on: date) -> str:
        """ "Overdue", "Open", "Done, waiting for confirmation" or "Confirmed done"."""
        if self.is_overdue(on):
            return "Overdue"
        return ActionState(self.status).label
