"""Which audits a trend figure may count: the person's scope, the unit, the tool and dates,
and which answers meet the standard.

Every trend query starts from a `Scope`, and its where-clause always includes
`qa.access.audit_scope`, so no figure can include an audit the person could not open, and
leaves out any audit they are moderating blind (`qa.access.blind`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, case, literal, true
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.util import find_tables
from sqlalchemy.sql.visitors import replacement_traverse

from audit_tools.schema import SCALES, Tool
from audit_tools.scoring import meets_standard
from qa.access import audit_scope
from qa.access.blind import not_blind
from qa.audits.models import Audit, AuditAnswer
from qa.audits.states import AuditState
from qa.org.models import Staff, SupervisionFile
from qa.trends.filters import Unit
from qa.trends.summary import AuditQuestionSummary, AuditSummary

SIGNED_OFF = AuditState.SIGNED_OFF


@dataclass(frozen=True)
class Scope:
    """Whose figures (the person, for the access policy), for which unit, tool and dates."""

    user: Staff
    unit: Unit
    tool_id: str
    start: date
    end: date


@dataclass(frozen=True)
class Standard:
    """For each version of a tool, the answers that meet the standard and those that count.

    An answer meets the standard by its value alone (its score on its scale against the
    tool's `meets_standard_at`), so the test is a CASE over answer values in SQL.
    """

    meeting: Mapping[int, frozenset[str]]
    applicable: frozenset[str]

    def meets(self) -> ColumnElement[int]:
        """1 for an answer that meets the standard, else 0."""
        sets = set(self.meeting.values())
        if len(sets) <= 1:
            values = sorted(next(iter(sets), frozenset()))
            return case((AuditAnswer.answer.in_(values), 1), else_=0)
        whens = [
            (and_(Audit.tool_version == version, AuditAnswer.answer.in_(sorted(values))), 1)
            for version, values in sorted(self.meeting.items())
        ]
        return case(*whens, else_=0)

    def applies(self) -> ColumnElement[int]:
        """1 for an answer that counts in a rate (not "not applicable", not blank), else 0."""
        return case((AuditAnswer.answer.in_(sorted(self.applicable)), 1), else_=0)


def standard_of(tools: Iterable[Tool]) -> Standard:
    """The Standard for these versions of one tool."""
    meeting: dict[int, frozenset[str]] = {}
    applicable: set[str] = set()
    for tool in tools:
        found: set[str] = set()
        for _, question in tool.questions():
            for answer in SCALES[question.scale].answers:
                applicable.add(answer)
                if meets_standard(tool, question, answer):
                    found.add(answer)
        meeting[tool.version] = frozenset(found)
    return Standard(meeting, frozenset(applicable))


def bounds(scope: Scope) -> tuple[datetime, datetime]:
    """The scope's dates as [first moment, moment after the last day) for a datetime column."""
    return datetime.combine(scope.start, time()), datetime.combine(
        scope.end + timedelta(days=1), time()
    )


def unit_clause(unit: Unit) -> ColumnElement[bool]:
    """The supervisee (Staff) is in the unit."""
    if unit.team_id is not None:
        return Staff.team_id == unit.team_id
    if unit.area_id is not None:
        return Staff.service_area_id == unit.area_id
    return true()


def audit_conditions(
    scope: Scope, *, dated: bool = True, signed_off: bool = True
) -> list[ColumnElement[bool]]:
    """Where-clauses for audits in scope; the query must join Audit to its file and supervisee."""
    found = [
        audit_scope(scope.user),
        not_blind(scope.user),
        unit_clause(scope.unit),
        Audit.tool_id == scope.tool_id,
    ]
    if signed_off:
        found.append(Audit.state == SIGNED_OFF)
    if dated:
        start, end = bounds(scope)
        found += [Audit.signed_off_at >= start, Audit.signed_off_at < end]
    return found


Columns = TypeVarTuple("Columns")  # what a query selects, kept through its joins and filters


def with_supervisee(stmt: Select[*Columns]) -> Select[*Columns]:
    """Join the audits in a query to their file and the file's supervisee."""
    return stmt.join(SupervisionFile, SupervisionFile.id == Audit.file_id).join(
        Staff, Staff.id == SupervisionFile.supervisee_id
    )


def scoped(
    stmt: Select[*Columns], scope: Scope, *, dated: bool = True, signed_off: bool = True
) -> Select[*Columns]:
    """The query (selecting from Audit) limited to the audits in scope, joined to the file and
    supervisee only when a condition needs them: for the whole service seen by someone who
    sees everything, the conditions are on the audit alone and the joins would only cost."""
    conditions = audit_conditions(scope, dated=dated, signed_off=signed_off)
    needed = {SupervisionFile.__table__, Staff.__table__}
    used = (find_tables(c, check_columns=True, include_joins=True) for c in conditions)
    if any(needed.intersection(tables) for tables in used):
        stmt = with_supervisee(stmt)
    return stmt.where(*conditions)


def on_summary(
    stmt: Select[*Columns], base: type[AuditSummary] | type[AuditQuestionSummary], scope: Scope
) -> Select[*Columns]:
    """The query over the per-audit summary (`base`, the audits' or their questions' rows)
    limited to the signed-off audits in scope.

    The access policy and the unit are written for Audit, its file and its supervisee. Here
    the audit's id, tool, sign-off moment, auditor and file are read from the summary (every
    summary is of a signed-off audit), and the supervisee, the file or the audit itself are
    joined only when a condition uses them: the service-wide figures of someone who sees
    everything read the summary alone; a unit joins the supervisee, by their current team.
    """
    conditions = [
        replacement_traverse(clause, {}, _summary_column(base))
        for clause in (audit_scope(scope.user), not_blind(scope.user), unit_clause(scope.unit))
    ]
    used: set[object] = set()
    for clause in conditions:
        used.update(find_tables(clause, check_columns=True, include_joins=True))
    present: set[object] = set()
    for found in stmt.get_final_froms():
        present.update(find_tables(found, include_joins=True))
    summary, staff, files = (
        AuditSummary.__table__,
        Staff.__table__,
        SupervisionFile.__table__,
    )
    if (summary in used or staff in used or files in used) and summary not in present:
        stmt = stmt.join(AuditSummary, AuditSummary.audit_id == base.audit_id)
    if staff in used and staff not in present:
        stmt = stmt.join(Staff, Staff.id == AuditSummary.supervisee_id)
    if files in used and files not in present:
        stmt = stmt.join(SupervisionFile, SupervisionFile.id == AuditSummary.file_id)
    if Audit.__table__ in used and Audit.__table__ not in present:
        stmt = stmt.join(Audit, Audit.id == base.audit_id)
    start, end = bounds(scope)
    return stmt.where(
        *conditions,
        base.tool_id == scope.tool_id,
        base.signed_off_at >= start,
        base.signed_off_at < end,
    )


def _summary_column(
    base: type[AuditSummary] | type[AuditQuestionSummary],
) -> Callable[..., ColumnElement[Any] | None]:
    """Audit's columns as the summary holds them (others are left to a join to Audit)."""
    columns: dict[str, ColumnElement[Any]] = {
        "id": base.audit_id.expression,
        "tool_id": base.tool_id.expression,
        "signed_off_at": base.signed_off_at.expression,
        "auditor_id": AuditSummary.auditor_id.expression,
        "file_id": AuditSummary.file_id.expression,
        "state": literal(SIGNED_OFF.value),
    }

    def swap(element: object, **_kw: Any) -> ColumnElement[Any] | None:
        if isinstance(element, ColumnClause) and element.table is Audit.__table__:
            return columns.get(element.name)
        return None

    return swap
