"""Pages and downloads: the Reports page, the period report, the audit record PDF and the
spreadsheets. Each view reads the request, calls one service function and responds."""

from __future__ import annotations

from typing import IO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask import Response as FlaskResponse
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.access import may_use_reports, require
from qa.actions import listing as action_lists
from qa.audits import listing as audit_lists
from qa.audits.models import Audit
from qa.ids import refuse_impossible_ids
from qa.reports import audit_pdf, period_jobs, spreadsheets
from qa.reports.forms import PeriodReportForm
from qa.reports.xlsx import XLSX_MIMETYPE
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
    return _export(spreadsheets.selections_export(current_user))


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
