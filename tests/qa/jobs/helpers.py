"""Helpers for the scheduler tests: set the clock, count what the jobs made, make records."""

from __future__ import annotations

import socket
from datetime import date, datetime

from sqlalchemy import func, select

from qa.actions.models import Action
from qa.audits.models import Audit
from qa.extensions import db
from qa.selections.models import SelectionRun


def at(app, day: date, hour: int = 6) -> None:
    """Set the app's clock to a morning (the scheduler's default start time)."""
    app.config["FIXED_NOW"] = datetime(day.year, day.month, day.day, hour, 0)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def selections() -> set[tuple[str, str, str]]:
    """Every selection made, as (policy, period, selector)."""
    rows = db.session.execute(
        select(SelectionRun.policy_key, SelectionRun.period_key, SelectionRun.selector_key)
    )
    return {tuple(row) for row in rows}


def expected(monthly: str, quarterly: str, half: str) -> set[tuple[str, str, str]]:
    """The five selections of the test organisation's periods: a monthly run for each of the
    two service managers, a quarterly run for each of the two heads of service, and the
    service-wide six-monthly sample."""
    return {
        ("monthly-team-manager", monthly, "T-service_manager"),
        ("monthly-team-manager", monthly, "T-service_manager_south"),
        ("quarterly-service-manager", quarterly, "T-head_of_service"),
        ("quarterly-service-manager", quarterly, "T-head_south"),
        ("six-monthly-random", half, "service"),
    }


def make_audit(org, supervisee="practitioner", auditor="service_manager", **values) -> Audit:
    values.setdefault("state", "selected")
    values.setdefault("due_on", date(2026, 11, 30))
    audit = Audit(
        file_id=org.file_of(supervisee).id,
        auditor_id=org.people[auditor].id if auditor else None,
        tool_id="supervision-file-audit",
        created_at=datetime(2026, 11, 1, 6, 0),
        **values,
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def make_action(org, audit: Audit, owner="team_manager", **values) -> Action:
    action = Action(
        audit_id=audit.id,
        description=values.pop("description", "Record the child's views at every session"),
        owner_id=org.people[owner].id,
        created_at=datetime(2026, 11, 2, 9, 0),
        **values,
    )
    db.session.add(action)
    db.session.commit()
    return action


def free_port() -> int:
    """A loopback port nothing listens on (the OS picks it, then it is let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
