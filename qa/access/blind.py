"""The moderation blind: while a quality assurance officer scores an audit for moderation,
nothing they can open shows the auditor's answers, grade, score or evidence, until they
submit their own scores.

Pages refuse the audit (`blinds`), queries and exports leave it out (`not_blind`, with
Audit in the query), and the event log hides the detail of its events (`hidden_events`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, select, true

from qa.access.rules import may_moderate
from qa.actions.models import Action
from qa.audits.models import Audit, Moderation
from qa.events.models import Event
from qa.extensions import db
from qa.org.models import Staff

SCORING = "scoring"  # a moderation whose moderator has not yet submitted their scores


def blind_audit_ids(user: Staff) -> frozenset[int]:
    """The audits the person is scoring blind now (none for anyone who does not moderate)."""
    if not may_moderate(user):
        return frozenset()
    return frozenset(
        db.session.scalars(
            select(Moderation.audit_id).where(
                Moderation.moderator_id == user.id, Moderation.state == SCORING
            )
        )
    )


def blinds(user: Staff, audit: Audit) -> bool:
    """True while this person is scoring this audit blind."""
    return audit.id in blind_audit_ids(user)


def not_blind(user: Staff) -> ColumnElement[bool]:
    """A where-clause leaving out the audits the person is scoring blind."""
    hidden = blind_audit_ids(user)
    return Audit.id.not_in(sorted(hidden)) if hidden else true()


def hidden_events(user: Staff, events: Iterable[Event]) -> frozenset[int]:
    """The events whose detail the person may not read yet: those about an audit they are
    scoring blind, or about an action raised on one."""
    hidden = blind_audit_ids(user)
    if not hidden:
        return frozenset()
    events = list(events)
    action_ids = {e.subject_id for e in events if e.subject_type == "action" and e.subject_id}
    blind_actions = set(
        db.session.scalars(
            select(Action.id).where(Action.id.in_(action_ids), Action.audit_id.in_(hidden))
        )
        if action_ids
        else ()
    )
    return frozenset(
        e.id
        for e in events
        if (e.subject_type == "audit" and e.subject_id in hidden)
        or (e.subject_type == "action" and e.subject_id in blind_actions)
    )
