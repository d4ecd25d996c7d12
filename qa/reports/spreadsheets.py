"""Spreadsheet exports: audit answers, actions, selection runs with their frames, and the
quantity of supervision.

Every export reads only what the access policy lets the person see (`audit_scope` for audits
and actions, less any audit the person is moderating blind; the selections list's own rule
for runs; the trends' unit rule for quantity), is logged in the event log, and never carries a
wellbeing comment: those show as "Wellbeing discussion". Anonymised audits leave the
supervisee's name out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, groupby
from operator import itemgetter
from typing import IO, Any

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, joinedload
from werkzeug.exceptions import NotFound

from audit_tools.schema import ANSWER_LABELS, Question, Tool
from audit_tools.scoring import meets_standard
from qa.access import audit_scope, may_use_reports, require
from qa.access.blind import not_blind
from qa.actions.listing import ActionFilters, actions_query
from qa.actions.models import Action
from qa.audits.listing import AuditFilters, audits_query
from qa.audits.models import Audit, AuditAnswer
from qa.audits.service import shown_comment
from qa.audits.states import state_label
from qa.audits.tools import get_tool, tool_versions
from qa.clock import today
from qa.events.service import record
from qa.extensions import db
from qa.jobs.models import AnonymisedRecord
from qa.jobs.retention import anonymised_audit_ids
from qa.org.models import ServiceArea, Staff, SupervisionFile, Team
from qa.reports.method import policy_title
from qa.reports.xlsx import XLSX_MIMETYPE, Column, Sheet, workbook_bytes, workbook_file
from qa.selections.listing import MOST_RECENT_FIRST, RunFilters, runs_query
from qa.selections.models import SelectionRun
from qa.selections.service import get_run
from qa.trends.service import Filters, Quantity, quantity
from sampling.periods import period_bounds
from sampling.selection import ticket

ANONYMISED = "Anonymised under the retention policy"
STREAMED_ROWS = 5000  # answers read from the database at a time for the answers spreadsheet

ANSWER_COLUMNS = (
    Column("Audit", "integer", 8),
    Column("File", "text", 10),
    Column("Supervisee", "text", 22),
    Column("Team", "text", 24),
    Column("Service area", "text", 28),
    Column("Auditor", "text", 22),
    Column("State", "text", 20),
    Column("Signed off", "date", 12),
    Column("Tool", "text", 24),
    Column("Tool version", "integer", 8),
    Column("Section", "text", 28),
    Column("Question key", "text", 24),
    Column("Question", "text", 60),
    Column("Answer", "text", 20),
    Column("Meets the standard", "boolean", 12),
    Column("Evidence", "text", 70),
)
ACTION_COLUMNS = (
    Column("Action", "integer", 8),
    Column("Audit", "integer", 8),
    Column("File", "text", 10),
    Column("Supervisee", "text", 22),
    Column("Team", "text", 24),
    Column("Service area", "text", 28),
    Column("What needs to be done", "text", 60),
    Column("Owner", "text", 22),
    Column("Due", "date", 12),
    Column("Status", "text", 30),
    Column("Raised", "datetime", 17),
    Column("Raised by", "text", 22),
    Column("Done", "datetime", 17),
    Column("What was done", "text", 50),
    Column("Confirmed", "datetime", 17),
    Column("Confirmed by", "text", 22),
)
RUN_COLUMNS = (
    Column("Run", "integer", 8),
    Column("Policy", "text", 30),
    Column("Policy version", "integer", 8),
    Column("Period", "text", 10),
    Column("Selector", "text", 24),
    Column("Seed", "text", 28),
    Column("Frame hash (SHA-256)", "text", 68),
    Column("Files in the frames", "integer", 10),
    Column("Algorithm", "text", 44),
    Column("Algorithm version", "text", 10),
    Column("Made at", "datetime", 17),
)
FRAME_COLUMNS = (
    Column("Run", "integer", 8),
    Column("Draw", "text", 28),
    Column("Position in ticket order", "integer", 10),
    Column("Unit", "text", 12),
    Column("Selected or reserve", "text", 12),
    Column("Ticket", "text", 72),
)
LEFT_OUT_COLUMNS = (
    Column("Run", "integer", 8),
    Column("Unit", "text", 12),
    Column("Why it was left out", "text", 60),
)

QUANTITY_TEAM_COLUMNS = (
    Column("Team", "text", 30),
    Column("Staff", "integer", 10),
    Column("Supervised within their interval", "integer", 16),
    Column("Share", "percent", 10),
)
QUANTITY_MONTH_COLUMNS = (
    Column("As at", "date", 12),
    Column("Staff", "integer", 10),
    Column("Supervised within their interval", "integer", 16),
    Column("Share", "percent", 10),
)
OVERDUE_COLUMNS = (
    Column("Name", "text", 24),
    Column("Team", "text", 28),
    Column("Last formal session", "date", 14),
    Column("Required interval (days)", "integer", 12),
    Column("Days overdue", "integer", 10),
)


@dataclass(frozen=True)
class Export:
    """A file to download: its bytes, or for a large one an open file the response streams
    and closes."""

    filename: str
    content: bytes | IO[bytes]
    mimetype: str = XLSX_MIMETYPE


def _book(sheets: Sequence[Sheet], title: str) -> bytes:
    return workbook_bytes(sheets, title=title, author=current_app.config["COUNCIL_NAME"])


def _logged(user: Staff, what: str, filename: str, content: bytes | IO[bytes]) -> Export:
    record(user, "exported", "spreadsheet", None, f"{what} ({filename})")
    db.session.commit()
    return Export(filename, content)


def answer_rows(
    user: Staff, wanted: AuditFilters | None, counted: list[int]
) -> Iterator[list[object]]:
    """One row per audit per question, in the order the tool asks them, for the started
    audits the user may read (those of the audits list's filters, if given), oldest first.

    The answers are read from a server-side cursor a few thousand at a time, so a million of
    them never sit in memory; `counted` gets the number of audits once the rows are read.
    What each question and answer shows is worked out once per tool version (`_Asked`), so
    a row costs little more than reading it."""
    listed = audits_query(user, wanted or AuditFilters()).with_only_columns(Audit.id)
    hidden = set(
        db.session.scalars(
            select(AnonymisedRecord.subject_id).where(
                AnonymisedRecord.subject_type == "audit", AnonymisedRecord.subject_id.in_(listed)
            )
        )
    )
    tools: dict[tuple[str, int | None], tuple[str, list[_Asked]]] = {
        (stored.tool_id, stored.version): _questions(get_tool(stored.tool_id, stored.version))
        for stored in tool_versions()  # the shipped tools stored first, if they are not yet
    }
    auditor = aliased(Staff)
    stmt = (
        select(
            Audit.id,
            Audit.file_id,
            Audit.state,
            Audit.signed_off_at,
            Audit.tool_id,
            Audit.tool_version,
            Staff.name.label("supervisee"),
            Team.name.label("team"),
            ServiceArea.name.label("area"),
            auditor.name.label("auditor"),
            AuditAnswer.question_key,
            AuditAnswer.answer,
            AuditAnswer.comment,
        )
        .select_from(Audit)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .outerjoin(Team, Team.id == Staff.team_id)
        .outerjoin(ServiceArea, ServiceArea.id == Staff.service_area_id)
        .outerjoin(auditor, auditor.id == Audit.auditor_id)
        .outerjoin(AuditAnswer, AuditAnswer.audit_id == Audit.id)
        .where(audit_scope(user), not_blind(user), Audit.tool_version.is_not(None))
        .where(Audit.id.in_(listed))
        .order_by(Audit.id)
    )
    counted[:] = [0]
    for audit_id, found in groupby(_streamed(stmt), key=itemgetter(0)):
        given = {row[10]: row for row in found}
        first = next(iter(given.values()))
        _, file_id, state, signed_off_at, tool_id, version, supervisee, team, area, by = first[:10]
        title, asked = tools[(tool_id, version)]
        common: list[object] = [
            audit_id,
            f"F{file_id:06d}",
            ANONYMISED if audit_id in hidden else supervisee,
            team or "",
            area or "",
            by or "",
            state_label(state),
            signed_off_at,
            title,
            version,
        ]
        counted[0] += 1
        for question in asked:
            row = given.get(question.key)
            value, comment = (row[11] or "", row[12]) if row is not None else ("", "")
            label, meets = question.shown.get(value) or question.judge(value)
            if comment and question.hides_comments:
                comment = shown_comment(
                    question.tool, question.key, comment, viewer_is_auditor=False
                )
            yield [*common, question.section, question.key, question.text, label, meets, comment]


def _streamed(stmt: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    """The statement's rows from a server-side cursor, STREAMED_ROWS at a time. Through
    psycopg they are the driver's own tuples: PostgreSQL gives dates, numbers and text typed,
    so SQLAlchemy would have nothing to convert, and making its row objects took twice as
    long as reading the rows."""
    connection = db.session.connection()
    if connection.dialect.driver != "psycopg":
        read = connection.execute(stmt.execution_options(yield_per=STREAMED_ROWS))
        yield from chain.from_iterable(read.partitions())
        return
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    driver: Any = connection.connection.dbapi_connection  # in the session's transaction
    with driver.cursor(name="audit_answers") as cursor:
        cursor.execute(compiled.string, compiled.params)
        while rows := cursor.fetchmany(STREAMED_ROWS):
            yield from rows


class _Asked:
    """A question of a tool version as the answers spreadsheet shows it: its section, key
    and words, whether its comments are hidden (wellbeing), and each answer's label and
    whether it meets the standard, worked out the first time the answer comes."""

    __slots__ = ("hides_comments", "key", "question", "section", "shown", "text", "tool")

    def __init__(self, tool: Tool, section: str, question: Question) -> None:
        self.tool, self.question = tool, question
        self.section, self.key, self.text = section, question.key, question.text
        probe = "evidence"
        self.hides_comments = (
            shown_comment(tool, question.key, probe, viewer_is_auditor=False) != probe
        )
        self.shown: dict[str, tuple[str, bool | None]] = {}

    def judge(self, value: str) -> tuple[str, bool | None]:
        found = self.shown[value] = (
            ANSWER_LABELS.get(value, "Not answered"),
            meets_standard(self.tool, self.question, value),
        )
        return found


def _questions(tool: Tool) -> tuple[str, list[_Asked]]:
    """A tool version's title and its questions in the order it asks them."""
    return tool.title, [_Asked(tool, section.title, q) for section, q in tool.questions()]


def audits_export(user: Staff, wanted: AuditFilters | None = None) -> Export:
    """The audit answers spreadsheet, written to a temporary file as the rows are read."""
    require(may_use_reports(user))
    counted: list[int] = [0]
    rows = answer_rows(user, wanted, counted)
    content = workbook_file(
        [Sheet("Audit answers", ANSWER_COLUMNS, rows)],
        title="Audit answers",
        author=current_app.config["COUNCIL_NAME"],
    )
    name = f"audit-answers-{today().isoformat()}.xlsx"
    return _logged(user, f"audit answers spreadsheet, {counted[0]} audits", name, content)


def visible_actions(user: Staff, wanted: ActionFilters | None = None) -> list[Action]:
    """Actions raised by audits the user may read (those of the actions list's filters, if
    given), by due date."""
    query = (
        select(Action)
        .join(Audit, Audit.id == Action.audit_id)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(audit_scope(user), not_blind(user))
    )
    if wanted is not None:
        query = query.where(Action.id.in_(actions_query(user, wanted).with_only_columns(Action.id)))
    return list(
        db.session.scalars(
            query.options(
                joinedload(Action.owner),
                joinedload(Action.created_by),
                joinedload(Action.confirmed_by),
                joinedload(Action.audit).joinedload(Audit.file),
            ).order_by(Action.due_on, Action.id)
        )
    )


def action_rows(actions: Sequence[Action]) -> Iterator[list[object]]:
    hidden = anonymised_audit_ids(sorted({a.audit_id for a in actions}))
    on = today()
    for action in actions:
        person = action.audit.file.supervisee
        status = action.status_label(on)
        yield [
            action.id,
            action.audit_id,
            action.audit.file.reference,
            ANONYMISED if action.audit_id in hidden else person.name,
            person.team.name if person.team else "",
            person.service_area.name if person.service_area else "",
            action.description,
            action.owner.name,
            action.due_on,
            status,
            action.created_at,
            action.created_by.name if action.created_by else "",
            action.done_at,
            action.done_note,
            action.confirmed_at,
            action.confirmed_by.name if action.confirmed_by else "",
        ]


def actions_export(user: Staff, wanted: ActionFilters | None = None) -> Export:
    require(may_use_reports(user))
    actions = visible_actions(user, wanted)
    content = _book([Sheet("Actions", ACTION_COLUMNS, action_rows(actions))], "Actions")
    name = f"actions-{today().isoformat()}.xlsx"
    return _logged(user, f"actions spreadsheet, {len(actions)} actions", name, content)


def run_sheets(runs: Sequence[SelectionRun]) -> list[Sheet]:
    """Three sheets: the runs, every frame in ticket order, and the files left out."""
    titles: dict[tuple[str, int], str] = {}
    run_rows = []
    for run in runs:
        key = (run.policy_key, run.policy_version)
        if key not in titles:
            titles[key] = policy_title(*key)
        run_rows.append(
            [
                run.id,
                titles[key],
                run.policy_version,
                run.period_key,
                run.selector.name if run.selector else "The whole service",
                run.seed,
                run.frame_hash,
                run.frame_size,
                run.algorithm,
                run.algorithm_version,
                run.ran_at,
            ]
        )
    return [
        Sheet("Selection runs", RUN_COLUMNS, run_rows),
        Sheet("Frames", FRAME_COLUMNS, _frame_rows(runs)),
        Sheet("Left out", LEFT_OUT_COLUMNS, _left_out_rows(runs)),
    ]


def _frame_rows(runs: Sequence[SelectionRun]) -> Iterator[list[object]]:
    for run in runs:
        for draw in run.draw_list:
            order = [(ref, "Selected") for ref in draw["selected"]]
            order += [(ref, "Reserve") for ref in draw["reserves"]]
            for position, (ref, role) in enumerate(order, start=1):
                yield [run.id, draw["label"], position, ref, role, ticket(run.seed, ref)]


def _left_out_rows(runs: Sequence[SelectionRun]) -> Iterator[list[object]]:
    for run in runs:
        for left_out in run.exclusion_list:
            yield [run.id, left_out.get("file_id", ""), left_out.get("reason", "")]


def selections_export(user: Staff, wanted: RunFilters | None = None) -> Export:
    """The runs the selections list shows with the same filters (all the person may see when
    none), for anyone: the list shows each person only the runs they may read."""
    query = runs_query(user, wanted or RunFilters()).order_by(*MOST_RECENT_FIRST)
    runs = list(db.session.scalars(query))
    content = _book(run_sheets(runs), "Selection runs")
    name = f"selection-runs-{today().isoformat()}.xlsx"
    return _logged(user, f"selection runs spreadsheet, {len(runs)} runs", name, content)


def selection_export(user: Staff, run_id: int) -> Export:
    """One run, for anyone who may open its selection page."""
    run = get_run(user, run_id)
    if run is None:
        raise NotFound
    content = _book(run_sheets([run]), f"Selection {run.id}")
    name = f"selection-{run.id}-{run.period_key}.xlsx"
    return _logged(user, f"selection {run.id} spreadsheet", name, content)


def quantity_sheets(found: Quantity) -> list[Sheet]:
    """By team and month by month, and who is overdue, as `qa.trends` works them out."""
    months = [
        [min(period_bounds(p.period)[1], found.on), p.n, p.k, p.rate] for p in found.over_time
    ]
    overdue = [
        [
            row.name,
            row.team or "",
            row.last_session,
            row.interval_days,
            row.days_overdue,
        ]
        for row in found.overdue
    ]
    return [
        Sheet(
            "By team",
            QUANTITY_TEAM_COLUMNS,
            [[t.label, t.n, t.k, t.rate] for t in [*found.by_team, found.total]],
        ),
        Sheet("Month by month", QUANTITY_MONTH_COLUMNS, months),
        Sheet("Overdue", OVERDUE_COLUMNS, overdue),
    ]


def quantity_export(user: Staff, filters: Filters | None = None) -> Export:
    """Supervision within the required interval today, for the person's part of the service
    (the unit the filters ask for, where the access policy allows it)."""
    require(may_use_reports(user))
    found = quantity(user, today(), filters)
    content = _book(quantity_sheets(found), f"Quantity of supervision, {found.unit_label}")
    name = f"supervision-quantity-{today().isoformat()}.xlsx"
    return _logged(user, f"quantity of supervision spreadsheet, {found.unit_label}", name, content)
