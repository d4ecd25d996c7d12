"""What the server keeps about signing in: each signed-in session, and failed attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import Model


class SignInSession(Model):
    """One signed-in session. The browser's signed cookie names it; signing out ends it
    here, so a copy of the cookie is worth nothing afterwards."""

    __tablename__ = "sign_in_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class SignInThrottle(Model):
    """Failed sign-ins in a row for one email address or one client address (the key says
    which, and holds a hash rather than the address itself)."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime, index=True)
