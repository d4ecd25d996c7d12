"""Audits and their answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.audits.states import EDITABLE, AuditState, state_label
from qa.extensions import Model
from qa.org.models import Staff, SupervisionFile
from qa.selections.models import SelectionRun


class Audit(Model):
    """One selected file audited with one tool version by one auditor."""

    __tablename__ = "audit"
    # Trend figures pick signed-off audits by date (migration 0008).
    __table_args__ = (Index("ix_audit_state_signed_off_at", "state", "signed_off_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("selection_run.id"), index=True)
    draw_label: Mapped[str] = mapped_column(String(200), default="")
    file_id: Mapped[int] = mapped_column(ForeignKey("supervision_file.id"), index=True)
    auditor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    tool_id: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=AuditState.SELECTED, index=True)
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
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    reply_due: Mapped[date | None] = mapped_column(Date)
    # The policy's sign-off rule when the audit was drawn (sampling.policies.SIGN_OFF_RULES).
    sign_off_rule: Mapped[str] = mapped_column(
        String(32), default="area_head_of_service", server_default="area_head_of_service"
    )
    # The grade the signer agrees, when it differs from the auditor's, and why.
    agreed_grade: Mapped[str | None] = mapped_column(String(32))
    agreed_grade_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The council profile in force when the audit was drawn (None: drawn before profiles were
    # stored, so the one in force on the day it was drawn): its suggested answers follow it.
    profile_name: Mapped[str | None] = mapped_column(String(60))
    profile_version: Mapped[int | None] = mapped_column(Integer)

    run: Mapped[SelectionRun | None] = relationship()
    file: Mapped[SupervisionFile] = relationship()
    auditor: Mapped[Staff | None] = relationship(foreign_keys=[auditor_id])
    signed_off_by: Mapped[Staff | None] = relationship(foreign_keys=[signed_off_by_id])
    answers: Mapped[list[AuditAnswer]] = relationship(
        back_populates="audit", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    def is_overdue(self, on: date) -> bool:
        return self.state in EDITABLE and self.due_on < on


class AuditAnswer(Model):
    __tablename__ = "audit_answer"
    __table_args__ = (
        UniqueConstraint("audit_id", "question_key"),
        # One question's answers from the index alone (migration 0008).
        Index(
            "ix_audit_answer_question_key_audit_id",
            "question_key",
            "audit_id",
            postgresql_include=["answer"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(64), index=True)
    answer: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    prefilled: Mapped[str | None] = mapped_column(String(32))
    prefill_reason: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit] = relationship(back_populates="answers")


class AuditToolVersion(Model):
    __tablename__ = "audit_tool_version"
    __table_args__ = (UniqueConstraint("tool_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was saved in the tool editor

    uploaded_by: Mapped[Staff | None] = relationship()


class AuditAmendment(Model):
    """A correction after sign-off: the version before it, kept whole, and why it changed."""

    __tablename__ = "audit_amendment"
    __table_args__ = (UniqueConstraint("audit_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    created_by: Mapped[Staff | None] = relationship()


class Reply(Model):
    """The supervisor's or supervisee's right of reply to a submitted audit: one each."""

    __tablename__ = "audit_reply"
    __table_args__ = (UniqueConstraint("audit_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    # Made after the audit was signed off: an addendum to the signed record.
    after_sign_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    staff: Mapped[Staff] = relationship()


class Moderation(Model):
    """An independent second scoring of an audit by a QA officer, scored blind."""

    __tablename__ = "moderation"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), unique=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="scoring")
    chosen_by: Mapped[str] = mapped_column(String(16), default="officer")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime)
    moderator_score: Mapped[float | None] = mapped_column(Float)
    moderator_grade: Mapped[str | None] = mapped_column(String(32))
    agreed_grade: Mapped[str | None] = mapped_column(String(32))
    agreed_note: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit] = relationship()
    moderator: Mapped[Staff] = relationship()
    answers: Mapped[list[ModerationAnswer]] = relationship(cascade="all, delete-orphan")


class ModerationAnswer(Model):
    """The moderator's answer to one question, beside the auditor's, for agreement (kappa)."""

    __tablename__ = "moderation_answer"
    __table_args__ = (UniqueConstraint("moderation_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderation.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(64), index=True)
    answer: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    auditor_answer: Mapped[str | None] = mapped_column(String(32))
    agreed: Mapped[bool | None] = mapped_column(Boolean)


class StoredDocument(Model):
    """A PDF made once and kept, so the same bytes are served every time. A later revision of
    the same version (a reply added after sign-off) is a new row; the first is never changed."""

    __tablename__ = "stored_document"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "version_no", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
