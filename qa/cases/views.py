"""The Case discussions page and its spreadsheet: how often each open case is discussed in
supervision, beside the quantity of supervision, with the same filters and access rules.
Opening a caseload is logged, as opening an audit is."""

from __future__ import annotations

import io

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.access import may_see_case_discussions, requires
from qa.cases.audit import audit_cases
from qa.cases.export import case_discussions_xlsx
from qa.cases.service import CaseDiscussions, case_discussions, may_see_caseloads
from qa.clock import today
from qa.events.service import log
from qa.reports.xlsx import XLSX_MIMETYPE
from qa.trends.filters import Filters, filters_from_args, unit_choices

bp = Blueprint("cases", __name__, url_prefix="/trends/case-discussions")


def _filters() -> Filters | None:
    if not may_see_caseloads(current_user):
        return None
    return filters_from_args(current_user, request.args)


def _form(filters: Filters | None) -> dict[str, object]:
    if filters is None:
        return {"units": [], "unit": "", "args": {}}
    return {
        "units": unit_choices(current_user),
        "unit": filters.unit_value,
        "args": {"tool": filters.tool_id, "unit": filters.unit_value},
    }


def _viewed(page: CaseDiscussions, what: str) -> None:
    log(
        current_user,
        what,
        "caseload",
        None,
        f"{page.unit_label}: {len(page.cases)} open cases on {page.on.isoformat()}",
    )


@bp.route("/")
@login_required
@requires(may_see_case_discussions)
def discussions() -> str:
    filters = _filters()
    page = case_discussions(current_user, today(), filters)
    _viewed(page, "caseload_viewed")
    return render_template("cases/discussions.html", page=page, form=_form(filters))


@bp.route("/spreadsheet.xlsx")
@login_required
@requires(may_see_case_discussions)
def spreadsheet() -> Response:
    filters = _filters()
    page = case_discussions(current_user, today(), filters)
    _viewed(page, "caseload_exported")
    return send_file(
        io.BytesIO(case_discussions_xlsx(page)),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"case-discussions-{page.on.isoformat()}.xlsx",
    )


bp.add_app_template_global(audit_cases, "audit_cases")
