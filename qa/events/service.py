"""Writing to the event log, always inside the caller's transaction."""

from __future__ import annotations

from qa.clock import now
from qa.events.models import Event
from qa.extensions import db
from qa.org.models import Staff


def record(
    actor: Staff | None, action: str, subject_type: str, subject_id: int | None, detail: str = ""
) -> Event:
    """Add an event to the current transaction; it is written when the caller commits."""
    event = Event(
        at=now(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    db.session.add(event)
    return event
