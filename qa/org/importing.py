"""Importing staff, supervision sessions and agreements: all or nothing, and idempotent.

The file is parsed and checked first (qa.org.parsing); if any row has a problem, nothing is
written and every problem is reported. Otherwise every row is applied in one transaction,
upserting by the external id, so importing the same file twice changes nothing the second
time. A dry run does the same work and rolls it back, so the preview is exactly what an
import would do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import insert, select, update

from qa.access import access_changes
from qa.auth.service import end_every_session
from qa.cases.importing import apply_case_discussions, apply_cases
from qa.cases.parsing import CASE_KIND_LABELS, CASE_KINDS
from qa.clock import today as clock_today
from qa.events.service import record
from qa.extensions import db
from qa.org import parsing
from qa.org.limits import Limits
from qa.org.models import (
    ServiceArea,
    Staff,
    SupervisionAgreement,
    SupervisionFile,
    SupervisionSession,
    Team,
)
from qa.org.parsing import Problem

KINDS = ("staff", "sessions", "agreements", *CASE_KINDS)
KIND_LABELS = {
    "staff": "Staff",
    "sessions": "Supervision sessions",
    "agreements": "Supervision agreements",
    **CASE_KIND_LABELS,
}


@dataclass
class ImportReport:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    """Problems found beyond those listed (a file wrong on every row gets a short list)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems


Progress = Callable[[int, int], None]


