"""Turning the organisation into sampling frames: plain FileUnits for the pure library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select

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
        return self.people().get(unit.supervisee_id)

    def person(self, external_id: str) -> Person | None:
        """The member of staff with this external id, if there is one."""
        return self.people().get(external_id)

    def people(self) -> dict[str, Person]:
        """Everyone by external id."""
        if not self.by_external:
            self.by_external.update({p.external_id: p for p in self.staff.values()})
        return self.by_external

    def unit(self, file_id: int) -> FileUnit:
        return self.units[file_id]

    def workload(self, supervisor_id: int) -> list[FileUnit]:
        return [self.units[f] for f in self.by_supervisor.get(supervisor_id, [])]

    def reports(self, manager_id: int, role: str, on: date) -> list[Person]:
        found = self.by_manager.get((manager_id, role), [])
        return sorted((s for s in found if not s.has_left(on)), key=lambda s: s.external_id)


def load_organisation() -> Organisation:
    """Everyone and every file, read as plain values in a few queries.

    The rows are read through the session's connection, not as ORM objects, and the large
    ones as the driver's own rows (`_plain_rows`).
    """
    read = db.session.connection().execute
    rows = _plain_rows(
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
    )
    last_audit: dict[int, datetime] = {
        file_id: last
        for file_id, last in _plain_rows(
            select(Audit.file_id, func.max(Audit.created_at))
            .where(Audit.state != AuditState.CANCELLED)
            .group_by(Audit.file_id)
        )
    }
    team_area: dict[int | None, str] = dict(
        read(select(Team.id, ServiceArea.name).join(Team.service_area)).all()
    )
    team_names: dict[int | None, str] = dict(read(select(Team.id, Team.name)).all())
    area_names: dict[int | None, str] = dict(read(select(ServiceArea.id, ServiceArea.name)).all())
    places: dict[int, tuple[str | None, str]] = {}
    staff: dict[int, Person] = {}
    for ident, external, role, manager, leaving, area_id, team_id, case_holding in rows:
        area = area_names.get(area_id) or team_area.get(team_id)
        team = team_names.get(team_id, "") if team_id is not None else ""
        places[ident] = (area, team)
        staff[ident] = Person(
            ident,
            external,
            role,
            manager,
            leaving,
            case_holding=bool(case_holding),
            area=area or "",
            team=team,
        )
    by_manager: dict[tuple[int, str], list[Person]] = {}
    for person in staff.values():
        if person.line_manager_id is not None:
            by_manager.setdefault((person.line_manager_id, person.role), []).append(person)
    lines = _Lines(staff)
    units: dict[int, FileUnit] = {}
    by_supervisor: dict[int, list[int]] = {}
    files = _plain_rows(
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
        area, team = places[supervisee_id]
        last = last_audit.get(file_id)
        units[file_id] = FileUnit(
            file_id=file_ref(file_id),
            supervisee_id=supervisee.external_id,
            supervisor_id=staff[supervisor_id].external_id,
            service_area=area or "Service-wide",
            team=team,
            opened_on=opened_on,
            supervisee_left_on=closed_on or supervisee.leaving_date,
            last_audited_on=last.date() if last else None,
            line_above=lines.above(supervisee),
        )
        by_supervisor.setdefault(supervisor_id, []).append(file_id)
    return Organisation(
        staff=staff, units=units, by_supervisor=by_supervisor, by_manager=by_manager
    )


def _plain_rows(statement: Select[*tuple[Any, ...]]) -> Sequence[Sequence[Any]]:
    """The statement's rows in the session's transaction. Through psycopg they are the
    driver's own tuples: PostgreSQL gives ids, dates, times and flags typed, and making
    SQLAlchemy's row object for each of 100,000 staff and files took longer than reading
    them. Elsewhere (SQLite, which keeps dates as text) they are SQLAlchemy's rows."""
    connection = db.session.connection()
    if connection.dialect.driver != "psycopg":
        return connection.execute(statement).all()
    compiled = statement.compile(dialect=connection.dialect)
    driver: Any = connection.connection.dbapi_connection
    with driver.cursor() as cursor:
        cursor.execute(compiled.string, compiled.params)
        found: Sequence[Sequence[Any]] = cursor.fetchall()
    return found


class _Lines:
    """Each person's line of management, nearest manager first, working out each manager's
    own line once however many people they manage."""

    def __init__(self, staff: dict[int, Person]) -> None:
        self.staff = staff
        self.chains: dict[int, tuple[tuple[int, ...], tuple[str, ...]]] = {}

    def above(self, person: Person) -> tuple[str, ...]:
        """The external ids above the person, stopping where the line comes back to them or
        to anyone already in it."""
        manager_id = person.line_manager_id
        if manager_id is None:
            return ()
        ids, externals = self.chains.get(manager_id) or self._from(manager_id)
        if person.id in ids:
            return externals[: ids.index(person.id)]
        return externals

    def _from(self, manager_id: int) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The line starting at this manager, until it ends or repeats itself."""
        ids: list[int] = []
        current: int | None = manager_id
        while current is not None and current not in ids:
            ids.append(current)
            current = self.staff[current].line_manager_id
        found = (tuple(ids), tuple(self.staff[i].external_id for i in ids))
        self.chains[manager_id] = found
        return found
