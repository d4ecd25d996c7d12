"""The audit states and the only moves between them.

Every change of state goes through `move`, which refuses any pair not listed here, so an
illegal transition is impossible whatever a page or a request tries.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import update

from qa.clock import now
from qa.events.service import record
from qa.extensions import db

if TYPE_CHECKING:
    from qa.audits.models import Audit
    from qa.org.models import Staff


class AuditState(StrEnum):
    """Where an audit is in its workflow; the value is what the database holds."""

    SELECTED = "selected"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    SIGNED_OFF = "signed_off"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[AuditState, str] = {
    AuditState.SELECTED: "Not started",
    AuditState.IN_PROGRESS: "In progress",
    AuditState.SUBMITTED: "Waiting for sign-off",
    AuditState.RETURNED: "Returned to the auditor",
    AuditState.SIGNED_OFF: "Signed off",
    AuditState.CANCELLED: "Cancelled",
}

# The auditor may change the audit: before it is submitted, or once it is returned.
EDITABLE: tuple[AuditState, ...] = (
    AuditState.SELECTED,
    AuditState.IN_PROGRESS,
    AuditState.RETURNED,
)
# Submitted or later (and not cancelled): the file's supervisor and supervisee may read it.
SHARED: tuple[AuditState, ...] = (
    AuditState.SUBMITTED,
    AuditState.RETURNED,
    AuditState.SIGNED_OFF,
)
# Still to be finished by someone: counts towards "overdue".
OPEN: tuple[AuditState, ...] = EDITABLE

TRANSITIONS: frozenset[tuple[AuditState, AuditState]] = frozenset(
    {
        (AuditState.SELECTED, AuditState.IN_PROGRESS),
        (AuditState.IN_PROGRESS, AuditState.SUBMITTED),
        (AuditState.RETURNED, AuditState.SUBMITTED),
        (AuditState.SUBMITTED, AuditState.RETURNED),
        (AuditState.SUBMITTED, AuditState.SIGNED_OFF),
        # a correction after sign-off, as a new version
        (AuditState.SIGNED_OFF, AuditState.IN_PROGRESS),
        (AuditState.SELECTED, AuditState.CANCELLED),
        (AuditState.IN_PROGRESS, AuditState.CANCELLED),
        (AuditState.RETURNED, AuditState.CANCELLED),
    }
)

EVENT_NAMES: dict[AuditState, str] = {
    AuditState.IN_PROGRESS: "audit_started",
    AuditState.SUBMITTED: "audit_submitted",
    AuditState.RETURNED: "audit_returned",
    AuditState.SIGNED_OFF: "audit_signed_off",
    AuditState.CANCELLED: "audit_cancelled",
}


def state_label(value: str) -> str:
    """A stored state as words ("Waiting for sign-off"); an unknown value as it is."""
    try:
        return AuditState(value).label
    except ValueError:
        return value


class TransitionError(Exception):
    """The audit cannot move from its state to the one asked for."""


class StateChanged(TransitionError):
    """Another request moved the audit on between this one reading it and changing it."""


def move(audit: Audit, to: AuditState, actor: Staff | None, detail: str = "") -> None:
    """Change the audit's state and log it, or raise TransitionError.

    The change is a conditional update of the stored row (where the state is still the one
    this request read), so of two requests racing to sign off and return the same audit,
    exactly one moves it; the other rolls back and raises StateChanged.
    """
    if (audit.state, to) not in TRANSITIONS:
        raise TransitionError(f"An audit that is {audit.state_label.lower()} cannot be {_verb(to)}")
    if audit.id is not None:
        from qa.audits.models import Audit as AuditRow  # the model imports this module

        done = db.session.execute(
            update(AuditRow)
            .where(AuditRow.id == audit.id, AuditRow.state == audit.state)
            .values(state=to)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            raise StateChanged(
                "Someone else changed this audit a moment ago, so nothing was changed"
            )
    audit.state = to
    moment = now()
    if to == AuditState.SUBMITTED:
        audit.submitted_at = moment
    elif to == AuditState.SIGNED_OFF:
        audit.signed_off_at = moment
        audit.signed_off_by_id = actor.id if actor else None
    record(actor, EVENT_NAMES[to], "audit", audit.id, detail)


def _verb(state: AuditState) -> str:
    return {
        AuditState.SELECTED: "selected again",
        AuditState.IN_PROGRESS: "started or corrected",
        AuditState.SUBMITTED: "submitted",
        AuditState.RETURNED: "returned",
        AuditState.SIGNED_OFF: "signed off",
        AuditState.CANCELLED: "cancelled",
    }[state]
