"""Turning the organisation into sampling frames: plain FileUnits for the pure library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from qa.audits.models import Audit
from qa.extensions import db
from qa.org.models import ServiceArea, Staff, SupervisionFile, Team
from sampling.policies import FileUnit

MANAGER_ROLES = ("team_manager", "service_manager", "head_of_service")


def file_ref(file_id: int) -> str:
    """The id a file has in frames and draws: its reference, e.g. F000123."""
    return f"F{file_id:06d}"


def file_id_of(ref: str) -> int:
    return int(ref[1:])


@dataclass
class Organisation:
    """What a frame needs to know about everyone, loaded once for a batch of selections."""

    staff: dict[int, Staff]
    units: dict[int, FileUnit]
    by_supervisor: dict[int, list[int]]

    def unit(self, file_id: int) -> FileUnit:
        return self.units[file_id]

    def workload(self, supervisor_id: int) -> list[FileUnit]:
        return [self.units[f] for f in self.by_supervisor.get(supervisor_id, [])]

    def reports(self, manager_id: int, role: str, on: date) -> list[Staff]:
        return sorted(
            (
                s
                for s in self.staff.values()
                if s.line_manager_id == manager_id and s.role == role and not s.has_left(on)
            ),
            key=lambda s: s.external_id,
        )


def load_organisation(on: date) -> Organisation:
    staff = {s.id: s for s in db.session.scalars(select(Staff))}
    last_audit = dict(
        db.session.execute(
            select(Audit.file_id, func.max(Audit.created_at))
            .where(Audit.state != "cancelled")
            .group_by(Audit.file_id)
        ).all()
    )
    team_area = dict(
        db.session.execute(select(Team.id, ServiceArea.name).join(Team.service_area)).all()
    )
    area_names = dict(db.session.execute(select(ServiceArea.id, ServiceArea.name)).all())
    units: dict[int, FileUnit] = {}
    by_supervisor: dict[int, list[int]] = {}
    for f in db.session.scalars(select(SupervisionFile).order_by(SupervisionFile.id)):
        supervisee = staff[f.supervisee_id]
        area = area_names.get(supervisee.service_area_id) or team_area.get(supervisee.team_id)
        last = last_audit.get(f.id)
        units[f.id] = FileUnit(
            file_id=file_ref(f.id),
            supervisee_id=supervisee.external_id,
            supervisor_id=staff[f.supervisor_id].external_id,
            service_area=area or "Service-wide",
            team=supervisee.team.name if supervisee.team else "",
            opened_on=f.opened_on,
            supervisee_left_on=f.closed_on or supervisee.leaving_date,
            last_audited_on=last.date() if last else None,
            line_above=_line_above(supervisee, staff),
        )
        by_supervisor.setdefault(f.supervisor_id, []).append(f.id)
    return Organisation(staff=staff, units=units, by_supervisor=by_supervisor)


def _line_above(person: Staff, staff: dict[int, Staff]) -> tuple[str, ...]:
    chain: list[str] = []
    seen = {person.id}
    manager_id = person.line_manager_id
    while manager_id is not None and manager_id not in seen:
        seen.add(manager_id)
        manager = staff[manager_id]
        chain.append(manager.external_id)
        manager_id = manager.line_manager_id
    return tuple(chain)
