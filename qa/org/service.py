"""Reading the organisation, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from qa.access import area_scope, file_scope, staff_scope, team_scope
from qa.extensions import db
from qa.org.models import ServiceArea, Staff, SupervisionFile, SupervisionSession, Team
from qa.roles import Role


@dataclass(frozen=True)
class AreaLine:
    area: ServiceArea
    teams: int
    staff: int


def list_areas(user: Staff) -> list[AreaLine]:
    staff_counts = (
        select(Staff.service_area_id, func.count(Staff.id).label("n"))
        .where(staff_scope(user), Staff.leaving_date.is_(None))
        .group_by(Staff.service_area_id)
        .subquery()
    )
    team_counts = (
        select(Team.service_area_id, func.count(Team.id).label("n"))
        .group_by(Team.service_area_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ServiceArea, team_counts.c.n, staff_counts.c.n)
        .outerjoin(team_counts, team_counts.c.service_area_id == ServiceArea.id)
        .outerjoin(staff_counts, staff_counts.c.service_area_id == ServiceArea.id)
        .where(area_scope(user))
        .order_by(ServiceArea.name)
    ).all()
    return [AreaLine(area, teams or 0, staff or 0) for area, teams, staff in rows]


def get_area(user: Staff, area_id: int) -> ServiceArea:
    area = db.session.scalar(select(ServiceArea).where(ServiceArea.id == area_id, area_scope(user)))
    if area is None:
        raise NotFound
    return area


def visible_teams(user: Staff, area: ServiceArea) -> list[Team]:
    return list(
        db.session.scalars(
            select(Team)
            .where(Team.service_area_id == area.id, team_scope(user))
            .order_by(Team.name)
        )
    )


def area_managers(user: Staff, area: ServiceArea) -> list[Staff]:
    """The heads of service and service managers of an area."""
    return list(
        db.session.scalars(
            select(Staff)
            .where(
                Staff.service_area_id == area.id,
                Staff.role.in_((Role.HEAD_OF_SERVICE, Role.SERVICE_MANAGER)),
                staff_scope(user),
            )
            .order_by(Staff.role, Staff.name)
        )
    )


def get_team(user: Staff, team_id: int) -> Team:
    team = db.session.scalar(select(Team).where(Team.id == team_id, team_scope(user)))
    if team is None:
        raise NotFound
    return team


def team_members(user: Staff, team: Team) -> list[Staff]:
    return list(
        db.session.scalars(
            select(Staff)
            .where(Staff.team_id == team.id, staff_scope(user))
            .order_by(Staff.leaving_date.is_not(None), Staff.name)
        )
    )


def get_person(user: Staff, staff_id: int) -> Staff:
    person = db.session.scalar(select(Staff).where(Staff.id == staff_id, staff_scope(user)))
    if person is None:
        raise NotFound
    return person


def get_file(user: Staff, file_id: int) -> SupervisionFile:
    found = db.session.scalar(
        select(SupervisionFile)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(SupervisionFile.id == file_id, file_scope(user))
    )
    if found is None:
        raise NotFound
    return found


def recent_sessions(supervision_file: SupervisionFile, limit: int = 24) -> list[SupervisionSession]:
    return list(
        db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.file_id == supervision_file.id)
            .order_by(SupervisionSession.held_on.desc())
            .limit(limit)
        )
    )
