"""Actions raised by an audit: SMART enough to save, owned, due, and done with a note."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select

from qa.access import may_complete_action, may_raise_action, staff_scope
from qa.actions.models import Action
from qa.audits.models import Audit
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff

VAGUE = re.compile(
    r"\b(ensure|continue|improve|consider|try to|look at|think about|be aware|as needed|"
    r"where possible|going forward)\b",
    re.IGNORECASE,
)


class ActionError(Exception):
    """The action cannot be saved or changed; the message says why."""


@dataclass(frozen=True)
class Vagueness:
    """A gentle prompt when a description may not be specific or measurable enough."""

    message: str


def vagueness(description: str) -> Vagueness | None:
    words = description.split()
    if len(words) < 6:
        return Vagueness(
            "This action is short. Say exactly what will be done, so anyone can tell when it "
            "is done: for example ‘Record the child's views from the 12 November visit on "
            "the supervision record’."
        )
    if VAGUE.search(description):
        return Vagueness(
            f"Words like ‘{VAGUE.search(description).group(0)}’ can make an action hard to "  # type: ignore[union-attr]
            "measure. Say what will be done and what will show it is done."
        )
    return None


def owner_choices(audit: Audit) -> list[Staff]:
    """People an action can be given to: the supervisor, the supervisee, and their managers."""
    people: dict[int, Staff] = {}
    for person in (audit.file.supervisor, audit.file.supervisee):
        people[person.id] = person
        manager = person.line_manager
        while manager is not None and manager.id not in people:
            people[manager.id] = manager
            manager = manager.line_manager
    return sorted((p for p in people.values() if not p.has_left(today())), key=lambda p: p.name)


def raise_action(
    audit: Audit,
    actor: Staff,
    description: str,
    owner_id: int | None,
    due_on: date | None,
    *,
    accept_vague: bool,
) -> Action | Vagueness:
    """Save an action, or return a prompt when the description looks vague.

    An owner and a due date are required; the owner must be one of `owner_choices`.
    """
    if not may_raise_action(actor, audit):
        raise ActionError(
            "Only the auditor or the head of service can raise actions, and not on a "
            "cancelled audit"
        )
    if not description.strip():
        raise ActionError("Enter what needs to be done")
    owners = {p.id: p for p in owner_choices(audit)}
    if owner_id not in owners:
        raise ActionError("Select who will do the action")
    if due_on is None:
        raise ActionError("Enter the date the action is due")
    if due_on < today():
        raise ActionError("The due date must be today or in the future")
    prompt = vagueness(description)
    if prompt is not None and not accept_vague:
        return prompt
    action = Action(
        audit_id=audit.id,
        description=description.strip(),
        owner_id=owner_id,
        due_on=due_on,
        status="open",
        created_at=now(),
        created_by_id=actor.id,
    )
    db.session.add(action)
    db.session.flush()
    record(actor, "action_raised", "action", action.id, f"audit {audit.id}, due {due_on}")
    db.session.commit()
    return action


def actions_of(audit: Audit) -> list[Action]:
    return list(
        db.session.scalars(select(Action).where(Action.audit_id == audit.id).order_by(Action.id))
    )


def my_actions(user: Staff) -> list[Action]:
    """Open actions the person owns, overdue first."""
    overdue = case((Action.due_on < today(), 0), else_=1)
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.owner_id == user.id, Action.status == "open")
            .order_by(overdue, Action.due_on)
        )
    )


def visible_actions(user: Staff) -> list[Action]:
    """Actions the person may see: their own, and those owned by staff in their scope."""
    return list(
        db.session.scalars(
            select(Action)
            .join(Staff, Staff.id == Action.owner_id)
            .where(staff_scope(user))
            .order_by(Action.status, Action.due_on)
        )
    )


def own_action(user: Staff, action_id: int) -> Action | None:
    """An action the person owns, or None."""
    action = db.session.get(Action, action_id)
    if action is None or not may_complete_action(user, action):
        return None
    return action


def mark_done(action: Action, user: Staff, note: str) -> None:
    if not may_complete_action(user, action):
        raise ActionError("Only the action's owner can mark it done")
    if action.status != "open":
        raise ActionError("This action is already done")
    if not note.strip():
        raise ActionError("Enter what was done")
    action.status = "done"
    action.done_at = now()
    action.done_note = note.strip()
    record(user, "action_done", "action", action.id, note.strip()[:200])
    db.session.commit()
