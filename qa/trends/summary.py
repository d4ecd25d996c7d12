"""The per-audit summary the trends read instead of every answer.

When an audit is signed off, its answers are counted once: for each question whether the
answer meets the standard and whether it counts in a rate (`AuditQuestionSummary`), and for
the audit as a whole those counts added up, with the ids the trend scopes and filters need
(`AuditSummary`): the file, the supervisee, the auditor, the supervisee's team and area at
sign-off, the selection run's policy and period, and the tool.

The summary is written in the transaction that changes what it is made from, by the session
hooks below, whatever the path: a sign-off writes it, a correction (the audit leaves
"signed off") removes it until the corrected version is signed off, a changed answer or tool
version rewrites it, and a deleted audit takes it with it (the retention job deletes it with
the answers; the demo data, which inserts answers in bulk, calls `refresh`). Moderation
changes no answer, so it leaves the summary as it is: outcomes are read from the audits and
their moderation.

An answer meets the standard by its value and the tool version (as `qa.trends.scope.Standard`
says in SQL), so the summary gives exactly the counts of a query over the answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    case,
    delete,
    event,
    func,
    insert,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.expression import FunctionElement

from audit_tools.schema import Tool, default_tools, load_tool_text
from qa.audits.models import Audit, AuditAnswer, AuditToolVersion
from qa.audits.states import AuditState
from qa.extensions import Model
from qa.org.models import Staff, SupervisionFile
from qa.selections.models import SelectionRun

SIGNED_OFF = AuditState.SIGNED_OFF.value
CHUNK = 500  # audits rewritten per statement
PENDING = "qa.summary_pending"  # the session's audits and answers to summarise after a flush
# The audit columns a summary is made from: a change to any of them rewrites it.
SUMMARISED = frozenset(
    {"state", "signed_off_at", "tool_id", "tool_version", "file_id", "auditor_id", "run_id"}
)


class AuditSummary(Model):
    """One signed-off audit: its answers counted, and the ids its trend figures filter on.

    `team_id` and `area_id` are the supervisee's when the audit was signed off (the trends
    follow their current team, through `supervisee_id`)."""

    __tablename__ = "audit_summary"
    __table_args__ = (Index("ix_audit_summary_tool_id_signed_off_at", "tool_id", "signed_off_at"),)

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    tool_id: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[int | None] = mapped_column(Integer)
    signed_off_at: Mapped[datetime] = mapped_column(DateTime)
    month: Mapped[date] = mapped_column(Date)
    file_id: Mapped[int] = mapped_column(Integer)
    supervisee_id: Mapped[int] = mapped_column(Integer, index=True)
    auditor_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    area_id: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(Integer)
    policy_key: Mapped[str | None] = mapped_column(String(64))
    period_key: Mapped[str | None] = mapped_column(String(16))
    answers: Mapped[int] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer)
    applicable: Mapped[int] = mapped_column(Integer)


class AuditQuestionSummary(Model):
    """One answer of a signed-off audit: whether it meets the standard and whether it counts,
    with the audit's tool and sign-off moment so the service-wide figures need no join."""

    __tablename__ = "audit_question_summary"
    __table_args__ = (
        Index("ix_audit_question_summary_tool_id_signed_off_at", "tool_id", "signed_off_at"),
    )

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    question_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tool_id: Mapped[str] = mapped_column(String(64))
    signed_off_at: Mapped[datetime] = mapped_column(DateTime)
    month: Mapped[date] = mapped_column(Date)
    met: Mapped[int] = mapped_column(SmallInteger)
    applicable: Mapped[int] = mapped_column(SmallInteger)


class first_of_month(FunctionElement[Any]):
    """The first day of a timestamp's month, as a date (text on SQLite, as it keeps dates)."""

    inherit_cache = True
    name = "first_of_month"
    type = Date()


