"""The organisation: service areas, teams, staff, supervision files, sessions, agreements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import Model
from qa.roles import role_label

SESSION_TYPE_LABELS = {
    "case": "Case supervision",
    "personal": "Personal reflective supervision",
    "group": "Group supervision",
    "ad_hoc": "Ad hoc supervision",
}


class ServiceArea(Model):
    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    teams: Mapped[list[Team]] = relationship(back_populates="service_area", order_by="Team.name")


class Team(Model):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)

    service_area: Mapped[ServiceArea] = relationship(back_populates="teams")
    members: Mapped[list[Staff]] = relationship(back_populates="team", order_by="Staff.name")


class Staff(Model):
    """A member of staff; also the person who signs in."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(32), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_area.id"), index=True)
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    case_holding: Mapped[bool] = mapped_column(Boolean, default=False)
    asye_start: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date | None] = mapped_column(Date)
    leaving_date: Mapped[date | None] = mapped_column(Date)
    fte: Mapped[float | None] = mapped_column(Float)
    """Full-time equivalent from the staff file (1 is full time); None where not given."""
    password_hash: Mapped[str | None] = mapped_column(String(255))
    session_version: Mapped[int] = mapped_column(Integer, default=1)

    team: Mapped[Team | None] = relationship(back_populates="members")
    service_area: Mapped[ServiceArea | None] = relationship()
    line_manager: Mapped[Staff | None] = relationship(
        remote_side="Staff.id", back_populates="reports"
    )
    reports: Mapped[list[Staff]] = relationship(
        back_populates="line_manager", order_by="Staff.name"
    )
    file: Mapped[SupervisionFile | None] = relationship(
        back_populates="supervisee", foreign_keys="SupervisionFile.supervisee_id", uselist=False
    )

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        """Everyone imported may sign in (by password once one is set, or by single
        sign-on); leavers are refused at sign-in and their sessions end."""
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    def has_left(self, on: date) -> bool:
        return self.leaving_date is not None and self.leaving_date <= on


class SupervisionFile(Model):
    """One per supervisee: the record of their supervision, held by their supervisor."""

    __tablename__ = "supervision_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisee_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), unique=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)

    supervisee: Mapped[Staff] = relationship(foreign_keys=[supervisee_id], back_populates="file")
    supervisor: Mapped[Staff] = relationship(foreign_keys=[supervisor_id])
    sessions: Mapped[list[SupervisionSession]] = relationship(
        back_populates="file", order_by="SupervisionSession.held_on.desc()"
    )
    agreement: Mapped[SupervisionAgreement | None] = relationship(
        back_populates="file", uselist=False
    )

    @property
    def reference(self) -> str:
        return f"F{self.id:06d}"


class SupervisionSession(Model):
    __tablename__ = "supervision_session"
    __table_args__ = (UniqueConstraint("file_id", "held_on", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("supervision_file.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    recorded_on: Mapped[date | None] = mapped_column(Date)
    signed_by_supervisor_on: Mapped[date | None] = mapped_column(Date)
    signed_by_supervisee_on: Mapped[date | None] = mapped_column(Date)
    length_minutes: Mapped[int | None] = mapped_column(Integer)

    file: Mapped[SupervisionFile] = relationship(back_populates="sessions")
    supervisor: Mapped[Staff] = relationship()

    @property
    def kind_label(self) -> str:
        return SESSION_TYPE_LABELS.get(self.kind, self.kind)


class SupervisionAgreement(Model):
    """The current written supervision agreement on a file."""

    __tablename__ = "supervision_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("supervision_file.id"), unique=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    signed_by_supervisor_on: Mapped[date | None] = mapped_column(Date)
    signed_by_supervisee_on: Mapped[date | None] = mapped_column(Date)
    review_due: Mapped[date | None] = mapped_column(Date)

    file: Mapped[SupervisionFile] = relationship(back_populates="agreement")
    supervisor: Mapped[Staff] = relationship()
