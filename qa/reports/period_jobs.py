"""Asking for a period report, making it in the background, and handing it over.

Making the report takes seconds, so a request is saved first (status "making") and the PDF
is made in a thread with its own application context and database session. The request
waits for it up to REPORT_WAIT_SECONDS, so the page it leads to usually has the download;
a slower report's page says it is being made, with a link to check again (no JavaScript,
and no self-refreshing page, which WCAG 2.2.1 rules out). A request whose thread died with
its worker shows as not made after `STALE_AFTER`, with a button to try again. Each report
belongs to the person who asked for it; nobody else can open it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from qa.access import may_use_reports, require
from qa.audits.models import StoredDocument
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff
from qa.reports.models import PeriodReport
from qa.trends.filters import DEFAULT_TOOL, PERIOD_KINDS, Filters, resolve_unit, unit_choices
from sampling.periods import parse_period, period_bounds

KIND = "period-report"
STALE_AFTER = timedelta(minutes=10)
RECENT = 10
log = logging.getLogger(__name__)
_threads: dict[int, threading.Thread] = {}


class ReportError(Exception):
    """The report cannot be made as asked; the message says what to change, and `field`
    which answer on the form it is about."""

    def __init__(self, message: str, field: str = "period") -> None:
        super().__init__(message)
        self.field = field


def filters_for(report: PeriodReport) -> Filters:
    first, last = period_bounds(report.period_key)
    return Filters(report.period_kind, first, last, report.area_id, report.team_id, report.tool_id)


def _read_unit(value: str) -> tuple[int | None, int | None]:
    kind, _, number = value.partition("-")
    if kind == "area" and number.isdigit():
        return int(number), None
    if kind == "team" and number.isdigit():
        return None, int(number)
    return None, None


def request_report(user: Staff, kind: str, period_key: str, unit_value: str) -> PeriodReport:
    """Save the request and start making the report; return the request."""
    require(may_use_reports(user))
    if kind not in PERIOD_KINDS:
        raise ReportError(
            "Select whether the report covers a month, quarter or half-year", "period_kind"
        )
    try:
        period = parse_period(period_key)
    except ValueError as exc:
        raise ReportError(str(exc)) from exc
    if period.cadence != PERIOD_KINDS[kind]:
        raise ReportError("Enter a period of the kind you chose, like 2026-11, 2026-Q4 or 2026-H2")
    if unit_value not in dict(unit_choices(user)):
        raise ReportError("Select a part of the service you can report on", "unit")
    area_id, team_id = _read_unit(unit_value)
    first, last = period_bounds(period.key)
    unit = resolve_unit(user, Filters(kind, first, last, area_id, team_id))
    report = PeriodReport(
        period_kind=kind,
        period_key=period.key,
        area_id=None if unit.team_id is not None else unit.area_id,
        team_id=unit.team_id,
        unit_label=unit.label,
        tool_id=DEFAULT_TOOL,
        status="making",
        error="",
        requested_by_id=user.id,
        requested_at=now(),
    )
    db.session.add(report)
    db.session.flush()
    record(user, "report_requested", "period_report", report.id, f"{unit.label}, {period.key}")
    db.session.commit()
    _start(current_app._get_current_object(), report.id)  # type: ignore[attr-defined]
    return report


def _start(app: Flask, report_id: int) -> None:
    thread = threading.Thread(
        target=_in_background, args=(app, report_id), name=f"period-report-{report_id}"
    )
    thread.daemon = True
    _threads[report_id] = thread
    thread.start()
    thread.join(float(app.config.get("REPORT_WAIT_SECONDS", 10)))


def _in_background(app: Flask, report_id: int) -> None:
    with app.app_context():
        try:
            make_report(report_id)
        finally:
            db.session.remove()
            _threads.pop(report_id, None)


def wait_for(report_id: int, timeout: float = 120) -> None:
    """Wait until a report being made in this process is finished (for tests and scripts)."""
    thread = _threads.get(report_id)
    if thread is not None:
        thread.join(timeout)


def make_report(report_id: int) -> None:
    """Make the PDF for a saved request and keep it; on failure, say so on the request."""
    from qa.reports.period_report import make_period_pdf

    report = db.session.get(PeriodReport, report_id)
    if report is None or report.status != "making":
        return
    try:
        content = make_period_pdf(report.requested_by, filters_for(report), report)
        document = StoredDocument(
            kind=KIND,
            subject_id=report.id,
            version_no=1,
            filename=_filename(report),
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=report.requested_at,
            created_by_id=report.requested_by_id,
        )
        db.session.add(document)
        report.document = document
        report.status = "ready"
        report.finished_at = now()
        db.session.commit()
    except Exception:
        log.exception("Period report %s could not be made", report_id)
        db.session.rollback()
        _failed(report_id, "Something went wrong while the report was being made.")


def _failed(report_id: int, why: str) -> None:
    report = db.session.get(PeriodReport, report_id)
    if report is None:
        return
    report.status = "failed"
    report.error = why
    report.finished_at = now()
    db.session.commit()


def _filename(report: PeriodReport) -> str:
    unit = f"team-{report.team_id}" if report.team_id else f"area-{report.area_id or 'all'}"
    return f"quality-report-{report.period_key}-{unit}.pdf"


def get_report(user: Staff, report_id: int) -> PeriodReport:
    """The person's own report request, or 404."""
    require(may_use_reports(user))
    report = db.session.get(PeriodReport, report_id)
    if report is None or report.requested_by_id != user.id:
        raise NotFound
    if report.status == "making" and report.requested_at < now() - STALE_AFTER:
        if report_id not in _threads:
            _failed(report_id, "Making the report took too long, so it was stopped.")
    return report


def report_document(user: Staff, report_id: int) -> StoredDocument:
    """The report's PDF, logged as an export; 404 until it is ready."""
    report = get_report(user, report_id)
    if report.status != "ready" or report.document is None:
        raise NotFound
    record(
        user,
        "exported",
        "period_report",
        report.id,
        f"period report PDF, {report.unit_label}, {report.period_key}",
    )
    db.session.commit()
    return report.document


def make_again(user: Staff, report_id: int) -> PeriodReport:
    """A new request with the same period and unit (the figures as they are now)."""
    report = get_report(user, report_id)
    unit = f"team-{report.team_id}" if report.team_id else f"area-{report.area_id}"
    if report.team_id is None and report.area_id is None:
        unit = "service"
    return request_report(user, report.period_kind, report.period_key, unit)


def recent_reports(user: Staff) -> list[PeriodReport]:
    return list(
        db.session.scalars(
            select(PeriodReport)
            .where(PeriodReport.requested_by_id == user.id)
            .order_by(PeriodReport.requested_at.desc(), PeriodReport.id.desc())
            .limit(RECENT)
        )
    )
