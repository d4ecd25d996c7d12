"""The one place the app asks for today's date and the time, so tests can set the clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current time in Europe/London as a naive datetime (how the database stores it)."""
    if has_app_context() and (fixed := current_app.config.get("FIXED_NOW")):
        return fixed
    return datetime.now(LONDON).replace(tzinfo=None)


def today() -> date:
    """Today's date in Europe/London."""
    return now().date()
