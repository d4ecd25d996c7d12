"""Writing to the event log, always inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from qa.clock import now
from qa.events.models import Event
from qa.extensions import db
from qa.lists import Page, like, page_of
from qa.org.models import Staff

NEWEST_FIRST = (Event.at.desc(), Event.id.desc())


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


def log(
    actor: Staff | None, action: str, subject_type: str, subject_id: int | None, detail: str = ""
) -> None:
    """Write one event in a transaction of its own: for reads and downloads, which change
    nothing else but must still be on the record."""
    record(actor, action, subject_type, subject_id, detail)
    db.session.commit()


@dataclass(frozen=True)
class EventSearch:
    """What the event log page asks for; an empty field matches anything."""

    action: str = ""
    person: str = ""
    audit_id: int | None = None


def event_actions() -> list[str]:
    """Every kind of event on the log, for the search form."""
    return sorted(db.session.scalars(select(Event.action).distinct()))


def events_query(wanted: EventSearch) -> Select[Any]:
    """The events that match (order them by NEWEST_FIRST)."""
    query = select(Event).outerjoin(Staff, Staff.id == Event.actor_id)
    if wanted.action:
        query = query.where(Event.action == wanted.action)
    if wanted.person.strip():
        query = query.where(Staff.name.ilike(like(wanted.person.strip()), escape="\\"))
    if wanted.audit_id:
        query = query.where(Event.subject_type == "audit", Event.subject_id == wanted.audit_id)
    return query


def search(wanted: EventSearch, page: int = 1) -> Page[Event]:
    """The events that match, newest first, 50 at a time; a page past the end is the last
    page."""
    return page_of(events_query(wanted), NEWEST_FIRST, page)


def events_for_audit(audit_id: int) -> list[Event]:
    """An audit's history, oldest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.subject_type == "audit", Event.subject_id == audit_id)
            .order_by(Event.at, Event.id)
        )
    )
