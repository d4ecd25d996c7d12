"""Retention: what the rules say is no longer kept, shown first as a dry run, then removed or
anonymised in one transaction that the event log records.

``plan()`` lists, rule by rule, exactly which records would change and changes nothing;
``apply()`` makes that same list inside its transaction and changes exactly those records.
The event log is otherwise append-only: its only delete path is its own retention rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute

from audit_tools.policy_sources import plain_citations
from qa.actions.models import Action
from qa.audits.models import (
    Audit,
    AuditAmendment,
    AuditAnswer,
    Moderation,
    ModerationAnswer,
    Reply,
    StoredDocument,
)
from qa.cases.retention import closed_cases, delete_cases
from qa.clock import now, today
from qa.events.models import Event
from qa.events.service import record
from qa.extensions import db
from qa.formatting import long_date
from qa.jobs.models import AnonymisedRecord, JobRun, OutboxMessage
from qa.jobs.retention_rules import Rule, Rules, load_rules, with_leavers_period
from qa.org.models import Staff, SupervisionFile
from qa.profiles.service import in_force_on
from qa.trends.summary import AuditQuestionSummary, AuditSummary
from sampling.periods import months_before

REMOVED = "Removed under the retention policy"
BATCH = 500


@dataclass(frozen=True)
class Item:
    id: int
    description: str


@dataclass(frozen=True)
class RuleReport:
    rule: Rule
    cutoff: date
    items: tuple[Item, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.items]

    @property
    def reach(self) -> str:
        """Which records the rule reaches on the day, in words."""
        if self.rule.records == "audits_of_leavers":
            return f"supervisee left on or before {long_date(self.cutoff)}"
        return f"made before {long_date(self.cutoff)}"

    @property
    def done_label(self) -> str:
        return f"{self.rule.records_label.lower()} {self.rule.outcome}"


@dataclass(frozen=True)
class Report:
    """What the rules remove or anonymise on a day, rule by rule."""

    on: date
    rules: Rules
    reports: tuple[RuleReport, ...]

    @property
    def total(self) -> int:
        return sum(r.count for r in self.reports)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the list of records changes, so a page can tell it is stale."""
        text = "\n".join(f"{r.rule.key}:{','.join(map(str, r.ids))}" for r in self.reports)
        rules = f"{self.rules.version} {self.rules.profile}"
        return hashlib.sha256(f"{rules}\n{text}".encode()).hexdigest()


def plan(on: date | None = None) -> Report:
    """The dry run: every record each rule would remove or anonymise today. Changes nothing."""
    on = on or today()
    rules = rules_on(on)
    reports = []
    for rule in rules.rules:
        cutoff = months_before(on, 12 * rule.keep_years)
        reports.append(RuleReport(rule, cutoff, tuple(_due(rule, cutoff))))
    return Report(on, rules, tuple(reports))


def rules_on(on: date) -> Rules:
    """The retention file's rules, with the period for audits of leavers set by the council
    profile in force on `on` where its policy sets one."""
    rules = load_rules()
    profile = in_force_on(on).profile
    kept = profile.retention
    if kept.amount is None:
        return rules
    said = plain_citations(kept.citation.source)
    basis = f"{said}: “{kept.citation.quote}”" if said else profile.policy
    if kept.note:
        basis = f"{basis} {kept.note}"
    return with_leavers_period(
        rules, kept.amount, basis, f"{profile.name} version {profile.version}"
    )


def apply(actor: Staff | None, on: date | None = None) -> Report:
    """Remove or anonymise what ``plan`` lists, in one transaction, and log it."""
    report = plan(on)
    try:
        for rule_report in report.reports:
            _APPLY[rule_report.rule.records](rule_report, report.rules.version)
        record(actor, "retention_applied", "retention", None, summary(report))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def summary(report: Report) -> str:
    parts = []
    for r in report.reports:
        said = f"{r.rule.key}: {r.count} {r.rule.outcome}"
        if r.rule.records == "audits_of_leavers" and r.ids:
            said += f" (audits {', '.join(map(str, r.ids))})"
        parts.append(said)
    rules = f"Retention rules version {report.rules.version}"
    if report.rules.profile:
        rules += f", leavers' audits by council profile {report.rules.profile},"
    return f"{rules} on {report.on}: " + "; ".join(parts)