def import_bytes(
    kind: str,
    data: bytes,
    filename: str,
    actor: Staff | None,
    *,
    dry_run: bool,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a file and, when it has no problems and this is not a dry run, apply it."""
    if kind not in KINDS:
        raise ValueError(f"Unknown import kind {kind!r}")
    today = today or clock_today()
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run)
    parsed = _parse(kind, data, filename, today, progress)
    report.rows = len(parsed.records)
    report.problems = list(parsed.problems)
    report.more_problems = parsed.more_problems
    if report.problems:
        return report
    try:
        apply: dict[str, Callable[[Sequence[Any], ImportReport, date, frozenset[str]], None]] = {
            "staff": _apply_staff,
            "sessions": _apply_sessions,
            "agreements": _apply_agreements,
            "cases": apply_cases,
            "case_discussions": apply_case_discussions,
        }
        apply[kind](parsed.records, report, today, parsed.columns)
        if report.problems or dry_run:
            db.session.rollback()
            return report
        record(
            actor,
            f"imported_{kind}",
            "import",
            None,
            f"{filename}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged",
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _parse(
    kind: str, data: bytes, filename: str, today: date, progress: Progress | None
) -> parsing.Parsed[Any]:
    managers = {
        ext: manager
        for ext, manager in db.session.execute(
            select(Staff.external_id, Manager.external_id).outerjoin(
                Manager, Manager.id == Staff.line_manager_id
            )
        )
    }
    return parsing.parse_bytes(
        kind,
        data,
        filename,
        today,
        existing_managers=managers,
        known_staff=set(managers),
        progress=progress,
        limits=import_limits(),
    )


def import_limits() -> Limits:
    """The limits on import files, from the settings (IMPORT_MAX_...)."""
    config = current_app.config
    return Limits(
        rows=int(config["IMPORT_MAX_ROWS"]),
        columns=int(config["IMPORT_MAX_COLUMNS"]),
        problems=int(config["IMPORT_MAX_PROBLEMS_LISTED"]),
        unpacked_bytes=int(config["IMPORT_MAX_UNPACKED_MB"]) * 1024 * 1024,
    )


Manager = db.aliased(Staff)


def _area(name: str | None, cache: dict[str, ServiceArea]) -> ServiceArea | None:
    if not name:
        return None
    if name not in cache:
        area = db.session.scalar(select(ServiceArea).where(ServiceArea.name == name))
        if area is None:
            area = ServiceArea(name=name)
            db.session.add(area)
        cache[name] = area
    return cache[name]


def _team(
    row: parsing.StaffRecord, area: ServiceArea | None, cache: dict[str, Team], report: ImportReport
) -> Team | None:
    if not row.team:
        return None
    team = cache.get(row.team) or db.session.scalar(select(Team).where(Team.name == row.team))
    if team is None:
        if area is None:
            report.problems.append(
                Problem(
                    row.row,
                    "service_area",
                    "",
                    f"Enter the service area of the new team {row.team}",
                )
            )
            return None
        team = Team(name=row.team, service_area=area)
        db.session.add(team)
    elif area is not None and team.service_area is not area:
        report.problems.append(
            Problem(
                row.row,
                "service_area",
                area.name,
                f"Team {row.team} is in service area {team.service_area.name}, not {area.name}",
            )
        )
    cache[row.team] = team
    return team


def _apply_staff(
    records: Sequence[parsing.StaffRecord],
    report: ImportReport,
    today: date,
    columns: frozenset[str],
) -> None:
    """Upsert staff by staff ID. A file without the optional fte column leaves each
    person's full-time equivalent as it was."""
    existing = {s.external_id: s for s in db.session.scalars(select(Staff))}
    areas: dict[str, ServiceArea] = {}
    teams: dict[str, Team] = {}
    status: dict[str, str] = {}
    for row in records:
        area = _area(row.service_area, areas)
        team = _team(row, area, teams, report)
        if area is None and team is not None:
            area = team.service_area
        values: dict[str, Any] = {
            "name": row.name,
            "email": row.email,
            "role": row.role,
            "team": team,
            "service_area": area,
            "case_holding": row.case_holding,
            "asye_start": row.asye_start,
            "start_date": row.start_date,
            "leaving_date": row.leaving_date,
        }
        if "fte" in columns:
            values["fte"] = row.fte
        person = existing.get(row.staff_id)
        if person is None:
            existing[row.staff_id] = Staff(external_id=row.staff_id, **values)
            db.session.add(existing[row.staff_id])
            status[row.staff_id] = "created"
        else:
            if access_changes(person, row.role):
                end_every_session(person)  # what they may do changes: they sign in again
            status[row.staff_id] = "updated" if _update(person, values) else "unchanged"
    db.session.flush()
    for row in records:
        person = existing[row.staff_id]
        manager = existing.get(row.line_manager_id) if row.line_manager_id else None
        moved = person.line_manager is not manager
        person.line_manager = manager
        if (_ensure_file(person, manager, row, today) or moved) and status[
            row.staff_id
        ] == "unchanged":
            status[row.staff_id] = "updated"
    db.session.flush()
    counts = list(status.values())
    report.created = counts.count("created")
    report.updated = counts.count("updated")
    report.unchanged = counts.count("unchanged")


def _update(target: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when anything changed."""
    did = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            did = True
    return did


def _ensure_file(
    person: Staff, manager: Staff | None, row: parsing.StaffRecord, today: date
) -> bool:
    """Everyone with a line manager has a supervision file, supervised by that manager."""
    current = person.file
    closed_on = row.leaving_date if row.leaving_date and row.leaving_date <= today else None
    if manager is None:
        return False
    if current is None:
        db.session.add(
            SupervisionFile(
                supervisee=person,
                supervisor=manager,
                opened_on=row.start_date or today,
                closed_on=closed_on,
            )
        )
        return True
    return _update(current, {"supervisor": manager, "closed_on": closed_on})


def _files_by_supervisee() -> tuple[dict[str, SupervisionFile], dict[str, Staff]]:
    staff = {s.external_id: s for s in db.session.scalars(select(Staff))}
    files = {
        f.supervisee.external_id: f
        for f in db.session.scalars(select(SupervisionFile).join(SupervisionFile.supervisee))
    }
    return files, staff


def _no_file(row: int, supervisee_id: str) -> Problem:
    return Problem(
        row,
        "supervisee_id",
        supervisee_id,
        f"{supervisee_id} has no supervision file because they have no line manager: "
        "import their line manager in the staff file first",
    )


def _apply_sessions(
    records: Sequence[parsing.SessionRecord],
    report: ImportReport,
    today: date,  # noqa: ARG001 (every kind's apply function takes the same arguments)
    in_file: frozenset[str],
) -> None:
    """Upsert sessions by (file, date held, type), with bulk statements: a year of sessions
    for a large service is hundreds of thousands of rows. A file without the optional
    length_minutes column leaves the lengths already recorded as they were."""
    files, staff = _files_by_supervisee()
    columns: tuple[str, ...] = (
        "supervisor_id",
        "recorded_on",
        "signed_by_supervisor_on",
        "signed_by_supervisee_on",
    )
    if "length_minutes" in in_file:
        columns += ("length_minutes",)
    existing = {
        (row.file_id, row.held_on, row.kind): row
        for row in db.session.execute(
            select(
                SupervisionSession.id,
                SupervisionSession.file_id,
                SupervisionSession.held_on,
                SupervisionSession.kind,
                *(getattr(SupervisionSession, c) for c in columns),
            )
        )
    }
    new: dict[tuple[int, date, str], dict[str, Any]] = {}
    changed: list[dict[str, Any]] = []
    for row in records:
        file = files.get(row.supervisee_id)
        if file is None:
            report.problems.append(_no_file(row.row, row.supervisee_id))
            continue
        values = {
            "supervisor_id": staff[row.supervisor_id].id,
            "recorded_on": row.recorded_date,
            "signed_by_supervisor_on": row.signed_by_supervisor,
            "signed_by_supervisee_on": row.signed_by_supervisee,
            "length_minutes": row.length_minutes,
        }
        values = {column: values[column] for column in columns}
        key = (file.id, row.session_date, row.type)
        found = existing.get(key)
        if found is None:
            if key not in new:
                report.created += 1
            new[key] = {"file_id": file.id, "held_on": row.session_date, "kind": row.type, **values}
        elif any(getattr(found, c) != values[c] for c in columns):
            changed.append({"id": found.id, **values})
            report.updated += 1
        else:
            report.unchanged += 1
    if report.problems:
        return
    if new:
        db.session.execute(insert(SupervisionSession), list(new.values()))
    if changed:
        db.session.execute(update(SupervisionSession), changed)


def _apply_agreements(
    records: Sequence[parsing.AgreementRecord],
    report: ImportReport,
    today: date,  # noqa: ARG001 (every kind's apply function takes the same arguments)
    columns: frozenset[str],  # noqa: ARG001 (every kind's apply function takes the same arguments)
) -> None:
    files, staff = _files_by_supervisee()
    for row in records:
        file = files.get(row.supervisee_id)
        if file is None:
            report.problems.append(_no_file(row.row, row.supervisee_id))
            continue
        values = {
            "supervisor_id": staff[row.supervisor_id].id,
            "signed_by_supervisor_on": row.signed_by_supervisor,
            "signed_by_supervisee_on": row.signed_by_supervisee,
            "review_due": row.review_due,
        }
        if file.agreement is None:
            db.session.add(SupervisionAgreement(file=file, **values))
            report.created += 1
        elif _update(file.agreement, values):
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
