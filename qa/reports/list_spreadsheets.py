"""The spreadsheets of the moderation, staff and event log lists: every row the list shows
with the same filters, search and order, on every page.

Each asks the access policy exactly what its list page asks (moderation for QA officers, the
staff list for whoever browses the organisation, the event log for its readers) and reads the
list's own query, so a person downloads only the rows they could page through. Cells are in
plain words: people by name and role, policies by title, no internal ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from qa.access import may_browse_organisation, may_moderate, may_read_event_log, require
from qa.access.blind import hidden_events
from qa.audits.listing import NOT_DRAWN_LABEL, AuditFilters, audit_order
from qa.audits.models import Audit
from qa.audits.moderation import candidates_query
from qa.clock import today
from qa.events.models import Event
from qa.events.service import NEWEST_FIRST, EventSearch, events_query
from qa.extensions import db
from qa.jobs.retention import anonymised_audit_ids
from qa.lists import count_of
from qa.org.listing import StaffFilters, staff_order, staff_query
from qa.org.models import Staff, SupervisionFile
from qa.reports.spreadsheets import ANONYMISED, Export, _book, _logged
from qa.reports.xlsx import Column, Sheet, workbook_file
from qa.roles import role_label
from qa.selections.policies import current_policies

NO_LONGER_IN_USE = "A policy no longer in use"
HIDDEN_DETAIL = "Hidden while you moderate this audit blind"
EVENTS_AT_A_TIME = 2000  # events read from the database at a time for the event log sheet
NUMBERED = {"audit": "Audit", "selection_run": "Selection", "action": "Action"}
"""Records people know by their number (audit 12, selection 3); others are named in words."""

MODERATION_COLUMNS = (
    Column("Supervision file of", "text", 24),
    Column("Team", "text", 24),
    Column("Service area", "text", 24),
    Column("Policy", "text", 32),
    Column("Auditor", "text", 24),
    Column("Auditor's role", "text", 22),
    Column("Drawn", "date", 12),
    Column("Submitted", "date", 12),
    Column("Stage", "text", 22),
)
STAFF_COLUMNS = (
    Column("Name", "text", 24),
    Column("Role", "text", 24),
    Column("Team", "text", 24),
    Column("Service area", "text", 24),
    Column("Line manager", "text", 24),
    Column("Line manager's role", "text", 22),
    Column("Case-holding", "boolean", 12),
    Column("Full-time equivalent", "decimal", 12),
    Column("Started", "date", 12),
    Column("Left", "date", 12),
)
EVENT_COLUMNS = (
    Column("When", "datetime", 17),
    Column("Who", "text", 24),
    Column("Their role", "text", 22),
    Column("What happened", "text", 28),
    Column("Record", "text", 24),
    Column("Record number", "integer", 10),
    Column("Detail", "text", 70),
)


def _dated(filename: str) -> str:
    return f"{filename}-{today().isoformat()}.xlsx"


def _policy_titles() -> dict[str, str]:
    return {row.key: policy.title for row, policy in current_policies()}


def moderation_rows(audits: Sequence[Audit]) -> Iterator[list[object]]:
    titles = _policy_titles()
    hidden = anonymised_audit_ids(sorted(a.id for a in audits))
    for audit in audits:
        person = audit.file.supervisee
        policy = titles.get(audit.run.policy_key, NO_LONGER_IN_USE) if audit.run else None
        yield [
            ANONYMISED if audit.id in hidden else person.name,
            person.team.name if person.team else "",
            person.service_area.name if person.service_area else "",
            policy or NOT_DRAWN_LABEL,
            audit.auditor.name if audit.auditor else "Nobody",
            audit.auditor.role_label if audit.auditor else "",
            audit.created_at,
            audit.submitted_at,
            audit.state_label,
        ]


def moderation_export(user: Staff, wanted: AuditFilters) -> Export:
    """The submitted audits waiting to be chosen for moderation, as the moderation page lists
    them with the same filters."""
    require(may_moderate(user))
    query = candidates_query(user, wanted).options(
        joinedload(Audit.file).joinedload(SupervisionFile.supervisee).joinedload(Staff.team),
        joinedload(Audit.file)
        .joinedload(SupervisionFile.supervisee)
        .joinedload(Staff.service_area),
        joinedload(Audit.auditor),
        joinedload(Audit.run),
    )
    audits = list(db.session.scalars(query.order_by(*audit_order(wanted))).unique())
    sheet = Sheet("Audits to moderate", MODERATION_COLUMNS, moderation_rows(audits))
    content = _book([sheet], "Audits to moderate")
    what = f"audits to moderate spreadsheet, {len(audits)} audits"
    return _logged(user, what, _dated("audits-to-moderate"), content)


def staff_rows(people: Iterable[Staff]) -> Iterator[list[object]]:
    for person in people:
        manager = person.line_manager
        yield [
            person.name,
            person.role_label,
            person.team.name if person.team else "",
            person.service_area.name if person.service_area else "",
            manager.name if manager else "",
            manager.role_label if manager else "",
            person.case_holding,
            person.fte,
            person.start_date,
            person.leaving_date,
        ]


def staff_export(user: Staff, wanted: StaffFilters) -> Export:
    """The people the staff list shows with the same filters, in its order."""
    require(may_browse_organisation(user))
    query = staff_query(user, wanted).options(
        joinedload(Staff.team), joinedload(Staff.service_area), joinedload(Staff.line_manager)
    )
    people = list(db.session.scalars(query.order_by(*staff_order(wanted))).unique())
    content = _book([Sheet("Staff", STAFF_COLUMNS, staff_rows(people))], "Staff")
    return _logged(user, f"staff spreadsheet, {len(people)} people", _dated("staff"), content)


def _record(event: Event, names: dict[int, str]) -> tuple[str, int | None]:
    """What the event is about in words, and its number where people know it by one."""
    if event.subject_type == "staff" and event.subject_id in names:
        return names[event.subject_id], None
    if event.subject_type in NUMBERED:
        return NUMBERED[event.subject_type], event.subject_id
    words = event.subject_type.replace("_", " ")
    return words[:1].upper() + words[1:], None


def event_rows(user: Staff, wanted: EventSearch) -> Iterator[list[object]]:
    """The events that match, newest first, read a few thousand at a time; the detail of an
    event about an audit the person is moderating blind stays hidden, as on the page."""
    stmt = (
        events_query(wanted)
        .add_columns(Staff.name, Staff.role)
        .order_by(*NEWEST_FIRST)
        .execution_options(yield_per=EVENTS_AT_A_TIME)
    )
    rows = iter(db.session.execute(stmt))
    while chunk := list(islice(rows, EVENTS_AT_A_TIME)):
        events = [row[0] for row in chunk]
        hidden = hidden_events(user, events)
        people = {e.subject_id for e in events if e.subject_type == "staff" and e.subject_id}
        found = db.session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(people)))
        names: dict[int, str] = {key: name for key, name in found}
        for event, name, role in chunk:
            what = event.action.replace("_", " ")
            record, number = _record(event, names)
            yield [
                event.at,
                name or "The service",
                role_label(role) if role else "",
                what[:1].upper() + what[1:],
                record,
                number,
                HIDDEN_DETAIL if event.id in hidden else event.detail,
            ]


def events_export(user: Staff, wanted: EventSearch) -> Export:
    """The events the event log shows for the same search, newest first: written to a file
    on disk as they are read, since the log of a whole service is long."""
    require(may_read_event_log(user))
    total = count_of(events_query(wanted))
    content = workbook_file(
        [Sheet("Event log", EVENT_COLUMNS, event_rows(user, wanted))],
        title="Event log",
        author=current_app.config["COUNCIL_NAME"],
    )
    return _logged(user, f"event log spreadsheet, {total} events", _dated("event-log"), content)
