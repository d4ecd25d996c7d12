"""Who may see and run the scheduler, read the outbox and apply retention. Part of the access
policy, kept beside it like the selections' permissions."""

from __future__ import annotations

from qa.org.models import Staff


def can_manage_jobs(user: Staff) -> bool:
    """Administrators only: the outbox holds everyone's reminders, and retention deletes."""
    return user.role == "administrator"
