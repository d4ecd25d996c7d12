"""Cases: who holds each and from when, its statuses from when, and its discussions.

Only a case reference identifies a case; no child's name, address or date of birth is kept
(the import refuses columns that look like them).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import Model
from qa.org.models import Staff


class Case(Model):
    __tablename__ = "case_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)

    allocations: Mapped[list[CaseAllocation]] = relationship(
        back_populates="case", order_by="CaseAllocation.allocated_on"
    )
    statuses: Mapped[list[CaseStatus]] = relationship(
        back_populates="case", order_by="CaseStatus.starts_on"
    )
    discussions: Mapped[list[CaseDiscussion]] = relationship(
        back_populates="case", order_by="CaseDiscussion.held_on"
    )


class CaseAllocation(Model):
    """The case was allocated (or transferred) to `worker` on `allocated_on`."""

    __tablename__ = "case_allocation"
    __table_args__ = (UniqueConstraint("case_id", "allocated_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    allocated_on: Mapped[date] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="allocations")
    worker: Mapped[Staff] = relationship()


class CaseStatus(Model):
    """From `starts_on` the case has `status` (a key of audit_tools.case_rules, or closed)."""

    __tablename__ = "case_status"
    __table_args__ = (UniqueConstraint("case_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="statuses")


class CaseDiscussion(Model):
    """The case was discussed in the supervision of `supervisee` by `supervisor` on
    `held_on`."""

    __tablename__ = "case_discussion"
    __table_args__ = (
        UniqueConstraint("case_id", "held_on", "supervisee_id"),
        Index("ix_case_discussion_supervisee_held_on", "supervisee_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    supervisee_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    held_on: Mapped[date] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="discussions")
    supervisee: Mapped[Staff] = relationship(foreign_keys=[supervisee_id])
    supervisor: Mapped[Staff] = relationship(foreign_keys=[supervisor_id])
