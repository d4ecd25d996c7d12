"""Print views: a blank copy of an audit tool for QA officers, and an audit as it stands
before sign-off for anyone who may see the audit (a signed-off audit has its PDF record).

Both are whole pages in the PDF records' print layout (templates/pdf/_layout.html and its
print stylesheet), so what comes off the printer looks like the signed record.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required
from werkzeug.exceptions import Forbidden, NotFound

from audit_tools.policy_sources import plain_citations
from audit_tools.schema import ANSWER_LABELS, SCALES
from qa.access import may_manage_tools, requires
from qa.audits import moderation, service
from qa.audits.tools import get_tool
from qa.clock import now
from qa.events.service import log
from qa.formatting import long_date
from qa.reports.audit_pdf import audit_record

bp = Blueprint("printing", __name__)


@bp.app_template_filter("plain_citations")
def _plain_citations(text: str | None) -> str:
    return plain_citations(text or "")


@bp.route("/audits/tools/<tool_id>/<int:version>/print")
@login_required
@requires(may_manage_tools)
def blank_tool(tool_id: str, version: int) -> str:
    try:
        tool = get_tool(tool_id, version)
    except LookupError as exc:
        raise NotFound from exc
    return render_template(
        "printing/tool.html",
        tool=tool,
        scales=SCALES,
        answer_labels=ANSWER_LABELS,
        printed_on=long_date(now().date()),
    )


@bp.route("/audits/<int:audit_id>/print")
@login_required
def audit(audit_id: int) -> str:
    found = service.get_audit(current_user, audit_id)
    if moderation.blinds(current_user, found):
        raise Forbidden
    log(current_user, "audit_printed", "audit", found.id)
    return render_template(
        "printing/audit.html",
        record=audit_record(found),
        printed_at=now(),
    )


@bp.route("/print.css")
def stylesheet() -> Response:
    """The print views' stylesheet: the PDF records' own, then what a screen needs."""
    css = render_template("pdf/print.css") + render_template("printing/_screen.css")
    return Response(css, mimetype="text/css", headers={"Cache-Control": "max-age=3600"})
