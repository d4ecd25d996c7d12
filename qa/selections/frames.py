"""Turning the organisation into sampling frames: plain FileUnits for the pure library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from qa.audits.models import Audit
from qa.audits.states import AuditState
from qa.extensions import db
from qa.org.models import ServiceArea, Staff, SupervisionFile, Team
from sampling.policies import FileUnit


def file_ref(file_id: int) -> str:
    """The id a file has in frames and draws: its reference, e.g. F000123."""
    return f"F{file_id:06d}"


def file_id_of(ref: str) -> int:
    return int(ref[1:])


@dataclass(frozen=True)
class Person:
    """What a frame needs to know about a member of staff: plain values, not a database row,
    so a batch of selections can share it across their transactions."""

    id: int
    external_id: str
    role: str
    line_manager_id: int | None
    leaving_date: date | None
    case_holding: bool = False
    area: str = ""
    team: str = ""

    def has_left(self, on: date) -> bool:
        return self.leaving_date is not None and self.leaving_date <= on


@dataclass
class Organisation:
    """What a frame needs to know about everyone, loaded once for a batch of selections."""

    staff: dict[int, Person]
    units: dict[int, FileUnit]
    by_supervisor: dict[int, list[int]]
    by_manager: dict[tuple[int, str], list[Person]]  # (line manager, role) -> their reports
    by_external: dict[str, Person] = field(default_factory=dict, repr=False)

    def supervisee(self, unit: FileUnit) -> Person | None:
        """The person whose file this is."""
        if not self.by_external:
            self.by_external.update({p.external_id: p for p in self.staff.values()})
        return self.by_external.get(unit.supervisee_id)

    def unit(self, file_id: int) -> FileUnit:
        return self.units[file_id]

    def workload(self, supervisor_id: int) -> list[FileUnit]:
        return [self.units[f] for f in self.by_supervisor.get(supervisor_id, [])]

    def reports(self, manager_id: int, role: str, on: date) -> list[Person]:
        found = self.by_manager.get((manager_id, role), [])
        return sorted((s for s in found if not s.has_left(on)), key=lambda s: s.external_id)


def load_organisation() -> Organisation:
    """Everyone and every file, read as plain values in a few queries."""
    rows = db.session.execute(
        select(
            Staff.id,
            Staff.external_id,
            Staff.role,
            Staff.line_manager_id,
            Staff.leaving_date,
            Staff.service_area_id,
            Staff.team_id,
            Staff.case_holding,
        )
    ).all()
    places = {row.id: (row.service_area_id, row.team_id) for row in rows}
    last_audit = dict(
        db.session.execute(
            select(Audit.file_id, func.max(Audit.created_at))
            .where(Audit.state != AuditState.CANCELLED)
            .group_by(Audit.file_id)
        ).all()
    )
    team_area = dict(
        db.session.execute(select(Team.id, ServiceArea.name).join(Team.service_area)).all()
    )
    team_names = dict(db.session.execute(select(Team.id, Team.name)).all())
    area_names = dict(db.session.execute(select(ServiceArea.id, ServiceArea.name)).all())
    staff = {
        row.id: Person(
            *row[:5],
            case_holding=bool(row.case_holding),
            area=area_names.get(row.service_area_id) or team_area.get(row.team_id) or "",
            team=team_names.get(row.team_id, "") if row.team_id is not None else "",
        )
        for row in rows
    }
    by_manager: dict[tuple[int, str], list[Person]] = {}
    for person in staff.values():
        if person.line_manager_id is not None:
            by_manager.setdefault((person.line_manager_id, person.role), []).append(person)
    units: dict[int, FileUnit] = {}
    by_supervisor: dict[int, list[int]] = {}
    files = db.session.execute(
        select(
            SupervisionFile.id,
            SupervisionFile.supervisee_id,
            SupervisionFile.supervisor_id,
            SupervisionFile.opened_on,
            SupervisionFile.closed_on,
        ).order_by(SupervisionFile.id)
    )
    for file_id, supervisee_id, supervisor_id, opened_on, closed_on in files:
        supervisee = staff[supervisee_id]
        area_id, team_id = places[supervisee_id]
        area = area_names.get(area_id) or team_area.get(team_id)
        last = last_audit.get(file_id)
        units[file_id] = FileUnit(
            file_id=file_ref(file_id),
            supervisee_id=supervisee.external_id,
            supervisor_id=staff[supervisor_id].external_id,
            service_area=area or "Service-wide",
            team=team_names.get(team_id, "") if team_id is not None else "",
            opened_on=opened_on,
            supervisee_left_on=closed_on or supervisee.leaving_date,
            last_audited_on=last.date() if last else None,
            line_above=_line_above(supervisee, staff),
        )
        by_supervisor.setdefault(supervisor_id, []).append(file_id)
    return Organisation(
        staff=staff, units=units, by_supervisor=by_supervisor, by_manager=by_manager
    )


def _line_above(person: Person, staff: dict[int, Person]) -> tuple[str, ...]:
    chain: list[str] = []
    seen = {person.id}
    manager_id = person.line_manager_id
    while manager_id is not None and manager_id not in seen:
        seen.add(manager_id)
        manager = staff[manager_id]
        chain.append(manager.external_id)
        manager_id = manager.line_manager_id
    return tuple(chain)
