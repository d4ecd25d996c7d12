"""Actions raised by an audit: SMART enough to save, owned, due, done with a note by the
owner, and confirmed done by whoever raised it (or the head of service of the file's area).

Raising, marking done and confirming are each safe to post twice: the form that raises an
action carries a token kept unique on the action, and the other two are conditional updates
that change the action only from the state the person saw."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from qa.access import (
    audit_scope,
    confirms_action,
    may_complete_action,
    may_confirm_action,
    may_raise_action,
)
from qa.actions.models import Action
from qa.actions.states import ActionState
from qa.audits.models import Audit
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile

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
    form_token: str | None = None,
) -> Action | Vagueness:
    """Save an action, or return a prompt when the description looks vague.

    An owner and a due date are required; the owner must be one of `owner_choices`. The
    same form (`form_token`) posted again returns the action it already made.
    """
    if not may_raise_action(actor, audit):
        raise ActionError(
            "Only the auditor or the head of service can raise actions, and not on a "
            "cancelled audit"
        )
    if form_token and (made := _raised_by_form(form_token)) is not None:
        return made
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
        status=ActionState.OPEN,
        created_at=now(),
        created_by_id=actor.id,
        form_token=form_token or None,
    )
    db.session.add(action)
    try:
        db.session.flush()
    except IntegrityError:  # the same form, posted at the same moment, got there first
        db.session.rollback()
        made = _raised_by_form(form_token or "")
        if made is None:
            raise
        return made
    record(actor, "action_raised", "action", action.id, f"audit {audit.id}, due {due_on}")
    db.session.commit()
    return action


def _raised_by_form(form_token: str) -> Action | None:
    return db.session.scalar(select(Action).where(Action.form_token == form_token))


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
            .where(Action.owner_id == user.id, Action.status == ActionState.OPEN)
            .order_by(overdue, Action.due_on)
        )
    )


def to_confirm(user: Staff) -> list[Action]:
    """Actions marked done by their owners that the person is to confirm, oldest first."""
    done = db.session.scalars(
        select(Action)
        .join(Audit, Audit.id == Action.audit_id)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(Action.status == ActionState.DONE, audit_scope(user))
        .order_by(Action.done_at, Action.id)
    )
    return [action for action in done if may_confirm_action(user, action)]


def readable_audits(user: Staff, actions: list[Action]) -> set[int]:
    """Which of these actions' audits the person may open, so only those rows link to it."""
    ids = {a.audit_id for a in actions}
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Audit.id)
            .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
            .join(Staff, Staff.id == SupervisionFile.supervisee_id)
            .where(Audit.id.in_(ids), audit_scope(user))
        )
    )


def own_action(user: Staff, action_id: int) -> Action | None:
    """An action the person owns, or None."""
    action = db.session.get(Action, action_id)
    if action is None or not may_complete_action(user, action):
        return None
    return action


def action_to_confirm(user: Staff, action_id: int) -> Action | None:
    """An action the person confirms (whatever its state now), or None."""
    action = db.session.get(Action, action_id)
    if action is None or not confirms_action(user, action):
        return None
    return action


def _move(action: Action, before: ActionState, values: dict[str, object]) -> bool:
    """Change the stored action only if it is still in `before`; False if it was not."""
    done = db.session.execute(
        update(Action)
        .where(Action.id == action.id, Action.status == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    return True


def mark_done(action: Action, user: Staff, note: str) -> bool:
    """The owner marks the action done; it then waits for confirmation. False when it was
    already marked done (a second post of the same form), which changes nothing."""
    if not may_complete_action(user, action):
        raise ActionError("Only the action's owner can mark it done")
    if action.status != ActionState.OPEN:
        return False
    if not note.strip():
        raise ActionError("Enter what was done")
    moved = _move(
        action,
        ActionState.OPEN,
        {"status": ActionState.DONE, "done_at": now(), "done_note": note.strip()},
    )
    if moved:
        record(user, "action_done", "action", action.id, note.strip()[:200])
        db.session.commit()
    return moved


def confirm(action: Action, user: Staff) -> bool:
    """Whoever raised the action (or the area's head of service) confirms it was done, which
    closes it. False when it was already confirmed, which changes nothing."""
    if action.status == ActionState.CONFIRMED:
        return False
    if not may_confirm_action(user, action):
        raise ActionError("The action's owner has not marked it done yet")
    moved = _move(
        action,
        ActionState.DONE,
        {"status": ActionState.CONFIRMED, "confirmed_at": now(), "confirmed_by_id": user.id},
    )
    if moved:
        record(user, "action_confirmed", "action", action.id, f"audit {action.audit_id}")
        db.session.commit()
    return moved