@compiles(first_of_month)
def _first_text(element: first_of_month, compiler: Any, **kw: Any) -> str:
    return str(
        compiler.process(func.strftime(literal_column("'%Y-%m-01'"), *element.clauses), **kw)
    )


@compiles(first_of_month, "postgresql")
def _first_trunc(element: first_of_month, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(func.date_trunc(literal_column("'month'"), *element.clauses), **kw)
    return f"CAST({inner} AS DATE)"


@lru_cache(maxsize=64)
def _parsed(source: str, name: str) -> Tool:
    return load_tool_text(source, name)


def answer_sets(tool: Tool) -> tuple[frozenset[str], frozenset[str]]:
    """The answers that meet this version's standard, and those that count in a rate."""
    from qa.trends.scope import standard_of

    standard = standard_of([tool])
    return standard.meeting[tool.version], standard.applicable


def _tool(connection: Connection, tool_id: str, version: int | None) -> Tool | None:
    """The stored tool version (the latest when the audit names none); the shipped one when
    none is stored yet."""
    query = select(AuditToolVersion.source, AuditToolVersion.version).where(
        AuditToolVersion.tool_id == tool_id
    )
    if version is not None:
        query = query.where(AuditToolVersion.version == version)
    row = connection.execute(query.order_by(AuditToolVersion.version.desc()).limit(1)).first()
    if row is not None:
        return _parsed(row.source, f"{tool_id} version {row.version}")
    shipped = [t for t in default_tools() if t.id == tool_id]
    return next((t for t in shipped if version in (None, t.version)), None)


def refresh(connection: Connection, audit_ids: Iterable[int]) -> None:
    """Rewrite the summary of these audits from their stored state and answers: removed for
    any that is not signed off, or no longer there."""
    for chunk in _chunks(sorted(set(audit_ids))):
        remove(connection, chunk)
        write(connection, Audit.id.in_(chunk))


def remove(connection: Connection, audit_ids: Collection[int]) -> None:
    """Remove the summary of these audits (before the audits themselves are deleted)."""
    for chunk in _chunks(sorted(set(audit_ids))):
        q, s = AuditQuestionSummary, AuditSummary
        connection.execute(delete(q).where(q.audit_id.in_(chunk)))
        connection.execute(delete(s).where(s.audit_id.in_(chunk)))


def write(connection: Connection, which: Any) -> None:
    """Summarise the signed-off audits `which` picks (a where-clause on Audit), whose summary
    the caller has removed: question rows per tool version, then one row per audit adding
    them up, both by INSERT ... SELECT."""
    signed = (Audit.state == SIGNED_OFF, Audit.signed_off_at.is_not(None), which)
    versions = connection.execute(
        select(Audit.tool_id, Audit.tool_version).where(*signed).distinct()
    ).all()
    for tool_id, version in versions:
        tool = _tool(connection, tool_id, version)
        meeting, applicable = answer_sets(tool) if tool is not None else (frozenset(), frozenset())
        same_version = (
            Audit.tool_version.is_(None) if version is None else Audit.tool_version == version
        )
        rows = (
            select(
                AuditAnswer.audit_id,
                AuditAnswer.question_key,
                Audit.tool_id,
                Audit.signed_off_at,
                first_of_month(Audit.signed_off_at),
                _one_if(AuditAnswer.answer, meeting),
                _one_if(AuditAnswer.answer, applicable),
            )
            .join(Audit, Audit.id == AuditAnswer.audit_id)
            .where(*signed, Audit.tool_id == tool_id, same_version)
        )
        connection.execute(
            insert(AuditQuestionSummary).from_select(
                [
                    "audit_id",
                    "question_key",
                    "tool_id",
                    "signed_off_at",
                    "month",
                    "met",
                    "applicable",
                ],
                rows,
            )
        )
    _write_audits(connection, signed)


def _write_audits(connection: Connection, signed: Collection[Any]) -> None:
    q = AuditQuestionSummary
    audits = (
        select(
            Audit.id,
            Audit.tool_id,
            Audit.tool_version,
            Audit.signed_off_at,
            first_of_month(Audit.signed_off_at),
            Audit.file_id,
            SupervisionFile.supervisee_id,
            Audit.auditor_id,
            Staff.team_id,
            Staff.service_area_id,
            Audit.run_id,
            SelectionRun.policy_key,
            SelectionRun.period_key,
            func.count(q.audit_id),
            func.coalesce(func.sum(q.met), 0),
            func.coalesce(func.sum(q.applicable), 0),
        )
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .outerjoin(SelectionRun, SelectionRun.id == Audit.run_id)
        .outerjoin(q, q.audit_id == Audit.id)
        .where(*signed)
        .group_by(
            Audit.id,
            Audit.tool_id,
            Audit.tool_version,
            Audit.signed_off_at,
            Audit.file_id,
            SupervisionFile.supervisee_id,
            Audit.auditor_id,
            Staff.team_id,
            Staff.service_area_id,
            Audit.run_id,
            SelectionRun.policy_key,
            SelectionRun.period_key,
        )
    )
    columns = [
        "audit_id",
        "tool_id",
        "tool_version",
        "signed_off_at",
        "month",
        "file_id",
        "supervisee_id",
        "auditor_id",
        "team_id",
        "area_id",
        "run_id",
        "policy_key",
        "period_key",
        "answers",
        "met",
        "applicable",
    ]
    connection.execute(insert(AuditSummary).from_select(columns, audits))


def rebuild(connection: Connection) -> None:
    """Summarise every signed-off audit afresh (after loading data in bulk)."""
    connection.execute(delete(AuditQuestionSummary))
    connection.execute(delete(AuditSummary))
    write(connection, true())


def _one_if(column: Any, values: frozenset[str]) -> Any:
    if not values:
        return literal(0, SmallInteger)
    return case((column.in_(sorted(values)), 1), else_=0)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# Keeping the summary in step, in the transaction that changes its sources.


def _pending(session: Session) -> dict[str, Any]:
    return session.info.setdefault(PENDING, {"objects": [], "ids": set()})


@event.listens_for(Session, "before_flush")
def _notice(session: Session, *_event_args: Any) -> None:
    """Note the audits whose summary this flush may change; remove the summary of an audit
    being deleted now, before the audit row goes."""
    pending = _pending(session)
    for obj in session.new:
        if isinstance(obj, Audit) and obj.state == SIGNED_OFF:
            pending["objects"].append(obj)
        elif isinstance(obj, AuditAnswer):
            pending["objects"].append(obj)
    for obj in session.dirty:
        if isinstance(obj, Audit) and _changed(obj, SUMMARISED):
            pending["ids"].add(obj.id)
        elif isinstance(obj, AuditAnswer) and _changed(obj, {"answer", "audit_id", "question_key"}):
            pending["objects"].append(obj)
            pending["ids"].update(_old_values(obj, "audit_id"))
    gone = {obj.id for obj in session.deleted if isinstance(obj, Audit)}
    for obj in session.deleted:
        if isinstance(obj, AuditAnswer) and obj.audit_id not in gone:
            pending["ids"].add(obj.audit_id)
    if gone:
        remove(session.connection(), gone)


@event.listens_for(Session, "after_flush")
def _summarise(session: Session, *_event_args: Any) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    ids = set(pending["ids"])
    for obj in pending["objects"]:
        ids.add(obj.id if isinstance(obj, Audit) else obj.audit_id)
    ids.discard(None)
    if ids:
        refresh(session.connection(), ids)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def _changed(obj: Any, names: Collection[str]) -> bool:
    from sqlalchemy import inspect

    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _old_values(obj: Any, name: str) -> set[Any]:
    from sqlalchemy import inspect

    history = inspect(obj).attrs[name].history
    return set(history.deleted or ()) | set(history.unchanged or ())
