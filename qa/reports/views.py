"""Pages and downloads: the Reports page, the period report, the audit record PDF and the
spreadsheets. Each view reads the request, calls one service function and responds."""

from __future__ import annotations

from typing import IO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask import Response as FlaskResponse
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.access import (
    may_browse_organisation,
    may_moderate,
    may_read_event_log,
    may_use_reports,
    require,
    requires,
)
from qa.actions import listing as action_lists
from qa.audits import listing as audit_lists
from qa.audits.models import Audit
from qa.audits.review_forms import EventSearchForm
from qa.events.service import event_actions
from qa.ids import refuse_impossible_ids
from qa.org import listing as staff_lists
from qa.reports import audit_pdf, list_spreadsheets, period_jobs, spreadsheets
from qa.reports.forms import PeriodReportForm
from qa.reports.xlsx import XLSX_MIMETYPE
from qa.selections import listing as selection_lists
from qa.trends.service import filters_from_args

bp = Blueprint("reports", __name__, url_prefix="/reports")

PDF_MIMETYPE = "application/pdf"


@bp.app_template_global()
def audit_record_links(audit: Audit) -> list[audit_pdf.RecordLink]:
    """The audit records the audit page offers for download."""
    return audit_pdf.record_links(audit)


def _download(content: bytes | IO[bytes], filename: str, mimetype: str) -> FlaskResponse:
    """The file as an attachment; an open file is streamed from disk and closed after."""
    if isinstance(content, bytes):
        response = FlaskResponse(content, mimetype=mimetype)
    else:
        response = send_file(content, mimetype=mimetype, conditional=False, etag=False)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/audits/<int:audit_id>.pdf")
@login_required
def audit_record(audit_id: int) -> Response:
    refuse_impossible_ids(request.args, "version", "revision")
    version = request.args.get("version", type=int)
    revision = request.args.get("revision", type=int)
    document = audit_pdf.audit_record_pdf(current_user, audit_id, version, revision)
    return _download(document.content, document.filename, PDF_MIMETYPE)


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> str | Response | tuple[str, int]:
    require(may_use_reports(current_user))
    form = PeriodReportForm(current_user)
    if form.validate_on_submit():
        try:
            made = period_jobs.request_report(
                current_user, form.period_kind.data or "", form.period_value(), form.unit.data
            )
        except period_jobs.ReportError as exc:
            form.add_error(exc.field, str(exc))
        else:
            return redirect(url_for("reports.period_report", report_id=made.id))
    status = 400 if form.errors else 200
    return render_template(
        "reports/index.html", form=form, recent=period_jobs.recent_reports(current_user)
    ), status


@bp.route("/period/<int:report_id>")
@login_required
def period_report(report_id: int) -> str:
    found = period_jobs.get_report(current_user, report_id)
    return render_template("reports/period.html", report=found)


@bp.route("/period/<int:report_id>.pdf")
@login_required
def period_report_pdf(report_id: int) -> Response:
    document = period_jobs.report_document(current_user, report_id)
    return _download(document.content, document.filename, PDF_MIMETYPE)


@bp.route("/period/<int:report_id>/again", methods=["POST"])
@login_required
def period_report_again(report_id: int) -> Response:
    made = period_jobs.make_again(current_user, report_id)
    flash("The report is being made again", "success")
    return redirect(url_for("reports.period_report", report_id=made.id))


def _export(made: spreadsheets.Export) -> Response:
    return _download(made.content, made.filename, XLSX_MIMETYPE)


@bp.route("/audit-answers.xlsx")
@login_required
def audit_answers() -> Response:
    """The answers of the audits the audits list shows with the same filters (all when none);
    a filter that cannot be used is explained on the list."""
    wanted, problems = audit_lists.read_filters(current_user, request.args)
    if problems:
        return redirect(f"{url_for('audits.listing_page')}?{request.query_string.decode()}")
    return _export(spreadsheets.audits_export(current_user, wanted))


@bp.route("/actions.xlsx")
@login_required
def actions() -> Response:
    """The actions the actions list shows with the same filters (all when none)."""
    wanted, problems = action_lists.read_filters(current_user, request.args)
    if problems:
        return redirect(f"{url_for('actions.index')}?{request.query_string.decode()}#all")
    return _export(spreadsheets.actions_export(current_user, wanted))


@bp.route("/selections.xlsx")
@login_required
def selections() -> Response:
    """The runs the selections list shows with the same filters (all when none)."""
    wanted = selection_lists.read_filters(request.args)
    return _export(spreadsheets.selections_export(current_user, wanted))


@bp.route("/moderation.xlsx")
@login_required
@requires(may_moderate)
def moderation() -> Response:
    """The audits waiting for moderation, as the moderation page lists them."""
    wanted, problems = audit_lists.read_filters(current_user, request.args)
    if problems:
        query = request.query_string.decode()
        return redirect(f"{url_for('moderation.index')}?{query}#candidates")
    return _export(list_spreadsheets.moderation_export(current_user, wanted))


@bp.route("/staff.xlsx")
@login_required
@requires(may_browse_organisation)
def staff() -> Response:
    """The people the staff list shows with the same filters."""
    wanted, problems = staff_lists.read_filters(current_user, request.args)
    if problems:
        return redirect(f"{url_for('org.people')}?{request.query_string.decode()}")
    return _export(list_spreadsheets.staff_export(current_user, wanted))


@bp.route("/event-log.xlsx")
@login_required
@requires(may_read_event_log)
def event_log() -> Response:
    """The events the event log shows for the same search."""
    refuse_impossible_ids(request.args, "audit")
    search = EventSearchForm.read(request.args, event_actions()).search()
    if search is None:
        return redirect(f"{url_for('events.index')}?{request.query_string.decode()}")
    return _export(list_spreadsheets.events_export(current_user, search))


@bp.route("/selections/<int:run_id>.xlsx")
@login_required
def selection(run_id: int) -> Response:
    return _export(spreadsheets.selection_export(current_user, run_id))


@bp.route("/quantity.xlsx")
@login_required
def quantity() -> Response:
    require(may_use_reports(current_user))
    filters = filters_from_args(current_user, request.args) if request.args else None
    return _export(spreadsheets.quantity_export(current_user, filters))
