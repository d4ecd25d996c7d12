"""The one access policy: who may see and do what.

Every query for organisation records and audits takes its where-clause from here, so a
person cannot reach another area's records by changing an id in a URL.

- Administrators and quality assurance officers see the whole service.
- Heads of service and service managers see their service area.
- Team managers see their team and the people they line-manage.
- Practitioners see their own supervision file.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from qa.org.models import ServiceArea, Staff, SupervisionFile, Team

SERVICE_WIDE = frozenset({"administrator", "qa_officer"})
AREA_WIDE = frozenset({"head_of_service", "service_manager"})
MANAGERS = frozenset({"team_manager", "service_manager", "head_of_service"})


class Forbidden(Exception):
    """The signed-in person may not see or do this."""


def sees_everything(user: Staff) -> bool:
    return user.role in SERVICE_WIDE


def staff_scope(user: Staff) -> ColumnElement[bool]:
    """Which staff records the user may see."""
    if user.role in SERVICE_WIDE:
        return true()
    if user.role in AREA_WIDE:
        if user.service_area_id is None:
            return Staff.id == user.id
        return or_(Staff.service_area_id == user.service_area_id, Staff.id == user.id)
    if user.role == "team_manager":
        clauses = [Staff.id == user.id, Staff.line_manager_id == user.id]
        if user.team_id is not None:
            clauses.append(Staff.team_id == user.team_id)
        return or_(*clauses)
    return Staff.id == user.id


def file_scope(user: Staff) -> ColumnElement[bool]:
    """Which supervision files the user may see (by the supervisee, or as the supervisor).

    Use with a join from SupervisionFile to its supervisee (Staff).
    """
    return or_(staff_scope(user), SupervisionFile.supervisor_id == user.id)


def area_scope(user: Staff) -> ColumnElement[bool]:
    if user.role in SERVICE_WIDE:
        return true()
    if user.service_area_id is not None and user.role in AREA_WIDE:
        return ServiceArea.id == user.service_area_id
    if user.role == "team_manager" and user.team is not None:
        return ServiceArea.id == user.team.service_area_id
    return false()


def team_scope(user: Staff) -> ColumnElement[bool]:
    if user.role in SERVICE_WIDE:
        return true()
    if user.role in AREA_WIDE and user.service_area_id is not None:
        return Team.service_area_id == user.service_area_id
    if user.role == "team_manager" and user.team_id is not None:
        return Team.id == user.team_id
    return false()


def can_browse_organisation(user: Staff) -> bool:
    return user.role in SERVICE_WIDE | MANAGERS


def can_import(user: Staff) -> bool:
    return user.role == "administrator"


def require(allowed: bool) -> None:
    """Raise Forbidden unless the check passed; the error page explains."""
    if not allowed:
        raise Forbidden


SHARED_STATES = ("submitted", "returned", "signed_off")


def audit_scope(user: Staff) -> ColumnElement[bool]:
    """Which audits the user may read. Use with joins from Audit to its file and supervisee.

    The auditor always; QA officers and administrators everything; heads of service and
    service managers every audit in their area; the file's supervisor and supervisee once
    the audit has been submitted.
    """
    from qa.audits.models import Audit

    if user.role in SERVICE_WIDE:
        return true()
    clauses = [Audit.auditor_id == user.id]
    if user.role in AREA_WIDE and user.service_area_id is not None:
        clauses.append(Staff.service_area_id == user.service_area_id)
    clauses.append(and_(Audit.state.in_(SHARED_STATES), file_scope(user)))
    return or_(*clauses)


def can_sign_off(user: Staff, area_id: int | None) -> bool:
    """Heads of service sign off audits in their own area."""
    return (
        user.role == "head_of_service" and area_id is not None and user.service_area_id == area_id
    )


def can_manage_tools(user: Staff) -> bool:
    return user.role in SERVICE_WIDE
