"""Who may draw, replace and change policies. Part of the access policy, kept beside it."""

from __future__ import annotations

from qa.access import sees_everything
from qa.audits.models import Audit
from qa.org.models import Staff
from qa.selections.policies import current_policies
from sampling.policies import Policy


def can_draw(user: Staff, policy: Policy) -> bool:
    return user.role == policy.selector_role


def drawable_policies(user: Staff) -> list[Policy]:
    return [p for row, p in current_policies() if row.active and can_draw(user, p)]


def can_replace(user: Staff, audit: Audit) -> bool:
    run = audit.run
    return run is not None and (user.role == "qa_officer" or run.selector_id == user.id)


def can_manage_policies(user: Staff) -> bool:
    return sees_everything(user)