def anonymised_audit_ids(audit_ids: Sequence[int]) -> set[int]:
    """Which of these audits are anonymised: exports leave their supervisee's name out."""
    found: set[int] = set()
    for chunk in _chunks(list(audit_ids)):
        found.update(
            db.session.scalars(
                select(AnonymisedRecord.subject_id).where(
                    AnonymisedRecord.subject_type == "audit",
                    AnonymisedRecord.subject_id.in_(chunk),
                )
            )
        )
    return found


def _due(rule: Rule, cutoff: date) -> Iterator[Item]:
    before = datetime.combine(cutoff, time())
    if rule.records == "audits_of_leavers":
        yield from _leavers_audits(rule, cutoff)
    elif rule.records == "outbox_messages":
        for id_, at, to in db.session.execute(
            select(OutboxMessage.id, OutboxMessage.created_at, OutboxMessage.to_address)
            .where(OutboxMessage.created_at < before)
            .order_by(OutboxMessage.id)
        ):
            yield Item(id_, f"Message {id_} to {to}, {long_date(at)}")
    elif rule.records == "closed_cases":
        yield from (Item(found.id, found.label) for found in closed_cases(cutoff))
    elif rule.records == "events":
        for id_, at, action in db.session.execute(
            select(Event.id, Event.at, Event.action).where(Event.at < before).order_by(Event.id)
        ):
            yield Item(id_, f"Event {id_}: {action.replace('_', ' ')}, {long_date(at)}")
    else:
        for id_, at, job_id in db.session.execute(
            select(JobRun.id, JobRun.started_at, JobRun.job_id)
            .where(JobRun.started_at < before)
            .order_by(JobRun.id)
        ):
            yield Item(id_, f"Job run {id_}: {job_id}, {long_date(at)}")


def _leavers_audits(rule: Rule, cutoff: date) -> Iterator[Item]:
    left_on = func.coalesce(Staff.leaving_date, SupervisionFile.closed_on)
    query = (
        select(Audit.id, SupervisionFile.id, Staff.name, left_on)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(left_on.is_not(None), left_on <= cutoff)
        .order_by(Audit.id)
    )
    if rule.then == "anonymise":
        done = select(AnonymisedRecord.subject_id).where(AnonymisedRecord.subject_type == "audit")
        query = query.where(Audit.id.not_in(done))
    for audit_id, file_id, name, left in db.session.execute(query):
        left_date = left if isinstance(left, date) else date.fromisoformat(str(left))
        yield Item(
            audit_id, f"Audit {audit_id}: F{file_id:06d}, {name}, left {long_date(left_date)}"
        )


