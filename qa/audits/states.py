"""The audit states and the only moves between them.

Every change of state goes through `move`, which refuses any pair not listed here, so an
illegal transition is impossible whatever a page or a request tries.
"""

from __future__ import annotations

from qa.audits.models import Audit
from qa.clock import now
from qa.events.service import record
from qa.org.models import Staff

TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("selected", "in_progress"),
        ("in_progress", "submitted"),
        ("returned", "submitted"),
        ("submitted", "returned"),
        ("submitted", "signed_off"),
        ("signed_off", "in_progress"),  # a correction after sign-off, as a new version
        ("selected", "cancelled"),
        ("in_progress", "cancelled"),
        ("returned", "cancelled"),
    }
)

EVENT_NAMES = {
    "in_progress": "audit_started",
    "submitted": "audit_submitted",
    "returned": "audit_returned",
    "signed_off": "audit_signed_off",
    "cancelled": "audit_cancelled",
}


class TransitionError(Exception):
    """The audit cannot move from its state to the one asked for."""


def move(audit: Audit, to: str, actor: Staff | None, detail: str = "") -> None:
    """Change the audit's state and log it, or raise TransitionError."""
    if (audit.state, to) not in TRANSITIONS:
        raise TransitionError(f"An audit that is {audit.state_label.lower()} cannot be {_verb(to)}")
    audit.state = to
    moment = now()
    if to == "submitted":
        audit.submitted_at = moment
    elif to == "signed_off":
        audit.signed_off_at = moment
        audit.signed_off_by_id = actor.id if actor else None
    record(actor, EVENT_NAMES[to], "audit", audit.id, detail)


def _verb(state: str) -> str:
    return {
        "in_progress": "started or corrected",
        "submitted": "submitted",
        "returned": "returned",
        "signed_off": "signed off",
        "cancelled": "cancelled",
    }.get(state, state.replace("_", " "))
