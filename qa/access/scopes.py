"""Which records a person may see, as where-clauses for the database queries.

Every query for organisation records and audits takes its where-clause from here, so a
person cannot reach another area's records by changing an id in a URL.

- Administrators and quality assurance officers see the whole service.
- Heads of service and service managers see their service area.
- Team managers see their team and the people they line-manage.
- Practitioners see their own supervision file.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from qa.audits.models import Audit
from qa.audits.states import SHARED
from qa.org.models import ServiceArea, Staff, SupervisionFile, Team
from qa.roles import Role
from qa.selections.models import SelectionRun

SERVICE_WIDE = frozenset({Role.ADMINISTRATOR, Role.QA_OFFICER})
AREA_WIDE = frozenset({Role.HEAD_OF_SERVICE, Role.SERVICE_MANAGER})
MANAGERS = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE})
# The roles that may be given audits to sign off (which ones, by `sign_off_scope`).
SIGNERS = frozenset({Role.HEAD_OF_SERVICE, Role.QA_OFFICER})
# The sign-off rules a policy can name (sampling.policies.SIGN_OFF_RULES).
AREA_HEAD_SIGNS = "area_head_of_service"
QA_SIGNS = "quality_assurance"


@dataclass(frozen=True)
class Reach:
    """The widest part of the service a person's figures and lists may cover.

    `whole_service` for administrators and QA officers; otherwise an area (heads of service
    and service managers) or a team (team managers), or nothing wider than their own records.
    """

    whole_service: bool
    area_id: int | None = None
    team_id: int | None = None

    @property
    def anything(self) -> bool:
        return self.whole_service or self.area_id is not None or self.team_id is not None


def reach_of(user: Staff) -> Reach:
    if user.role in SERVICE_WIDE:
        return Reach(True)
    if user.role in AREA_WIDE and user.service_area_id is not None:
        return Reach(False, user.service_area_id)
    if user.role == Role.TEAM_MANAGER and user.team_id is not None:
        area_id = user.team.service_area_id if user.team is not None else None
        return Reach(False, area_id, user.team_id)
    return Reach(False)


def audience(user: Staff) -> tuple[object, ...]:
    """Who is looking, as far as the access policy can tell people apart: everyone with the
    same audience sees the same figures, so a result may be shared between them."""
    if user.role in SERVICE_WIDE:
        return ("service-wide", user.role)
    return (user.id, user.role, user.service_area_id, user.team_id)


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
    if user.role == Role.TEAM_MANAGER:
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
    if user.role == Role.TEAM_MANAGER and user.team is not None:
        return ServiceArea.id == user.team.service_area_id
    return false()


def team_scope(user: Staff) -> ColumnElement[bool]:
    if user.role in SERVICE_WIDE:
        return true()
    if user.role in AREA_WIDE and user.service_area_id is not None:
        return Team.service_area_id == user.service_area_id
    if user.role == Role.TEAM_MANAGER and user.team_id is not None:
        return Team.id == user.team_id
    return false()


def audit_scope(user: Staff) -> ColumnElement[bool]:
    """Which audits the user may read. Use with joins from Audit to its file and supervisee.

    The auditor always; QA officers and administrators everything; heads of service and
    service managers every audit in their area; the file's supervisor and supervisee once
    the audit has been submitted.
    """
    if user.role in SERVICE_WIDE:
        return true()
    clauses = [Audit.auditor_id == user.id]
    if user.role in AREA_WIDE and user.service_area_id is not None:
        clauses.append(Staff.service_area_id == user.service_area_id)
    clauses.append(and_(Audit.state.in_(SHARED), file_scope(user)))
    return or_(*clauses)


def run_scope(user: Staff) -> ColumnElement[bool]:
    """Which selection runs the user may read: their own, or every run for QA officers and
    administrators (the record of how files were chosen)."""
    if user.role in SERVICE_WIDE:
        return true()
    return SelectionRun.selector_id == user.id


def sign_off_scope(user: Staff) -> ColumnElement[bool]:
    """The audits whose sign-off falls to the user, by the rule of the policy each was drawn
    under: a head of service's own area, or a quality assurance officer's audits of the
    policies they sign off; never an audit the user made.

    Use with joins from Audit to its file and supervisee.
    """
    if user.role == Role.HEAD_OF_SERVICE and user.service_area_id is not None:
        theirs = and_(
            Audit.sign_off_rule == AREA_HEAD_SIGNS,
            Staff.service_area_id == user.service_area_id,
        )
    elif user.role == Role.QA_OFFICER:
        theirs = Audit.sign_off_rule == QA_SIGNS
    else:
        return false()
    return and_(theirs, or_(Audit.auditor_id.is_(None), Audit.auditor_id != user.id))
