"""Audits and their answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.org.models import Staff, SupervisionFile
from qa.selections.models import SelectionRun

STATE_LABELS = {
    "selected": "Not started",
    "in_progress": "In progress",
    "submitted": "Waiting for sign-off",
    "returned": "Returned to the auditor",
    "signed_off": "Signed off",
    "cancelled": "Cancelled",
}


class Audit(db.Model):
    """One selected file audited with one tool version by one auditor."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("selection_run.id"), index=True)
    draw_label: Mapped[str] = mapped_column(String(200), default="")
    file_id: Mapped[int] = mapped_column(ForeignKey("supervision_file.id"), index=True)
    auditor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    tool_id: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="selected", index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    sign_off_comment: Mapped[str] = mapped_column(Text, default="")
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"))
    reaudit_of_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"))
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    overall_score: Mapped[float | None] = mapped_column(Float)
    computed_grade: Mapped[str | None] = mapped_column(String(32))
    auditor_judgement: Mapped[str | None] = mapped_column(String(32))
    judgement_reason: Mapped[str] = mapped_column(Text, default="")
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    run: Mapped[SelectionRun | None] = relationship()
    file: Mapped[SupervisionFile] = relationship()
    auditor: Mapped[Staff | None] = relationship(foreign_keys=[auditor_id])
    signed_off_by: Mapped[Staff | None] = relationship(foreign_keys=[signed_off_by_id])
    answers: Mapped[list[AuditAnswer]] = relationship(
        back_populates="audit", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    def is_overdue(self, on: date) -> bool:
        return self.state in ("selected", "in_progress", "returned") and self.due_on < on


class AuditAnswer(db.Model):
    __tablename__ = "audit_answer"
    __table_args__ = (UniqueConstraint("audit_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(64), index=True)
    answer: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    prefilled: Mapped[str | None] = mapped_column(String(32))
    prefill_reason: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit] = relationship(back_populates="answers")