def _bulk(statement: Any) -> None:
    """Run a bulk UPDATE or DELETE; the commit afterwards expires what the session holds."""
    db.session.execute(statement.execution_options(synchronize_session=False))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _blank(column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    """The column's text replaced by the retention notice, unless it was empty."""
    return case((column != "", REMOVED), else_=column)


def _anonymise_audits(report: RuleReport, version: int) -> None:
    for ids in _chunks(report.ids):
        _bulk(
            update(Audit)
            .where(Audit.id.in_(ids))
            .values(
                judgement_reason=_blank(Audit.judgement_reason),
                sign_off_comment=_blank(Audit.sign_off_comment),
                returned_reason=_blank(Audit.returned_reason),
                cancel_reason=_blank(Audit.cancel_reason),
            )
        )
        for model, column in (
            (AuditAnswer, AuditAnswer.comment),
            (Reply, Reply.text),
            (Action, Action.description),
            (Action, Action.done_note),
            (Moderation, Moderation.agreed_note),
        ):
            _bulk(update(model).where(model.audit_id.in_(ids)).values({column.key: _blank(column)}))
        moderations = select(Moderation.id).where(Moderation.audit_id.in_(ids))
        _bulk(
            update(ModerationAnswer)
            .where(ModerationAnswer.moderation_id.in_(moderations))
            .values(comment=_blank(ModerationAnswer.comment))
        )
        for amendment in db.session.scalars(
            select(AuditAmendment).where(AuditAmendment.audit_id.in_(ids))
        ):
            amendment.snapshot = json.dumps(_anonymised_snapshot(json.loads(amendment.snapshot)))
            amendment.reason = _blanked(amendment.reason)
        _delete_documents(report.rule, ids)
    stamp = now()
    db.session.add_all(
        AnonymisedRecord(
            subject_type="audit",
            subject_id=audit_id,
            rule_key=report.rule.key,
            rules_version=version,
            anonymised_at=stamp,
        )
        for audit_id in report.ids
    )
    db.session.flush()


def _blanked(value: Any) -> Any:
    return REMOVED if isinstance(value, str) and value else value


def _anonymised_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A corrected audit's earlier version: the answers stay, every written text goes."""
    kept = {key: _blanked(value) for key, value in snapshot.items()}
    for key in ("signed_off_by", "signed_off_at", "computed_grade", "auditor_judgement"):
        if key in snapshot:
            kept[key] = snapshot[key]
    answers = snapshot.get("answers")
    if isinstance(answers, dict):
        kept["answers"] = {
            key: [pair[0], _blanked(pair[1])] if isinstance(pair, list) and len(pair) == 2 else pair
            for key, pair in answers.items()
        }
    return kept


def _delete_audits(report: RuleReport, version: int) -> None:  # noqa: ARG001 (a rule's handler)
    for ids in _chunks(report.ids):
        moderations = select(Moderation.id).where(Moderation.audit_id.in_(ids))
        _bulk(delete(ModerationAnswer).where(ModerationAnswer.moderation_id.in_(moderations)))
        for model in (
            Moderation,
            AuditQuestionSummary,
            AuditSummary,
            AuditAnswer,
            Reply,
            AuditAmendment,
            Action,
        ):
            _bulk(delete(model).where(model.audit_id.in_(ids)))
        _delete_documents(report.rule, ids)
        _bulk(
            delete(AnonymisedRecord).where(
                AnonymisedRecord.subject_type == "audit", AnonymisedRecord.subject_id.in_(ids)
            )
        )
        for column in (Audit.replaces_id, Audit.reaudit_of_id):
            _bulk(update(Audit).where(column.in_(ids)).values({column.key: None}))
        _bulk(delete(Audit).where(Audit.id.in_(ids)))


def _delete_documents(rule: Rule, audit_ids: list[int]) -> None:
    if rule.documents:
        _bulk(
            delete(StoredDocument).where(
                StoredDocument.kind.in_(rule.documents), StoredDocument.subject_id.in_(audit_ids)
            )
        )


def _delete_rows(model: type[Any]) -> Any:
    def remove(report: RuleReport, version: int) -> None:  # noqa: ARG001 (a rule's handler)
        for ids in _chunks(report.ids):
            _bulk(delete(model).where(model.id.in_(ids)))

    return remove


def _audits(report: RuleReport, version: int) -> None:
    if report.rule.then == "anonymise":
        _anonymise_audits(report, version)
    else:
        _delete_audits(report, version)


_APPLY = {
    "audits_of_leavers": _audits,
    "outbox_messages": _delete_rows(OutboxMessage),
    "events": _delete_rows(Event),
    "job_runs": _delete_rows(JobRun),
    "closed_cases": lambda report, _version: delete_cases(report.ids),
}
